// End-to-end: the shadow-model attack, trained in the browser's worker and from given outputs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, visible, launch, openPage, metric, DIST, FIXTURES, OUT, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const mia = (...args) => JSON.parse(execFileSync(path.join(ROOT, 'target', 'release', 'mia'), args));

test('mode B: progress, cancel, and the same AUC as the native engine on the same seed', async () => {
  // A slow run first (digits, MLP, 8 shadows), cancelled.
  const { page, log } = await openPage(browser, `${server.url}?view=shadow&dataset=digits&model=mlp&hidden=64&epochs=200&shadows=8&seed=3`, undefined, 'shadow-run');
  await page.click(visible('shadow-run'));
  await page.waitForSelector(visible('progress'), { state: 'visible', timeout: 20000 });
  await page.waitForFunction(() => /Training (the target model|shadow model \d)/.test(
    document.querySelector('.layout:not([hidden]) [data-testid=progress]')?.textContent || ''), null, { timeout: 20000 });
  await page.click(visible('cancel'));
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) .notice')?.textContent.includes('Training stopped'), null, { timeout: 20000 });
  assert.equal(await page.locator(visible('metric-shadow-auc')).count(), 0);

  // Then the bundled breast-cancer data with logistic regression, seed 7, 4 shadows.
  await page.selectOption(visible('shadow-dataset'), 'breast_cancer');
  await page.selectOption(visible('shadow-model'), 'logreg');
  await page.locator(visible('shadow-count')).fill('4');
  await page.fill(visible('shadow-seed'), '7');
  await page.press(visible('shadow-seed'), 'Enter');
  await page.click(visible('shadow-run'));
  await page.waitForSelector(visible('metric-shadow-auc'), { timeout: 60000 });
  assert.match(page.url(), /view=shadow&mode=train&dataset=breast_cancer&model=logreg/);
  assert.match(page.url(), /shadows=4/);
  assert.match(page.url(), /seed=7/);
  const native = mia('shadow', path.join(ROOT, 'www/datasets/breast_cancer.csv'), '--shadows', '4', '--seed', '7', '--json');
  assert.equal(Number(await metric(page, 'metric-shadow-auc')), native.shadow_auc);
  assert.equal(Number(await metric(page, 'metric-threshold-auc')), native.threshold_auc);
  assert.equal(Number(await metric(page, 'metric-attack-accuracy')), native.attack_oof_accuracy);
  assert.equal(Number(await metric(page, 'metric-predicted-members')), native.n_predicted_members);
  await page.screenshot({ path: path.join(OUT, 'shadow-mode-b.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('mode A: given outputs are attacked; mismatched files are explained', async () => {
  const { page } = await openPage(browser, `${server.url}?view=shadow&mode=outputs`, undefined, 'shadow-run');
  const shadowCsv = path.join(FIXTURES, 'case01_digits_mlp_overfit.csv');
  const targetCsv = path.join(FIXTURES, 'case08_digits_noisy_mlp_overfit.csv');
  await page.setInputFiles(visible('shadow-files'), [shadowCsv]);
  await page.setInputFiles(visible('target-file'), targetCsv);
  await page.waitForTimeout(300);
  await page.click(visible('shadow-run'));
  await page.waitForSelector(visible('metric-shadow-auc'), { timeout: 60000 });
  const auc = Number(await metric(page, 'metric-shadow-auc'));
  assert.ok(auc > 0.5 && auc < 1, `AUC ${auc}`);
  assert.equal(await metric(page, 'metric-predicted-members') !== null, true);
  await page.screenshot({ path: path.join(OUT, 'shadow-mode-a.png'), fullPage: true });

  // A shadow with 2 classes against a 10-class target.
  await page.setInputFiles(visible('shadow-files'), path.join(FIXTURES, 'case03_breast_cancer_logreg.csv'));
  await page.waitForTimeout(300);
  await page.click(visible('shadow-run'));
  await page.waitForSelector(visible('shadow-error'));
  assert.match(await page.textContent(visible('shadow-error')), /has 2 classes .* but the target has 10 classes/);

  // A shadow whose records are all "in".
  const oneClass = 'member,label,prob_0,prob_1\n1,0,0.9,0.1\n1,1,0.3,0.7\n';
  await page.setInputFiles(visible('shadow-files'), { name: 'all-in.csv', mimeType: 'text/csv', buffer: Buffer.from(oneClass) });
  await page.waitForTimeout(300);
  await page.click(visible('shadow-run'));
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=shadow-error]')?.textContent.includes('all-in.csv'));
  assert.match(await page.textContent(visible('shadow-error')), /Shadow file all-in\.csv: Only one class is present/);

  // A target without a member column: verdicts, but nothing to score them against.
  const unlabelled = fs.readFileSync(targetCsv, 'utf8').split('\n').filter(Boolean)
    .map((line) => line.split(',').filter((_, i) => i !== 1).join(',')).join('\n');
  await page.setInputFiles(visible('shadow-files'), [shadowCsv]);
  await page.setInputFiles(visible('target-file'), { name: 'unlabelled.csv', mimeType: 'text/csv', buffer: Buffer.from(unlabelled) });
  await page.waitForTimeout(300);
  await page.click(visible('shadow-run'));
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=metric-shadow-auc]')?.getAttribute('data-value') === 'n/a', null, { timeout: 60000 });
  assert.match(await page.textContent(visible('verdict-table')), /unknown/);
  await page.close();
});

test('an uploaded dataset with a non-numeric feature is refused with row and column', async () => {
  const { page } = await openPage(browser, `${server.url}?view=shadow&dataset=file`, undefined, 'shadow-run');
  const rows = ['age,city,class'];
  for (let i = 0; i < 50; i++) rows.push(`${20 + i},${i === 7 ? 'Paris' : i % 3},${i % 2}`);
  await page.setInputFiles(visible('shadow-dataset-file'), { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.waitForTimeout(300);
  await page.click(visible('shadow-run'));
  await page.waitForSelector(visible('shadow-error'));
  assert.match(await page.textContent(visible('shadow-error')), /people\.csv: Row 9, column `city`: `Paris` is not a number/);
  await page.close();
});
