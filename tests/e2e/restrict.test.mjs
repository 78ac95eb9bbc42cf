// End-to-end: confidence restriction, against the native CLI on the same file and setting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, visible, launch, openPage, metric, DIST, OUT, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const sample = path.join(ROOT, 'www/samples/digits_noisy_mlp.csv');
const native = (...args) => {
  const v = JSON.parse(execFileSync(path.join(ROOT, 'target/release/mia'), ['restrict', sample, ...args, '--json']));
  return Math.max(...Object.values(v.after).map((s) => s.auc));
};

test('moving the temperature changes metric-restricted-auc to the native figure; exports work', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=restrict&sample=digits_noisy_mlp&temperature=1`, undefined, 'metric-restricted-auc');
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=restrict-summary]')?.textContent.startsWith('T = 1,'));
  const at1 = Number(await metric(page, 'metric-restricted-auc'));
  assert.equal(at1, native('--temperature', '1'));
  await page.locator(visible('restrict-temperature')).fill('8');
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=restrict-summary]')?.textContent.startsWith('T = 8,'));
  assert.match(page.url(), /temperature=8/);
  await page.selectOption(visible('restrict-precision'), '1');
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=restrict-summary]')?.textContent.includes('rounding 1 decimals'));
  const at8 = Number(await metric(page, 'metric-restricted-auc'));
  assert.notEqual(at8, at1);
  assert.equal(at8, native('--temperature', '8', '--precision', '1'));
  await page.screenshot({ path: path.join(OUT, 'restrict.png'), fullPage: true });

  const [json] = await Promise.all([page.waitForEvent('download'), page.click(visible('export-setting'))]);
  assert.deepEqual(JSON.parse(fs.readFileSync(await json.path(), 'utf8')), { temperature: 8, max_confidence: null, precision: 1, label_only: false });
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click(visible('export-restricted'))]);
  const lines = fs.readFileSync(await csv.path(), 'utf8').trim().split('\n');
  assert.equal(lines.length, 1798);
  assert.match(lines[0], /^id,member,label,prob_0,.*,prob_9,confidence$/);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('outputs without per-class columns are refused with a reason', async () => {
  const { page } = await openPage(browser, `${server.url}?view=restrict`, undefined, 'metric-restricted-auc');
  await page.setInputFiles(visible('restrict-file'), { name: 'conf-only.csv', mimeType: 'text/csv', buffer: Buffer.from('member,confidence\n1,0.9\n0,0.6\n1,0.8\n') });
  await page.waitForSelector(visible('restrict-error'));
  assert.match(await page.textContent(visible('restrict-error')), /needs per-class `logit_\*` or `prob_\*` columns/);
  await page.close();
});
