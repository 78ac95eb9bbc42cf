// End-to-end: the unlearning view. A sample at once; figures equal `mia unlearn-verify --json` for
// the same file; a retrained model verifies and a fine-tuned one does not, with the failed test
// named; two files joined on id; bad input named; no network request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, visible, launch, openPage, metric, DIST, OUT, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const FIXTURES = path.join(ROOT, 'engine', 'tests', 'fixtures', 'unlearning');
const verify = (...files) => JSON.parse(execFileSync(path.join(ROOT, 'target', 'release', 'mia'), ['unlearn-verify', ...files, '--json']));
const lockedDown = (page) => page.waitForSelector('#csp-lockdown', { state: 'attached', timeout: 30000 });
const seedFigures = async (page) => ({
  before: Number(await metric(page, 'unlearn-gap-before')),
  after: Number(await metric(page, 'unlearn-gap-after')),
  reduction: Number(await metric(page, 'unlearn-gap-reduction')),
  verified: await metric(page, 'unlearn-verified'),
});
const waitForSource = (page, text) => page.waitForFunction((t) => document.querySelector('.layout:not([hidden]) [data-testid=unlearn-counts]')?.textContent.includes(t), text, { timeout: 30000 });

test('the samples: fine-tuning is not verified, retraining is; the figures are mia unlearn-verify\'s', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=unlearn`, undefined, 'unlearn-verdict');
  await lockedDown(page);
  const loaded = log.requests.length;
  const finetune = verify(path.join(ROOT, 'www/samples/unlearn_finetune_digits.csv'));
  assert.equal(await metric(page, 'unlearn-verdict'), 'not_verified');
  assert.deepEqual(await seedFigures(page), {
    before: finetune.seed_test.membership_gap_before, after: finetune.seed_test.membership_gap_after,
    reduction: finetune.seed_test.gap_reduction, verified: 'false',
  });
  assert.match(await page.textContent(visible('unlearn-verdict')), /The seed design's test: the mean confidence gap after unlearning is 0\.3477/);
  assert.match(await page.textContent(visible('unlearn-verdict')), /The attack: Confidence on true label: the AUC 0\.80\d\d has a 95 % interval/);
  await page.screenshot({ path: path.join(OUT, 'unlearn-finetune.png'), fullPage: true });
  // The checklist's right-to-erasure rows show the last verification, with a way back to it.
  await page.click('[data-testid=view-checklist]');
  await page.waitForSelector(visible('erasure-gdpr_art17'));
  assert.equal(await metric(page, 'erasure-gdpr_art17'), 'false');
  assert.equal(await metric(page, 'erasure-ccpa'), 'false');
  assert.match(await page.textContent(visible('erasure-gdpr_art17')), /Last unlearning verification: not verified \(Noisy digits, fine-tuned/);
  await page.click(`${visible('erasure-gdpr_art17')} button`);
  await page.waitForSelector(visible('unlearn-verdict'));

  await page.click(visible('unlearn-sample-unlearn_retrain_digits'));
  await waitForSource(page, 'retrained');
  const retrain = verify(path.join(ROOT, 'www/samples/unlearn_retrain_digits.csv'));
  assert.equal(retrain.verified, true);
  assert.equal(await metric(page, 'unlearn-verdict'), 'verified');
  assert.equal(Number(await metric(page, 'unlearn-gap-after')), retrain.seed_test.membership_gap_after);
  assert.match(page.url(), /view=unlearn&source=sample&sample=unlearn_retrain_digits/);
  await page.screenshot({ path: path.join(OUT, 'unlearn-retrain.png'), fullPage: true });
  assert.deepEqual(log.requests.slice(loaded), [], 'no network request after load');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('uploaded files: one file, two joined on id, and bad input named', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=unlearn`, undefined, 'unlearn-verdict');
  await lockedDown(page);
  const loaded = log.requests.length;
  const one = path.join(FIXTURES, 'case02_unverified_probs.csv');
  await page.setInputFiles(visible('unlearn-input'), one);
  await waitForSource(page, 'case02_unverified_probs.csv');
  const want = verify(one);
  assert.equal(Number(await metric(page, 'unlearn-gap-after')), want.seed_test.membership_gap_after);
  assert.equal(await metric(page, 'unlearn-verified'), 'false');

  const b = path.join(FIXTURES, 'case08_two_files_before.csv');
  const a = path.join(FIXTURES, 'case08_two_files_after.csv');
  await page.setInputFiles(visible('unlearn-input'), b);
  await page.setInputFiles(visible('unlearn-after'), a);
  await waitForSource(page, 'case08_two_files_before.csv + case08_two_files_after.csv');
  const two = verify(b, a);
  assert.equal(Number(await metric(page, 'unlearn-gap-after')), two.seed_test.membership_gap_after);
  assert.equal(Number(await metric(page, 'unlearn-gap-before')), two.seed_test.membership_gap_before);

  // An after file whose id does not join, then a single file without after_ columns.
  const stray = 'id,prob_0,prob_1,prob_2\nnope,0.3,0.3,0.4\n';
  await page.setInputFiles(visible('unlearn-after'), { name: 'stray.csv', mimeType: 'text/csv', buffer: Buffer.from(stray) });
  await page.waitForSelector(visible('unlearn-error'), { timeout: 30000 });
  assert.match(await page.textContent(visible('unlearn-error')), /id `nope` \(stray\.csv, row 2\) is not in case08_two_files_before\.csv/);
  assert.deepEqual(log.requests.slice(loaded), [], 'no network request after load');
  assert.deepEqual(log.errors, []);
  await page.close();
});
