// Simulator benchmark (not a test): with 100,000 members and 100,000 non-members, move the gap
// slider through several values and print, per move, the time until the charts show the new
// simulation, and the longest main-thread task seen (PerformanceObserver 'longtask').
// Needs `trunk build --release` first:  node scripts/bench/bench_simulator.mjs [N_PER_SIDE]
import { serve, launch, DIST, watchLongTasks, longestTask } from '../../tests/e2e/harness.mjs';

const n = Number(process.argv[2] || 100_000);
const server = await serve(DIST);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const fmt = (x) => x.toLocaleString('en-US');
await page.goto(`${server.url}?view=simulator&n_members=${n}&n_nonmembers=${n}&gap=0.1&std=0.15&nonmember_mean=0.5&family=normal&seed=1`);
const settled = (gap) => page.waitForFunction((g) => {
  const s = document.querySelector('.layout:not([hidden]) [data-testid=sim-summary]')?.textContent || '';
  return s.includes(`mean confidence ${g}`) && !document.querySelector('.layout:not([hidden]) .stale');
}, gap, { timeout: 120000 });
await settled('0.600');
await watchLongTasks(page);
console.log(`${fmt(n)} members + ${fmt(n)} non-members`);
console.log('gap\tslider → charts updated (ms)');
const times = [];
for (const gap of ['0.15', '0.2', '0.25', '0.3', '0.35', '0.05']) {
  const t0 = Date.now();
  await page.locator('.layout:not([hidden]) [data-testid=control-gap]').fill(gap);
  await settled((0.5 + Number(gap)).toFixed(3));
  times.push(Date.now() - t0);
  console.log(`${gap}\t${times.at(-1)}`);
}
times.sort((a, b) => a - b);
console.log(`median ${times[Math.floor(times.length / 2)]} ms; longest main-thread task ${await longestTask(page)} ms`);
await browser.close();
server.close();
