// End-to-end: the release build in Debian's Chromium, driven by playwright-core.
// Run by scripts/dev/test.sh after `trunk build --release`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, openPage, metric, upload, waitForAuditOf, DIST, FIXTURES, OUT, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const CASE = 'case08_digits_noisy_mlp_overfit';
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${CASE}.expected.json`), 'utf8'));
const close = (got, want, what) => assert.ok(Math.abs(Number(got) - want) <= 1e-9, `${what}: page ${got}, scikit-learn ${want}`);

test('first visit shows the bundled sample audit, with the native engine figures', async () => {
  const { page, log } = await openPage(browser, server.url);
  const mia = path.join(ROOT, 'target', 'release', 'mia');
  const native = JSON.parse(execFileSync(mia, ['audit', path.join(ROOT, 'www/samples/digits_noisy_mlp.csv'), '--json']));
  // The page shows the strongest signal by default; find it in the native report.
  const best = Object.entries(native.scores).reduce((a, b) => (b[1].auc > a[1].auc ? b : a));
  close(await metric(page, 'metric-auc'), best[1].auc, `sample AUC (${best[0]})`);
  assert.equal(await metric(page, 'metric-risk'), best[1].risk_level);
  assert.match(page.url(), /view=audit/);
  assert.match(page.url(), /sample=digits_noisy_mlp/);
  await page.screenshot({ path: path.join(OUT, 'first-visit.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('uploading a conformance CSV gives scikit-learn figures and sends nothing over the network', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=audit&signal=confidence`);
  const loaded = log.requests.length;
  await upload(page, path.join(FIXTURES, `${CASE}.csv`));
  await waitForAuditOf(page, `${CASE}.csv`);
  const want = expected.scores.confidence;
  close(await metric(page, 'metric-auc'), want.auc, 'AUC');
  close(await metric(page, 'metric-tpr-1'), want.tpr_at_fpr['0.01'], 'TPR@1%');
  close(await metric(page, 'metric-tpr-10'), want.tpr_at_fpr['0.1'], 'TPR@10%');
  // 899 non-members cannot resolve a 0.1 % FPR: shown as not measurable, never as 0.
  assert.equal(await metric(page, 'metric-tpr-0.1'), 'not-measurable');
  close(await metric(page, 'metric-advantage'), want.attacker_advantage, 'advantage');
  close(await metric(page, 'metric-balanced-accuracy'), want.best_balanced_accuracy, 'balanced accuracy');
  close(await metric(page, 'metric-gap'), expected.generalization_gap, 'gap');
  assert.equal(await metric(page, 'metric-risk'), want.risk_level);
  assert.match(await page.textContent('[data-testid=metric-auc]'), /^0\.8261$/);

  // Switching signal updates the figures.
  await page.click('[data-testid=signal-neg_loss]');
  await page.waitForFunction(() => location.search.includes('signal=neg_loss'));
  close(await metric(page, 'metric-auc'), expected.scores.neg_loss.auc, 'neg_loss AUC');

  // The threshold slider moves the live readout.
  const before = await page.textContent('[data-testid=threshold-readout]');
  await page.locator('[data-testid=threshold-slider]').fill('-1');
  await page.waitForFunction((b) => document.querySelector('[data-testid=threshold-readout]').textContent !== b, before);

  await page.screenshot({ path: path.join(OUT, 'uploaded-case08.png'), fullPage: true });

  // The CSP lockdown is in place: a fetch from the page is refused without touching the network.
  assert.equal(await page.locator('meta#csp-lockdown').count(), 1);
  const fetched = await page.evaluate(() => fetch('/samples/index.json').then(() => 'sent', () => 'blocked'));
  assert.equal(fetched, 'blocked');
  // Only Trunk's own loader may run inline: an injected inline script is refused.
  const injected = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = 1';
    document.body.appendChild(s);
    return window.__injected === 1;
  });
  assert.equal(injected, false, 'inline script ran despite the CSP');
  // Exporting a chart makes a PNG in the page: a download, not a request.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.chart .export >> nth=0')]);
  assert.match(download.suggestedFilename(), /^histogram_neg_loss\.png$/);
  const png = fs.readFileSync(await download.path());
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.deepEqual(log.requests.slice(loaded), [], 'no network request after load');
  assert.deepEqual(log.errors.filter((e) => !e.includes('Content Security Policy')), []);
  await page.close();
});

