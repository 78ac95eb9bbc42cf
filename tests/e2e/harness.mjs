// Shared pieces of the end-to-end tests: a static server for dist/ and a Chromium launcher.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.csv': 'text/csv', '.json': 'application/json', '.png': 'image/png' };

/** Serves `dir` on 127.0.0.1 at a free port. Resolves to { url, close }. */
export function serve(dir, port = 0) {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    let p = path.join(dir, decodeURIComponent(u.pathname));
    if (!p.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) p = path.join(p, 'index.html');
    if (!fs.existsSync(p)) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(p)] || 'application/octet-stream' });
    fs.createReadStream(p).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() });
  }));
}

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const DIST = path.join(ROOT, 'dist');
export const FIXTURES = path.join(ROOT, 'engine', 'tests', 'fixtures', 'conformance');
export const OUT = path.join(ROOT, 'tests', 'e2e', 'out');
fs.mkdirSync(OUT, { recursive: true });

/** A new page that records console errors and every network request; resolves once `ready`
 *  (a data-testid in the visible view, by default the headline AUC) is shown. Loads of `blob:`
 *  URLs (objects the page made in memory, such as the slice-reader worker's script) are kept
 *  apart in `log.inMemory`: they cannot reach the network. */
export async function openPage(browser, url, viewport = { width: 1280, height: 800 }, ready = 'metric-auc') {
  const page = await browser.newPage({ viewport });
  const log = { requests: [], inMemory: [], errors: [] };
  page.on('request', (r) => (r.url().startsWith('blob:') ? log.inMemory : log.requests).push(r.url()));
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector(`.layout:not([hidden]) [data-testid="${ready}"]`, { timeout: 30000 });
  return { page, log };
}

/** The full-precision value of a headline figure. */
export async function metric(page, id) {
  return page.getAttribute(`.layout:not([hidden]) [data-testid="${id}"]`, 'data-value');
}

/** Uploads a file (path, or { name, mimeType, buffer }) through the csv-input. */
export async function upload(page, file) {
  await page.setInputFiles('[data-testid=csv-input]', file);
}

/** Waits until the audit view shows the audit of `name`. */
export async function waitForAuditOf(page, name) {
  await page.waitForFunction((n) => document.querySelector('.audit-head h2')?.textContent.includes(n), name, { timeout: 30000 });
}

/** A small seeded generator (an LCG), the same numbers in every run. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
}

/** A generated audit CSV of `n` records in the narrow layout (id, member, confidence, loss),
 *  members a little more confident; written once into `dir` and reused. Used by the reliability
 *  test and the scale benchmark. */
export function narrowCsv(dir, n) {
  const file = path.join(dir, `mia_scale_narrow_${n}.csv`);
  if (fs.existsSync(file)) return file;
  const tmp = `${file}.${process.pid}.part`;
  const fd = fs.openSync(tmp, 'w');
  const r = rng(1);
  let buf = 'id,member,confidence,loss\n';
  for (let i = 0; i < n; i++) {
    const c = Math.min(0.999999, 0.5 + 0.3 * r() + (i & 1) * 0.1);
    buf += `${i},${i & 1},${c.toFixed(6)},${(-Math.log(c)).toFixed(6)}\n`;
    if (buf.length > 1 << 22) { fs.writeSync(fd, buf); buf = ''; }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return file;
}
