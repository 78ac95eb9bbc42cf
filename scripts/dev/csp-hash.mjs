// Trunk post-build hook: replace 'unsafe-inline' in the page's script-src with the SHA-256 hash of
// each inline <script> Trunk wrote (its wasm loader), so no other inline script can run.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) { console.error('csp-hash: no TRUNK_STAGING_DIR'); process.exit(1); }
const file = path.join(dir, 'index.html');
let html = fs.readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map((m) => `'sha256-${crypto.createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
if (!html.includes("script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'")) {
  console.error('csp-hash: the CSP in index.html does not have the expected script-src'); process.exit(1);
}
html = html.replace("script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'", `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`);
fs.writeFileSync(file, html);
console.log(`csp-hash: ${hashes.length} inline script(s) allowed by hash`);
