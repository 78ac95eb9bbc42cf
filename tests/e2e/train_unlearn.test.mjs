// End-to-end: unlearning in the training lab. A link with the unlearning keys trains the model and
// compares gradient ascent, fine-tuning and retraining, with every figure equal to
// `mia train --unlearn-forget … --json`; the forget set can be a class or ids pasted or uploaded;
// bad ids are named; a comparison can be cancelled; no request leaves the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, visible, launch, openPage, metric, requestsAfterLockdown, DIST, OUT, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const MIA = path.join(ROOT, 'target', 'release', 'mia');
const lockedDown = (page) => page.waitForSelector('#csp-lockdown', { state: 'attached', timeout: 30000 });
const done = (page, timeout = 180000) => page.waitForSelector(visible('train-unlearn-done'), { timeout });
const num = async (page, id) => {
  const v = await metric(page, id);
  return v === null ? null : Number(v);
};

test('a link unlearns three ways; every figure is mia train\'s; the full report of each method', async () => {
  const link = 'dataset=digits_noisy&hidden=64&epochs=15&seed=4&unlearn_forget=100&unlearn_steps=30&finetune_epochs=3';
  const { page, log } = await openPage(browser, `${server.url}?view=train&${link}`, undefined, 'train-unlearn-panel');
  await lockedDown(page);
  // The courses grow while the methods run.
  await page.waitForSelector(visible('train-unlearn-courses'), { timeout: 120000 });
  await page.screenshot({ path: path.join(OUT, 'train-unlearn-running.png'), fullPage: true });
  await done(page);
  assert.equal(await page.getAttribute(visible('train-unlearn-done'), 'data-reason'), 'finished');
  const cli = JSON.parse(execFileSync(MIA, ['train', '--dataset', 'digits_noisy', '--hidden', '64', '--epochs', '15',
    '--seed', '4', '--unlearn-forget', '100', '--unlearn-steps', '30', '--finetune-epochs', '3', '--json']));
  const u = cli.unlearning;
  assert.equal(await page.getAttribute(visible('train-unlearn-counts'), 'data-forget'), u.forget.join(','));
  assert.equal(await page.getAttribute(visible('train-unlearn-courses'), 'data-methods'), 'retrain,gradient_ascent,fine_tune');
  for (const m of u.methods) {
    const k = m.method;
    const losses = (await page.getAttribute(visible('train-unlearn-courses'), `data-forget-losses-${k}`)).split(',').map(Number);
    assert.deepEqual(losses, m.forget_losses, `${k} forget losses`);
    assert.equal(await metric(page, `train-unlearn-verdict-${k}`), m.verified ? 'verified' : 'not_verified', k);
    assert.equal(await num(page, `train-unlearn-gap-after-${k}`), m.seed_test.membership_gap_after, k);
    assert.equal(await num(page, `train-unlearn-gap-reduction-${k}`), m.seed_test.gap_reduction, k);
    assert.equal(await num(page, `train-unlearn-auc-${k}`), m.mi_test.auc_after, k);
    assert.equal(await num(page, `train-unlearn-retain-acc-${k}`), m.utility.retain_accuracy_after, k);
    assert.equal(await num(page, `train-unlearn-heldout-acc-${k}`), m.utility.held_out_accuracy_after, k);
    assert.equal(await num(page, `train-unlearn-kl-${k}`), m.kl_to_retrained, k);
    assert.equal(await num(page, `train-unlearn-auc-vs-retrained-${k}`), m.auc_vs_retrained, k);
    assert.equal(await num(page, `train-unlearn-ratio-${k}`), m.ascent ? m.ascent.loss_increase_ratio : null, k);
  }
  // On this model, retraining verifies; 30 steps of gradient ascent at the seed's rate do not.
  assert.equal(await metric(page, 'train-unlearn-verdict-retrain'), 'verified');
  assert.equal(await metric(page, 'train-unlearn-verdict-gradient_ascent'), 'not_verified');
  assert.match(await page.textContent(visible('train-unlearn-verdict-gradient_ascent')), /The seed design's test/);
  assert.match(page.url(), /unlearn_forget=100&unlearn_methods=gradient_ascent%2Cfine_tune%2Cretrain&unlearn_lr=0.0001&unlearn_steps=30&retain_regularization=0.5&finetune_epochs=3/);
  await page.screenshot({ path: path.join(OUT, 'train-unlearn-compared.png'), fullPage: true });

  // Any method's full verification: the Unlearning view's report.
  await page.click(visible('train-unlearn-show-retrain'));
  const retrain = u.methods.find((m) => m.method === 'retrain');
  await page.waitForFunction((want) => document.querySelector('.layout:not([hidden]) [data-testid=train-unlearn-detail-gap-after]')?.dataset.value === want,
    String(retrain.seed_test.membership_gap_after), { timeout: 10000 });
  assert.equal(await metric(page, 'train-unlearn-detail-verdict'), 'verified');
  assert.equal(await page.locator(visible('train-unlearn-detail-exposed')).count(), 1);
  assert.deepEqual(await requestsAfterLockdown(page, log), [], 'no network request after load');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a class or uploaded ids as the forget set; bad ids are named; cancel keeps what finished', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=train&dataset=wine&epochs=5&seed=1`, undefined, 'train-unlearn-panel');
  await lockedDown(page);
  await page.waitForSelector(visible('train-done'), { timeout: 60000 });
  assert.doesNotMatch(page.url(), /unlearn/, 'no unlearning in the link until asked for');

  // One class: its members are the forget set (mia train --unlearn-forget class:1).
  await page.selectOption(visible('train-unlearn-mode'), 'class');
  await page.selectOption(visible('train-unlearn-class'), '1');
  await page.click(visible('train-unlearn-method-fine_tune'));
  await page.waitForFunction(() => location.search.includes('unlearn_methods=gradient_ascent%2Cretrain'));
  await page.click(visible('train-unlearn-run'));
  await done(page, 60000);
  const cls = JSON.parse(execFileSync(MIA, ['train', '--dataset', 'wine', '--epochs', '5', '--seed', '1',
    '--unlearn-forget', 'class:1', '--unlearn-methods', 'gradient_ascent,retrain', '--json'])).unlearning;
  assert.equal(await page.getAttribute(visible('train-unlearn-counts'), 'data-forget'), cls.forget.join(','));
  assert.match(await page.textContent(visible('train-unlearn-counts')), new RegExp(`every member of class 1 \\(${cls.n_forget} records\\)`));
  // Forgetting a whole class: the tests' reference (held-out records of every class) is said to be unfair.
  assert.match(await page.textContent(visible('train-unlearn-class-note')), /judge it by the distance from the retrained model/);
  assert.equal(await num(page, 'train-unlearn-kl-gradient_ascent'), cls.methods[0].kl_to_retrained);
  assert.equal(await page.locator(visible('train-unlearn-verdict-fine_tune')).count(), 0);

  // More members than the model has: named with the count.
  await page.selectOption(visible('train-unlearn-mode'), 'random');
  await page.click(visible('train-unlearn-run'));
  await page.waitForSelector(visible('train-unlearn-error'), { timeout: 60000 });
  assert.match(await page.textContent(visible('train-unlearn-error')), /unlearn_forget = 100: the model has 88 members: forget 1 to 87 of them\./);

  // Ids: pasted text that is not ids is named; an uploaded CSV with an id column is read, and a
  // held-out record in it is refused by name.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-unlearn-'));
  const outputs = path.join(dir, 'wine-outputs.csv');
  execFileSync(MIA, ['train', '--dataset', 'wine', '--epochs', '5', '--seed', '1', '--outputs', outputs]);
  const rows = fs.readFileSync(outputs, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const members = rows.filter((r) => r[1] === '1').map((r) => r[0]);
  const held = rows.find((r) => r[1] === '0')[0];
  await page.selectOption(visible('train-unlearn-mode'), 'rows');
  await page.fill(visible('train-unlearn-ids'), `${members[0]}, seven`);
  await page.locator(visible('train-unlearn-ids')).blur();
  await page.waitForSelector(visible('train-unlearn-ids-error'));
  assert.match(await page.textContent(visible('train-unlearn-ids-error')), /line 1: `seven` is not a row number/);
  const csv = 'id,note\n' + members.slice(0, 12).map((m) => `${m},x`).join('\n') + `\n${held},x\n`;
  await page.setInputFiles(visible('train-unlearn-ids-file'), { name: 'erase.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction((n) => location.search.includes(`unlearn_forget=rows%3A${n}`), members[0]);
  await page.click(visible('train-unlearn-run'));
  await page.waitForSelector(visible('train-unlearn-error'), { timeout: 60000 });
  assert.match(await page.textContent(visible('train-unlearn-error')), new RegExp(`row ${held} is not a member \\(a record the model trained on\\)`));

  // A long comparison, cancelled: the methods that finished stay.
  await page.fill(visible('train-unlearn-ids'), members.slice(0, 12).join(' '));
  await page.locator(visible('train-unlearn-ids')).blur();
  await page.fill(visible('train-unlearn_steps'), '100000');
  await page.press(visible('train-unlearn_steps'), 'Enter');
  await page.click(visible('train-unlearn-run'));
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=train-unlearn-progress]')?.textContent.includes('Gradient ascent: step'), null, { timeout: 60000 });
  await page.click(`${visible('train-unlearn-progress')} [data-testid=cancel]`);
  await done(page, 30000);
  assert.equal(await page.getAttribute(visible('train-unlearn-done'), 'data-reason'), 'cancelled');
  assert.equal(await page.locator(visible('train-unlearn-verdict-retrain')).count(), 1, 'retraining ran first and stays');
  assert.equal(await page.locator(visible('train-unlearn-verdict-gradient_ascent')).count(), 0);
  await page.screenshot({ path: path.join(OUT, 'train-unlearn-cancelled.png'), fullPage: true });
  assert.deepEqual(await requestsAfterLockdown(page, log), [], 'no network request after load');
  assert.deepEqual(log.errors, []);
  await page.close();
});