const BAD = [
  ['empty.csv', '', /empty/i],
  ['header-only.csv', 'id,member,confidence\n', /no data rows/i],
  ['no-member.csv', 'id,conf_score,loss\n1,0.9,0.1\n2,0.8,0.2\n', /No member column/],
  ['one-class.csv', 'member,confidence\n1,0.9\n1,0.8\n1,0.7\n', /Only one class/],
  ['all-bad.csv', 'member,confidence\n1,abc\n0,NaN\n', /row 2, column `confidence`: `abc` is not a number/],
  ['not-utf8.csv', Buffer.from([0x6d, 0x65, 0x6d, 0x62, 0x65, 0x72, 0xff, 0x2c, 0x63, 0x0a, 0x31, 0x2c, 0x30, 0x2e, 0x35, 0x0a]), /UTF-8/],
];

test('bad input gets a clear message naming what to fix', async () => {
  const { page } = await openPage(browser, server.url);
  for (const [name, content, pattern] of BAD) {
    await upload(page, { name, mimeType: 'text/csv', buffer: Buffer.from(content) });
    await page.waitForFunction((n) => document.querySelector('[data-testid=load-error]')?.textContent.includes(n), name, { timeout: 15000 });
    const text = await page.textContent('[data-testid=load-error]');
    assert.match(text, pattern, `${name}: ${text}`);
    if (name === 'no-member.csv') await page.screenshot({ path: path.join(OUT, 'load-error.png'), fullPage: false });
  }
  // A file with some bad rows is audited; the skipped rows are counted and named.
  const rows = ['id,member,confidence'];
  for (let i = 0; i < 40; i++) rows.push(`${i},${i % 2},${(0.5 + (i % 2) * 0.3 + (i % 7) * 0.01).toFixed(3)}`);
  rows.push('x1,1,oops', 'x2,0,0.5,extra', 'x3,maybe,0.4', 'x4,0,1.7');
  await upload(page, { name: 'some-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n')) });
  await waitForAuditOf(page, 'some-bad.csv');
  const warn = await page.textContent('[data-testid=load-warnings]');
  assert.match(warn, /4 of 44 data rows were skipped/);
  assert.match(warn, /row 42, column `confidence`: `oops` is not a number/);
  assert.match(warn, /row 43: has 4 fields but the header has 3/);
  assert.match(warn, /row 44, column `member`: `maybe` is not a member flag/);
  await page.screenshot({ path: path.join(OUT, 'skipped-rows.png'), fullPage: false });
  await page.close();
});

