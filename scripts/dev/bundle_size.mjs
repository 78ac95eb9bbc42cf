// Prints the release bundle's sizes, raw and gzip-compressed (what a server would send), after
// `trunk build --release`. Run by scripts/dev/test.sh and scripts/dev/serve.sh; not a test.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'dist');
const rows = fs.readdirSync(dist)
  .filter((f) => /\.(wasm|js|css|html)$/.test(f))
  .map((f) => {
    const b = fs.readFileSync(path.join(dist, f));
    return [f, b.length, zlib.gzipSync(b, { level: 9 }).length];
  })
  .sort((a, b) => b[1] - a[1]);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log('release bundle (raw / gzip):');
for (const [f, raw, gz] of rows) console.log(`  ${f.padEnd(40)} ${kb(raw).padStart(8)} ${kb(gz).padStart(8)}`);
const total = rows.reduce((a, r) => [a[0] + r[1], a[1] + r[2]], [0, 0]);
console.log(`  ${'total'.padEnd(40)} ${kb(total[0]).padStart(8)} ${kb(total[1]).padStart(8)}`);
