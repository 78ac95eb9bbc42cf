// End-to-end: the DP view's accountant against the native CLI (the same engine, itself checked
// against dp_accounting), and a claimed ε held against the ROC of a conformance case.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, visible, launch, openPage, metric, upload, waitForAuditOf, DIST, FIXTURES, OUT, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const mia = (...args) => JSON.parse(execFileSync(path.join(ROOT, 'target/release/mia'), args));
const CASE = 'case08_digits_noisy_mlp_overfit';

async function fill(page, id, value) {
  const el = page.locator(visible(id));
  await el.fill(value);
  await el.press('Tab');
}

/** Share of the canvas's pixels in the DP bound's colour (200, 30, 45). */
async function boundPixels(page, scope) {
  return page.$eval(`${scope} canvas`, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 200) < 12 && d[i + 1] < 60 && Math.abs(d[i + 2] - 45) < 15) n++;
    return n;
  });
}

test('DP-SGD settings give the native epsilon; a target epsilon gives the noise multiplier', async () => {
  // Opacus's published run: q = 1000 / 25,000 = 0.04, 90 epochs = 2,250 steps, sigma 1.5.
  const { page, log } = await openPage(browser, `${server.url}?view=dp&dp_n=25000&dp_batch=1000&dp_epochs=90&dp_sigma=1.5&dp_delta=1e-5`,
    undefined, 'metric-epsilon');
  const native = mia('dp-epsilon', '--q', '0.04', '--sigma', '1.5', '--steps', '2250', '--delta', '1e-5', '--json');
  // The browser's wasm and the native CLI run the same engine; libm's last bits may differ.
  const close = (a, b) => Math.abs(a - b) <= 1e-12 * Math.abs(b);
  assert.ok(close(Number(await metric(page, 'metric-epsilon')), native.epsilon));
  assert.ok(Math.abs(native.epsilon - 7.329) < 5e-4);
  assert.equal(await metric(page, 'metric-steps'), '2250');
  assert.equal(await metric(page, 'metric-optimal-order'), '3.9');
  assert.equal(await page.getAttribute(`${visible('epsilon-guide')} tr[aria-current=true]`, 'data-band'), 'moderate');

  // Ten times the noise: epsilon falls; the URL follows the form.
  await fill(page, 'dp-sigma', '15');
  await page.waitForFunction(() => location.search.includes('dp_sigma=15'));
  const quiet = Number(await metric(page, 'metric-epsilon'));
  assert.ok(close(quiet, mia('dp-epsilon', '--q', '0.04', '--sigma', '15', '--steps', '2250', '--delta', '1e-5', '--json').epsilon));
  assert.equal(await page.getAttribute(`${visible('epsilon-guide')} tr[aria-current=true]`, 'data-band'), 'very_strong');

  // Steps given directly override the epochs.
  await fill(page, 'dp-sigma', '1.5');
  await fill(page, 'dp-epochs', '1');
  await fill(page, 'dp-steps', '2250');
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=metric-steps]')?.dataset.value === '2250');
  assert.ok(close(Number(await metric(page, 'metric-epsilon')), native.epsilon));

  // The inverse: the sigma for a target epsilon.
  await fill(page, 'dp-sigma', '1.5');
  await fill(page, 'dp-target', String(native.epsilon));
  await page.waitForSelector(visible('metric-sigma'));
  assert.ok(Math.abs(Number(await metric(page, 'metric-sigma')) - 1.5) < 1e-5);

  // Bad input: a message, not a crash.
  await fill(page, 'dp-batch', '30000');
  assert.match(await page.textContent(visible('dp-error')), /batch of 30000 from a dataset of 25000/);
  await page.screenshot({ path: path.join(OUT, 'dp-accountant.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a small claimed epsilon is contradicted by the ROC of a conformance case, and the bound is drawn', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=audit`);
  const loaded = log.requests.length;
  await upload(page, path.join(FIXTURES, `${CASE}.csv`));
  await waitForAuditOf(page, `${CASE}.csv`);
  // Confidence intervals on the headline numbers.
  const ci = await page.$eval(visible('metric-auc-ci'), (e) => [Number(e.dataset.lower), Number(e.dataset.upper)]);
  const auc = Number(await metric(page, 'metric-auc'));
  assert.ok(ci[0] < auc && auc < ci[1] && ci[1] - ci[0] < 0.1, `${ci} around ${auc}`);
  const before = await boundPixels(page, '.layout:not([hidden]) .charts .chart:nth-child(2)');

  await page.click('[data-testid=view-dp]');
  await page.waitForSelector(visible('metric-epsilon-lower-bound'));
  await fill(page, 'claim-epsilon', '0.5');
  await page.waitForSelector(visible('dp-verdict'));
  assert.equal(await page.getAttribute(visible('dp-verdict'), 'data-value'), 'contradicted');
  assert.match(await page.textContent(visible('dp-verdict')), /^Contradicts ε = 0\.500, δ = 1e-5: at FPR/);
  const lb = Number(await metric(page, 'metric-epsilon-lower-bound'));
  assert.ok(lb > 0.5, `lower bound ${lb}`);
  assert.equal(await metric(page, 'metric-claim-status'), 'refuted');
  assert.match(page.url(), /claim_epsilon=0\.5/);
  assert.ok(await boundPixels(page, '.layout:not([hidden]) .epsilon-audit') > 200);
  await page.screenshot({ path: path.join(OUT, 'dp-claim.png'), fullPage: true });

  // The same claim on the audit view's ROC: the bound is drawn and the verdict shown.
  await page.click('[data-testid=view-audit]');
  await page.waitForSelector(visible('dp-verdict'));
  assert.equal(await page.getAttribute(visible('dp-verdict'), 'data-value'), 'contradicted');
  assert.match(page.url(), /claim_epsilon=0\.5/);
  const after = await boundPixels(page, '.layout:not([hidden]) .charts .chart:nth-child(2)');
  assert.equal(before, 0);
  assert.ok(after > 200, `bound pixels ${after}`);
  await page.screenshot({ path: path.join(OUT, 'audit-dp-bound.png'), fullPage: true });

  // A generous claim is consistent with the curve; the lower bound does not refute it.
  await page.click('[data-testid=view-dp]');
  await fill(page, 'claim-epsilon', '8');
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=dp-verdict]')?.dataset.value === 'consistent');
  assert.equal(await metric(page, 'metric-claim-status'), 'not_refuted');
  assert.deepEqual(log.requests.slice(loaded), []);
  assert.deepEqual(log.errors, []);
  await page.close();
});
