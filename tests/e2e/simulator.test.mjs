// End-to-end: the confidence-distribution simulator, driven through its URL and controls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, visible, launch, openPage, metric, OUT, DIST } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const SIM = '?view=simulator&n_members=20000&n_nonmembers=20000&gap=0.2&std=0.15&nonmember_mean=0.4&family=normal&seed=7';

/** Waits until the simulator shows results for parameters matching `re` in its summary line. */
async function waitForSimulation(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('.layout:not([hidden]) [data-testid=sim-summary]')?.textContent || ''),
    re.source, { timeout: 30000 });
  await page.waitForFunction(() => !document.querySelector('.layout:not([hidden]) .stale'));
}

test('the URL sets the controls; a slider changes the figure and the URL; a reload restores it', async () => {
  const { page, log } = await openPage(browser, server.url + SIM);
  await waitForSimulation(page, /20,000 members with mean confidence 0\.6/);
  const auc = Number(await metric(page, 'metric-auc'));
  const closedForm = Number(await metric(page, 'metric-analytic-auc'));
  // Φ(0.2 / (0.15·√2)) = 0.8271; clipping at 1 barely matters with means 0.4 and 0.6.
  assert.ok(Math.abs(closedForm - 0.8271) < 1e-4, `closed form ${closedForm}`);
  assert.ok(Math.abs(auc - closedForm) < 0.01, `simulated ${auc} vs closed form ${closedForm}`);
  assert.equal(await page.textContent(visible('value-gap')), '0.20');
  await page.screenshot({ path: path.join(OUT, 'simulator-gap-0.2.png'), fullPage: true });

  await page.locator(visible('control-gap')).fill('0.05');
  await page.waitForFunction(() => location.search.includes('gap=0.05'));
  await waitForSimulation(page, /mean confidence 0\.45/);
  const auc2 = Number(await metric(page, 'metric-auc'));
  assert.ok(auc2 < auc - 0.15, `gap 0.05 gives AUC ${auc2}, gap 0.2 gave ${auc}`);
  assert.match(page.url(), /n_members=20000/);
  await page.screenshot({ path: path.join(OUT, 'simulator-gap-0.05.png'), fullPage: true });

  await page.reload();
  await page.waitForSelector(visible('metric-auc'));
  await waitForSimulation(page, /mean confidence 0\.45/);
  assert.equal(Number(await metric(page, 'metric-auc')), auc2, 'same URL, same figure');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('hidden controls stay hidden; the beta family and bad settings are explained', async () => {
  const { page } = await openPage(browser, `${server.url}?view=simulator&gap=0.1&gap_hide=true&seed_hide=true`);
  await waitForSimulation(page, /members with mean confidence 0\.6/);
  assert.equal(await page.locator(visible('control-gap')).count(), 0);
  assert.equal(await page.locator(visible('control-seed')).count(), 0);
  await page.selectOption(visible('control-family'), 'beta');
  await waitForSimulation(page, /beta family/);
  assert.match(page.url(), /gap_hide=true/);
  assert.match(page.url(), /family=beta/);
  assert.equal(await metric(page, 'metric-analytic-auc'), 'n/a');
  // A beta distribution with mean 0.5 cannot have spread 0.5 (at most 0.5 only in the limit).
  await page.locator(visible('control-std')).fill('0.5');
  await page.waitForSelector(visible('sim-error'));
  assert.match(await page.textContent(visible('sim-error')), /cannot have spread 0\.500/);
  await page.close();
});

test('"use these scores" audits the simulation in the audit view', async () => {
  const { page } = await openPage(browser, server.url + SIM);
  await waitForSimulation(page, /20,000 members/);
  const simAuc = await metric(page, 'metric-auc');
  await page.click(visible('use-scores'));
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) .audit-head h2')?.textContent.includes('Audit of simulated scores'), null, { timeout: 30000 });
  await page.waitForFunction(() => location.search.includes('view=audit') && location.search.includes('source=simulation'));
  await page.click(visible('signal-confidence'));
  assert.equal(await metric(page, 'metric-auc'), simAuc);
  // The audit of simulated scores is a link too.
  await page.reload();
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) .audit-head h2')?.textContent.includes('Audit of simulated scores'), null, { timeout: 30000 });
  assert.equal(await metric(page, 'metric-auc'), simAuc);
  await page.close();
});