test('the mapping panel re-runs the audit with a column the detector missed', async () => {
  const { page } = await openPage(browser, server.url);
  const csv = 'rec;in_training_set;score\n' + Array.from({ length: 30 }, (_, i) => `${i};${i % 2 ? 'yes' : 'no'};${(0.4 + (i % 2) * 0.2 + (i % 5) * 0.05).toFixed(2).replace('.', ',')}`).join('\n');
  await upload(page, { name: 'semicolon.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('[data-testid=load-error]');
  await page.selectOption('[data-testid=map-member-flag]', { label: 'in_training_set' });
  await page.selectOption('[data-testid=map-confidence]', { label: 'score' });
  await page.click('[data-testid=apply-mapping]');
  await waitForAuditOf(page, 'semicolon.csv');
  assert.ok(Number(await metric(page, 'metric-auc')) > 0.5);
  assert.match(await page.textContent('.load-warnings'), /decimal comma/);
  await page.close();
});

test('a file whose prob_ and logit_ columns do not match is refused with the mapping panel open', async () => {
  const { page } = await openPage(browser, server.url);
  const csv = 'id,member,label,prob_0,prob_1,logit_0\n' + Array.from({ length: 20 }, (_, i) => `${i},${i % 2},0,0.6,0.4,0.4`).join('\n');
  await upload(page, { name: 'unequal.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('[data-testid=load-error]');
  assert.match(await page.textContent('[data-testid=load-error]'), /2 prob_\* columns but 1 logit_\* columns/);
  // The header is known from the refused read itself: the panel offers its columns.
  await page.waitForSelector('[data-testid=map-member-flag]');
  assert.match(await page.textContent('[data-testid=map-member-flag]'), /logit_0/);
  await page.close();
});

test('phone-width layout renders the audit', async () => {
  const { page } = await openPage(browser, server.url, { width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px at phone width`);
  await page.screenshot({ path: path.join(OUT, 'phone.png'), fullPage: true });
  await page.close();
});

test('a large file shows progress in the worker and can be cancelled', async () => {
  const { page, log } = await openPage(browser, server.url);
  const n = 2_000_000;
  const parts = ['id,member,confidence\n'];
  for (let i = 0; i < n; i++) parts.push(`${i},${i & 1},${((i * 7919) % 1000) / 1000}\n`);
  const buffer = Buffer.from(parts.join(''));
  await upload(page, { name: 'big.csv', mimeType: 'text/csv', buffer });
  await page.waitForSelector('[data-testid=progress]', { state: 'visible', timeout: 20000 });
  // The page stays responsive while the worker reads: a click is handled at once.
  const t0 = Date.now();
  await page.click('[data-testid=cancel]');
  await page.waitForFunction(() => document.querySelector('.notice')?.textContent.includes('Stopped reading big.csv'), null, { timeout: 20000 });
  assert.ok(Date.now() - t0 < 5000, 'cancel took effect within 5 s');
  assert.equal(await page.locator('[data-testid=progress]').count(), 0);
  assert.match(await page.textContent('.audit-head h2'), /Digits, overfit neural net/);
  await page.screenshot({ path: path.join(OUT, 'cancelled.png') });
  assert.deepEqual(log.errors, []);
  await page.close();
});

/** A wide audit CSV (id, member, label, 10 probabilities, 10 logits, confidence, loss) of `n`
 *  rows, members a little more confident; `quotedIdAt(prefixBytes, totalBytes)` may return a row
 *  whose id is quoted and holds a line end. */
function wideCsv(n, quoted) {
  let seed = 7;
  const draw = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const head = ['id,member,label', ...Array.from({ length: 10 }, (_, k) => `prob_${k}`),
    ...Array.from({ length: 10 }, (_, k) => `logit_${k}`), 'confidence,loss'].join(',') + '\n';
  const rows = [];
  for (let i = 0; i < n; i++) {
    const member = i & 1, label = i % 10;
    const logits = Array.from({ length: 10 }, (_, k) => draw() * 3 - 1.5 + (k === label ? 1 + member * 0.6 * draw() : 0));
    const m = Math.max(...logits), e = logits.map((l) => Math.exp(l - m)), z = e.reduce((a, b) => a + b, 0);
    const p = e.map((v) => v / z);
    rows.push(`r${i},${member},${label},${p.map((v) => v.toFixed(8)).join(',')},${logits.map((v) => v.toFixed(5)).join(',')},${p[label].toFixed(8)},${(-Math.log(p[label])).toFixed(8)}\n`);
  }
  if (quoted) {
    // A quoted id holding a line end, spanning the middle of the file: the first line end after
    // the middle is inside it, so the cut there is not a record boundary.
    const extra = 4000;
    const total = head.length + rows.reduce((a, r) => a + r.length, 0) + extra;
    let at = head.length, r = 0;
    while (at + rows[r].length < total / 2 - 100) at += rows[r++].length;
    rows[r] = rows[r].replace(/^r\d+/, `"${'a'.repeat(extra / 2)}\n${'b'.repeat(extra / 2 - 3)}"`);
  }
  return Buffer.from(head + rows.join(''));
}

test('a large wide file is read by two workers at once (also after a cancel), with the native figures; a cut inside quotes is read again by one', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=audit`);
  const mia = path.join(ROOT, 'target', 'release', 'mia');
  // Cancelling a read in two parts stops both workers; the next file is read in two parts again.
  const rows = wideCsv(80_000, false);
  const body = rows.subarray(rows.indexOf(10) + 1);
  const big = path.join(OUT, 'wide-big.csv');
  fs.writeFileSync(big, Buffer.concat([rows, ...Array(7).fill(body)]));
  await upload(page, big);
  await page.waitForSelector('[data-testid=progress]', { state: 'visible', timeout: 20000 });
  await page.click('[data-testid=cancel]');
  await page.waitForFunction(() => document.querySelector('.notice')?.textContent.includes('Stopped reading wide-big.csv'), null, { timeout: 20000 });
  fs.rmSync(big);
  for (const [name, quoted] of [['wide-two-parts.csv', false], ['wide-quoted-middle.csv', true]]) {
    const buffer = wideCsv(80_000, quoted);
    assert.ok(buffer.length > 16 << 20, `${name} is over the two-worker threshold`);
    const file = path.join(OUT, name);
    fs.writeFileSync(file, buffer);
    const native = JSON.parse(execFileSync(mia, ['audit', file, '--json']));
    await upload(page, file);
    await waitForAuditOf(page, name);
    const timings = await page.textContent('[data-testid=timings-line]');
    if (quoted) assert.doesNotMatch(timings, /two workers/, timings);
    else {
      assert.match(timings, /read in .* by two workers at once, 6 signals attacked/, timings);
      await page.screenshot({ path: path.join(OUT, 'wide-two-workers.png') });
    }
    assert.match(await page.textContent('[data-testid=summary-line]'), /^80,000 records: 40,000 members/);
    for (const signal of ['confidence', 'neg_entropy', 'logit_confidence']) {
      await page.click(`[data-testid=signal-${signal}]`);
      await page.waitForFunction((s) => location.search.includes(`signal=${s}`), signal);
      close(await metric(page, 'metric-auc'), native.scores[signal].auc, `${name} ${signal} AUC`);
      close(await metric(page, 'metric-tpr-1'), native.scores[signal].tpr_at_fpr['0.01'], `${name} ${signal} TPR@1%`);
    }
    fs.rmSync(file);
  }
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the URL holds the view state: open a link, change a control, reload', async () => {
  const { page } = await openPage(browser, `${server.url}?view=audit&sample=breast_cancer_logreg&signal=neg_loss&roc=log&threshold=-0.05`);
  await waitForAuditOf(page, 'Breast cancer');
  assert.match(await page.getAttribute('[data-testid=roc-log]', 'class'), /on/);
  assert.match(await page.textContent('[data-testid=threshold-readout]'), /score ≥ -0\.05000/);
  const auc = await metric(page, 'metric-auc');
  await page.click('[data-testid=roc-linear]');
  await page.waitForFunction(() => !location.search.includes('roc=log'));
  await page.click('[data-testid=signal-max_prob]');
  await page.waitForFunction(() => location.search.includes('signal=max_prob') && !location.search.includes('threshold='));
  const maxProbAuc = await metric(page, 'metric-auc');
  assert.notEqual(maxProbAuc, auc);
  await page.reload();
  await page.waitForSelector('[data-testid=metric-auc]');
  await waitForAuditOf(page, 'Breast cancer');
  assert.equal(await metric(page, 'metric-auc'), maxProbAuc);
  assert.match(await page.getAttribute('[data-testid=roc-linear]', 'class'), /on/);
  await page.close();
});

test('drag-and-drop loads a file, and dragging on the histogram moves the threshold', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=audit&signal=confidence`);
  const csv = fs.readFileSync(path.join(FIXTURES, 'case03_breast_cancer_logreg.csv'), 'utf8');
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
    return d;
  }, csv);
  await page.dispatchEvent('.drop-zone', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('.drop-zone', 'drop', { dataTransfer: dt });
  await waitForAuditOf(page, 'dropped.csv');
  const want = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'case03_breast_cancer_logreg.expected.json'), 'utf8'));
  close(await metric(page, 'metric-auc'), want.scores.confidence.auc, 'dropped AUC');

  const canvas = page.locator('.layout:not([hidden]) .chart canvas.draggable');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const readout = () => page.textContent('[data-testid=threshold-readout]');
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  const atLeft = await readout();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const atRight = await readout();
  assert.notEqual(atLeft, atRight);
  const threshold = (s) => Number(s.match(/score ≥ (-?[0-9.]+)/)[1]);
  assert.ok(threshold(atRight) > threshold(atLeft), `${atLeft} → ${atRight}`);
  assert.match(page.url(), /threshold=/);
  assert.deepEqual(log.errors, []);
  await page.close();
});
