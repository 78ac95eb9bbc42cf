// End-to-end: the reference attacks (LiRA, RMIA) on the release bundle. The bundled case at once;
// an uploaded public case read in the worker with every variant's figures equal to `mia lira` on
// the same file; references trained in the page (progress, a stop that keeps what is trained),
// the generated CSV downloaded and checked with `mia lira`; bad files named; no network.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, visible, launch, openPage, metric, referenceCsv, chartsDrawn, DIST, FIXTURES, OUT, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const mia = (...args) => JSON.parse(execFileSync(path.join(ROOT, 'target', 'release', 'mia'), args));
const VARIANTS = ['target_phi', 'lira_online', 'lira_online_global', 'lira_offline', 'lira_offline_global', 'rmia_online', 'rmia_offline'];
const LIRA = path.join(FIXTURES, 'lira');

/** Every variant's AUC and TPR at 1 % FPR on the page equal `mia lira --json` on `file`. */
async function assertSameAsCli(page, file) {
  const native = mia('lira', file, '--json');
  for (const v of VARIANTS) {
    assert.equal(Number(await metric(page, `lira-auc-${v}`)), native.variants[v].auc, `${v} AUC`);
    assert.equal(Number(await metric(page, `lira-tpr1-${v}`)), native.variants[v].tpr_at_fpr['0.01'], `${v} TPR at 1 %`);
  }
  return native;
}

/** Waits for the comparison of the source whose title holds `name`. */
async function waitForComparison(page, name, timeout = 60000) {
  await page.waitForFunction((n) => document.querySelector('.layout:not([hidden]) [data-testid=lira-summary] h2')?.textContent.includes(n), name, { timeout });
}

