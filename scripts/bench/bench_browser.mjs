// Browser benchmark (not a test): upload a generated narrow CSV (id, member, confidence, loss) to
// the release bundle in headless Chromium and print the time to the full report and the longest
// main-thread task (PerformanceObserver 'longtask'). Needs `trunk build --release` first.
//   node scripts/bench/bench_browser.mjs [ROWS...]      (default: 100000 1000000)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openPage, DIST, watchLongTasks, longestTask } from '../../tests/e2e/harness.mjs';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const server = await serve(DIST);
const browser = await launch();
console.log('rows\tMB\tupload→report ms\tlongest main-thread task ms');
for (const n of sizes.length ? sizes : [100_000, 1_000_000]) {
  const file = path.join(os.tmpdir(), `mia_bench_${n}.csv`);
  if (!fs.existsSync(file)) {
    const out = fs.createWriteStream(file);
    out.write('id,member,confidence,loss\n');
    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < n; i++) {
      const c = Math.min(0.999999, 0.5 + 0.3 * rand() + (i & 1) * 0.1);
      out.write(`${i},${i & 1},${c.toFixed(6)},${(-Math.log(c)).toFixed(6)}\n`);
    }
    await new Promise((r) => out.end(r));
  }
  const { page } = await openPage(browser, server.url);
  await watchLongTasks(page);
  const t0 = Date.now();
  await page.setInputFiles('[data-testid=csv-input]', file);
  await page.waitForFunction(() => document.querySelector('.audit-head h2')?.textContent.includes('mia_bench_'), null, { timeout: 600000 });
  const ms = Date.now() - t0;
  console.log(`${n}\t${(fs.statSync(file).size / 1e6).toFixed(1)}\t${ms}\t${await longestTask(page)}`);
  await page.close();
}
await browser.close();
server.close();
