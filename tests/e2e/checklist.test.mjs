// End-to-end: the privacy risk checklist and the review report, on an uploaded conformance case.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { serve, visible, launch, openPage, metric, upload, waitForAuditOf, DIST, FIXTURES, OUT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const CASE = 'case08_digits_noisy_mlp_overfit';
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${CASE}.expected.json`), 'utf8'));

/** Sets a fact in the checklist form and waits for the verdict to settle on `overall`. */
async function setFact(page, id, value) {
  const el = page.locator(visible(id));
  if (await el.evaluate((e) => e.tagName === 'SELECT')) await el.selectOption(value);
  else { await el.fill(value); await el.press('Tab'); }
}
async function verdict(page) {
  return { overall: await metric(page, 'metric-overall-risk'), approved: await metric(page, 'metric-approved'),
    dp: await metric(page, 'metric-requires-dp') };
}

test('the checklist fills from the audit, follows the form, and the report carries the page\'s figures', async () => {
  const file = path.join(FIXTURES, `${CASE}.csv`);
  const bytes = fs.readFileSync(file);
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const { page, log } = await openPage(browser, `${server.url}?view=audit`);
  const loaded = log.requests.length;
  await upload(page, file);
  await waitForAuditOf(page, `${CASE}.csv`);

  await page.click('[data-testid=view-checklist]');
  await page.waitForSelector(visible('metric-overall-risk'));
  assert.match(page.url(), /view=checklist/);
  // Measured facts come from the audit, and say so.
  const gap = expected.target_train_accuracy - expected.target_test_accuracy;
  assert.equal(await page.inputValue(visible('fact-generalization-gap')), gap.toFixed(4));
  assert.match(await page.textContent(visible('fact-generalization-gap-origin')), /^from the audit: accuracy/);
  assert.equal(await page.inputValue(visible('fact-n-training-examples')), String(expected.n_members));
  assert.match(await page.textContent(visible('fact-n-training-examples-origin')), /member records audited/);
  assert.equal(await page.inputValue(visible('fact-returns-logprobs')), 'yes');
  // Gap 0.40 > 0.3 (high), logits (high), 898 < 1,000 examples (critical).
  assert.deepEqual(await verdict(page), { overall: 'critical', approved: 'no', dp: 'no' });
  assert.equal(await metric(page, 'metric-measured-risk'), 'critical');

  // A hospital deployment in the EU on a large model.
  await setFact(page, 'fact-sensitivity', 'medical');
  await setFact(page, 'fact-includes-eu-residents', 'yes');
  await setFact(page, 'fact-model-size', 'large');
  assert.deepEqual(await verdict(page), { overall: 'critical', approved: 'no', dp: 'yes' });
  const findings = await page.$$eval(`${visible('findings')} tr[data-finding]`, (r) => r.map((x) => x.dataset.finding));
  assert.deepEqual(findings, ['data_sensitivity', 'overfitting', 'very_small_dataset', 'logprob_exposure', 'gdpr_scope',
    'no_privacy_training', 'large_model_memorization']);
  const status = await page.$$eval(`${visible('regulations')} tr[data-regulation]`, (r) => Object.fromEntries(r.map((x) => [x.dataset.regulation, x.dataset.status])));
  assert.deepEqual(status, { gdpr_art17: 'applies', gdpr_art5_1c: 'applies', hipaa: 'applies', ccpa: 'check', eu_ai_act: 'applies' });
  assert.match(page.url(), /sensitivity=medical/);
  await page.screenshot({ path: path.join(OUT, 'checklist-critical.png'), fullPage: true });

  // General data, DP-SGD, the real training-set size: two highs → high, approved, no DP requirement.
  await setFact(page, 'fact-sensitivity', 'general');
  await setFact(page, 'fact-training', 'dp_sgd');
  await setFact(page, 'fact-includes-eu-residents', 'no');
  await setFact(page, 'fact-model-size', 'small');
  await setFact(page, 'fact-n-training-examples', '50,000');
  assert.equal(await page.textContent(visible('fact-n-training-examples-origin')), 'entered by the reviewer · use the audit\'s value (898)');
  assert.deepEqual(await verdict(page), { overall: 'high', approved: 'yes', dp: 'no' });
  // The measured attack is worse than the checklist: said on the page.
  assert.match(await page.textContent(visible('evidence-warning')), /worse than the checklist's overall high risk/);
  // A bad number is refused with a message and changes nothing.
  await setFact(page, 'fact-generalization-gap', '40%');
  assert.match(await page.textContent('.layout:not([hidden]) .field-error'), /not a number/);
  assert.deepEqual(await verdict(page), { overall: 'high', approved: 'yes', dp: 'no' });
  await page.screenshot({ path: path.join(OUT, 'checklist-high.png'), fullPage: true });

  // The report: HTML and JSON, both with the figures on the page.
  const measuredNote = await page.textContent('.layout:not([hidden]) [data-testid=metric-measured-risk] + .metric-note');
  const aucShown = measuredNote.match(/AUC (\d\.\d{4})/)[1];
  const [htmlDl] = await Promise.all([page.waitForEvent('download'), page.click(visible('download-report-html'))]);
  assert.match(htmlDl.suggestedFilename(), /^privacy-review-case08_digits_noisy_mlp_overfit-\d{4}-\d\d-\d\d\.html$/);
  const reportPath = path.join(OUT, 'review-report.html');
  fs.copyFileSync(await htmlDl.path(), reportPath);
  const html = fs.readFileSync(reportPath, 'utf8');
  assert.ok(html.includes(`${CASE}.csv`));
  assert.ok(html.includes(sha), 'SHA-256 of the uploaded file');
  assert.ok(html.includes(`${bytes.length.toLocaleString('en-US')} bytes`));
  assert.ok(html.includes('id="overall-risk">high<'));
  assert.ok(html.includes('id="approved">yes<'));
  assert.ok(html.includes(`AUC ${aucShown}`));
  assert.ok(html.includes('entered by the reviewer'));
  assert.ok(html.includes('50,000'));
  assert.equal((html.match(/<img alt="[^"]*" src="data:image\/png;base64,/g) || []).length, 3);
  assert.ok(!/<script/i.test(html));
  const [jsonDl] = await Promise.all([page.waitForEvent('download'), page.click(visible('download-report-json'))]);
  const j = JSON.parse(fs.readFileSync(await jsonDl.path(), 'utf8'));
  assert.equal(j.input.sha256, sha);
  assert.equal(j.input.size_bytes, bytes.length);
  assert.equal(j.checklist.overall_risk, 'high');
  assert.equal(j.checklist.approved_for_deployment, true);
  assert.equal(j.facts.n_training_examples, 50000);
  assert.equal(j.measured_attack.auc.toFixed(4), aucShown);
  // Every signal's AUC in the report is scikit-learn's (where the conformance case has it).
  for (const [key, want] of Object.entries(expected.scores)) {
    assert.ok(Math.abs(j.audit.scores[key].auc - want.auc) < 1e-9, key);
  }

  // Nothing left the page.
  assert.deepEqual(log.requests.slice(loaded), []);
  assert.deepEqual(log.errors, []);

  // The report opened as a reviewer would, and both printed to PDF.
  const view = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const viewRequests = [];
  view.on('request', (r) => viewRequests.push(r.url()));
  await view.goto(`file://${reportPath}`);
  assert.equal(await view.textContent('#overall-risk'), 'high');
  assert.equal(await view.$$eval('img', (imgs) => imgs.filter((i) => i.naturalWidth > 0).length), 3);
  assert.deepEqual(viewRequests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
  await view.screenshot({ path: path.join(OUT, 'review-report.png'), fullPage: true });
  await view.pdf({ path: path.join(OUT, 'review-report.pdf'), format: 'A4', printBackground: true });
  await view.close();
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: path.join(OUT, 'checklist-print.png'), fullPage: true });
  await page.pdf({ path: path.join(OUT, 'checklist-page.pdf'), format: 'A4', printBackground: true });
  await page.close();
});