test('the bundled case at once, an uploaded public case equal to mia lira, and no network', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=lira`, undefined, 'lira-auc-lira_online');
  const loaded = log.requests.length;
  const expected = JSON.parse(fs.readFileSync(path.join(LIRA, 'lira01_digits_noise8_M8.expected.json'), 'utf8'));
  for (const v of VARIANTS) {
    const auc = Number(await metric(page, `lira-auc-${v}`));
    assert.ok(Math.abs(auc - expected.variants[v].auc) <= 1e-9, `${v}: ${auc}`);
    assert.equal(Number(await metric(page, `lira-tpr1-${v}`)), expected.variants[v].tpr_at_fpr['0.01'], v);
  }
  await assertSameAsCli(page, path.join(LIRA, 'lira01_digits_noise8_M8.csv'));
  await chartsDrawn(page);
  await page.screenshot({ path: path.join(OUT, 'lira-bundled.png'), fullPage: true });

  // Upload the other public case through the file input.
  await page.click(visible('lira-source-file'));
  await page.setInputFiles(visible('lira-input'), path.join(LIRA, 'lira07_edge_prob_M4.csv'));
  await waitForComparison(page, 'lira07_edge_prob_M4.csv');
  const native = await assertSameAsCli(page, path.join(LIRA, 'lira07_edge_prob_M4.csv'));
  assert.equal(native.phi_mode, 'prob');
  assert.match(page.url(), /view=lira&source=file/);
  await chartsDrawn(page);
  await page.screenshot({ path: path.join(OUT, 'lira-upload.png'), fullPage: true });

  // New attack parameters re-run the attacks on the same file.
  await page.click('.layout:not([hidden]) details.advanced summary');
  await page.fill(visible('lira-gamma'), '2');
  await page.press(visible('lira-gamma'), 'Enter');
  const gamma2 = mia('lira', path.join(LIRA, 'lira07_edge_prob_M4.csv'), '--gamma', '2', '--json');
  await page.waitForFunction((want) => Number(document.querySelector('.layout:not([hidden]) [data-testid=lira-auc-rmia_online]')?.dataset.value) === want,
    gamma2.variants.rmia_online.auc, { timeout: 30000 });
  assert.match(page.url(), /gamma=2/);

  // A file whose reference columns have a gap is refused by name.
  const gap = 'member,phi,ref_in_0,ref_in_2,ref_phi_0,ref_phi_2\n1,1,1,0,1,1\n0,0,0,1,1,1\n';
  await page.setInputFiles(visible('lira-input'), { name: 'gap.csv', mimeType: 'text/csv', buffer: Buffer.from(gap) });
  await page.waitForSelector(visible('lira-error'), { timeout: 30000 });
  assert.match(await page.textContent(visible('lira-error')), /Column `ref_in_1` is missing/);
  assert.deepEqual(log.requests.slice(loaded), [], 'no network request after load');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('references trained in the page: progress, stop keeps them, LiRA beats the target-only attack, the CSV checks out', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=lira&source=train&dataset=digits&m=8`, undefined, 'lira-train');
  // A stop after a few references keeps them.
  await page.click(visible('lira-train'));
  await page.waitForFunction(() => /Training reference model [2-9]/.test(
    document.querySelector('.layout:not([hidden]) [data-testid=progress]')?.textContent || ''), null, { timeout: 120000 });
  await page.screenshot({ path: path.join(OUT, 'lira-training.png'), fullPage: true });
  await page.click(visible('cancel'));
  await page.waitForSelector(visible('lira-partial'), { timeout: 60000 });
  assert.match(await page.textContent(visible('lira-partial')), /stopped after \d of 8 reference models/);

  // The full training.
  await page.click(visible('lira-train'));
  await page.waitForFunction(() => !document.querySelector('.layout:not([hidden]) [data-testid=lira-partial]')
    && document.querySelector('.layout:not([hidden]) [data-testid=lira-training]'), null, { timeout: 300000 });
  const online = Number(await metric(page, 'lira-tpr1-lira_online'));
  const target = Number(await metric(page, 'lira-tpr1-target_phi'));
  assert.ok(online > target, `LiRA online ${online} vs target-only ${target} at 1 % FPR`);
  await chartsDrawn(page);
  await page.screenshot({ path: path.join(OUT, 'lira-trained.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.click(visible('lira-download-csv'))]);
  const csv = path.join(OUT, 'lira-generated.csv');
  fs.copyFileSync(await download.path(), csv);
  const native = await assertSameAsCli(page, csv);
  assert.equal(native.M, 8);
  assert.equal(native.n_records, 1797);

  // Phone width: the same view, readable.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500);
  await chartsDrawn(page);
  await page.screenshot({ path: path.join(OUT, 'lira-phone.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the audit view offers a reference-attack CSV to this view; the strongest variant reaches the checklist', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=audit`);
  await page.setInputFiles('[data-testid=csv-input]', path.join(LIRA, 'lira01_digits_noise8_M8.csv'));
  await page.waitForSelector(visible('open-in-lira'), { timeout: 30000 });
  await page.click(visible('open-in-lira'));
  await waitForComparison(page, 'lira01_digits_noise8_M8.csv');
  assert.match(page.url(), /view=lira&source=file/);
  await assertSameAsCli(page, path.join(LIRA, 'lira01_digits_noise8_M8.csv'));

  await page.click('[data-testid=view-checklist]');
  await page.waitForSelector(visible('measured-attack-name'));
  assert.match(await page.textContent(visible('measured-attack-name')), /^LiRA online, global spread \(8 reference models\): AUC 0\.8976/);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(visible('download-report-json'))]);
  const report = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
  assert.equal(report.measured_attack.attack, 'LiRA online, global spread (8 reference models)');
  assert.equal(report.reference_attacks.strongest, 'lira_online_global');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a large reference-attack CSV is read and attacked by two workers, with the figures of mia lira', async () => {
  // 100,000 records × 16 references: about 20 MB, over the two-worker threshold (16 MiB), and
  // 1.6 million reference values, over the threshold for sharing the attacks' tasks (1 million).
  const file = referenceCsv(OUT, 100000, 16);
  const { page, log } = await openPage(browser, `${server.url}?view=lira&source=file`, undefined, 'lira-input');
  await page.setInputFiles(visible('lira-input'), file);
  await waitForComparison(page, path.basename(file), 120000);
  assert.equal(await page.getAttribute(visible('lira-timings'), 'data-workers'), '2');
  // RMIA ran in the part worker, on the table it joined itself from the part it read and the
  // rows the audit worker sent it while it read: every variant still equals mia lira's.
  assert.equal(await page.getAttribute(visible('lira-timings'), 'data-attack-workers'), '2');
  assert.equal(await page.getAttribute(visible('lira-timings'), 'data-attack-table'), 'joined there');
  // Every byte read here came through the slice reader (none read synchronously instead).
  assert.equal(await page.getAttribute(visible('lira-timings'), 'data-slices-read-here'), '0');
  await assertSameAsCli(page, file);
  assert.deepEqual(log.errors, []);
  await page.close();
});