test('facts in the link count as entered; the checklist works before any upload', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=checklist&sensitivity=biometric&training=dp_sgd&n_training_examples=2000000`,
    undefined, 'metric-overall-risk');
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=metric-measured-risk]')?.dataset.value !== 'none');
  // Biometric data is critical whatever the training; DP training required.
  assert.deepEqual(await verdict(page), { overall: 'critical', approved: 'no', dp: 'yes' });
  assert.equal(await page.textContent(visible('fact-sensitivity-origin')), 'entered by the reviewer');
  assert.equal(await page.inputValue(visible('fact-n-training-examples')), '2000000');
  await page.screenshot({ path: path.join(OUT, 'checklist-link.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the memorisation finding links to the text audit, whose figures reach the review report', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=checklist&model_size=large&n_training_examples=5000`,
    undefined, 'metric-overall-risk');
  const finding = page.locator(visible('finding-text-audit'));
  assert.match(await finding.textContent(), /No text audit run yet/);
  await page.click(visible('open-text-audit'));
  // The Text view opens on its first sample: the verbatim test of the bundled pairs.
  await page.waitForSelector(visible('text-memorised-count'), { timeout: 60000 });
  assert.match(page.url(), /view=text/);
  const memorised = await metric(page, 'text-memorised-count');
  await page.click('[data-testid=view-checklist]');
  await page.waitForSelector(visible('finding-text-audit'));
  assert.match(await page.textContent(visible('finding-text-audit')), new RegExp(`Last text audit: .*${memorised} of \\d+ texts memorised`));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(visible('download-report-json'))]);
  const report = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(report.text_audit.figures.mode, 'pairs');
  assert.equal(String(report.text_audit.figures.memorized), memorised);
  assert.deepEqual(log.errors, []);
  await page.close();
});
