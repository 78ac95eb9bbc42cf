// End-to-end: the training lab. A link trains at once, the curves grow, pause/resume/cancel work,
// the figures equal `mia train --json` for the same settings, the privacy-utility profile runs, and
// "Audit this model" hands the outputs to the audit (and its checklist), all without a request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, visible, launch, openPage, metric, DIST, OUT, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const mia = (...args) => JSON.parse(execFileSync(path.join(ROOT, 'target', 'release', 'mia'), ['train', ...args, '--json']));
// The page locks its connections down once the worker's code is kept in memory: requests counted
// from then on must be none.
const lockedDown = (page) => page.waitForSelector('#csp-lockdown', { state: 'attached', timeout: 30000 });
const epoch = async (page) => Number(await metric(page, 'train-epoch') || 0);
const curve = async (page, attr) => (await page.getAttribute(visible('train-curves'), attr)).split(',').map(Number);

test('a link trains at once; the curves grow; pause holds the run, resume goes on, cancel ends it', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=train&dataset=digits_noisy&epochs=300&seed=1`, undefined, 'train-epoch');
  await lockedDown(page);
  const loaded = log.requests.length;
  await page.waitForFunction(() => Number(document.querySelector('.layout:not([hidden]) [data-testid=train-epoch]')?.dataset.value) >= 3, null, { timeout: 30000 });
  const first = await epoch(page);
  await page.waitForFunction((e) => Number(document.querySelector('.layout:not([hidden]) [data-testid=train-epoch]')?.dataset.value) > e, first, { timeout: 30000 });
  assert.ok(Number(await page.getAttribute(visible('train-curves'), 'data-epochs')) > first, 'the curves grew');
  await page.screenshot({ path: path.join(OUT, 'train-mid-run.png'), fullPage: true });

  // Pause: the run stops where it is, and its model can be audited or downloaded.
  await page.click(visible('pause'));
  await page.waitForSelector(visible('resume'));
  await page.waitForFunction(() => !document.querySelector('.layout:not([hidden]) [data-testid=train-audit]')?.disabled);
  const held = await epoch(page);
  await page.waitForTimeout(1500);
  assert.equal(await epoch(page), held, 'no epoch while paused');
  assert.match(await page.textContent(visible('progress')), /Paused at/);

  // Resume, then cancel: the run ends with the epochs it trained.
  await page.click(visible('resume'));
  await page.waitForFunction((e) => Number(document.querySelector('.layout:not([hidden]) [data-testid=train-epoch]')?.dataset.value) > e, held, { timeout: 30000 });
  await page.click(`${visible('train-progress')} [data-testid=cancel]`);
  await page.waitForSelector(visible('train-done'), { timeout: 30000 });
  assert.equal(await page.getAttribute(visible('train-done'), 'data-reason'), 'cancelled');
  assert.ok(await epoch(page) < 300);
  assert.deepEqual(log.requests.slice(loaded), [], 'no network request after load');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the same link gives mia train\'s curves; DP-SGD shows the accountant\'s ε; the audit gets the model', async () => {
  const link = 'dataset=digits_noisy&model=mlp&hidden=64&epochs=12&batch=32&lr=0.001&optimizer=adam&l2=0&dropout=0&label_smoothing=0&clip=0&early_stop=none&dp=true&noise_multiplier=0.8&max_grad_norm=1&seed=3';
  const { page, log } = await openPage(browser, `${server.url}?view=train&${link}`, undefined, 'train-epoch');
  await lockedDown(page);
  const loaded = log.requests.length;
  await page.waitForSelector(visible('train-done'), { timeout: 60000 });
  assert.equal(await page.getAttribute(visible('train-done'), 'data-reason'), 'finished');
  const cli = mia('--dataset', 'digits_noisy', '--hidden', '64', '--epochs', '12', '--dp', '--noise-multiplier', '0.8', '--seed', '3');
  assert.deepEqual(await curve(page, 'data-auc'), cli.history.map((r) => r.attack_auc));
  assert.deepEqual(await curve(page, 'data-heldout-loss'), cli.history.map((r) => r.held_out_loss));
  assert.equal(Number(await metric(page, 'train-auc')), cli.auc);
  assert.equal(Number(await metric(page, 'train-heldout-acc')), cli.held_out_accuracy);
  assert.equal(Number(await metric(page, 'train-epsilon')), cli.dp.epsilon);
  // ε is the DP view's accountant: mia dp-epsilon on the run's q, σ, steps and δ.
  const dp = JSON.parse(execFileSync(path.join(ROOT, 'target', 'release', 'mia'), ['dp-epsilon',
    '--q', String(cli.dp.sampling_rate), '--sigma', String(cli.dp.noise_multiplier),
    '--steps', String(cli.dp.steps), '--delta', String(cli.dp.delta), '--json']));
  assert.equal(Number(await metric(page, 'train-epsilon')), dp.epsilon);
  assert.match(page.url(), /view=train&dataset=digits_noisy&model=mlp&hidden=64&epochs=12/);
  assert.match(page.url(), /dp=true&noise_multiplier=0.8&max_grad_norm=1&seed=3/);

  // Hand-over: the audit reads the model's outputs like an upload; its loss signal's AUC is the lab's.
  await page.click(visible('train-audit'));
  await page.waitForSelector(visible('metric-auc'), { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden])')?.textContent
    .includes('Audit of training-lab-digits-noisy-seed3-epoch12.csv'), null, { timeout: 30000 });
  await page.click(visible('signal-neg_loss'));
  await page.waitForFunction((want) => Number(document.querySelector('.layout:not([hidden]) [data-testid=metric-auc]')?.dataset.value) === want, cli.auc, { timeout: 10000 });
  assert.equal(Number(await metric(page, 'metric-auc')), cli.auc);
  await page.screenshot({ path: path.join(OUT, 'train-handover-audit.png'), fullPage: true });
  // The checklist knows how it was trained, and the audit measured n and the gap.
  await page.click('[data-testid=view-checklist]');
  await page.waitForSelector(visible('fact-training'));
  assert.equal(await page.inputValue(visible('fact-training')), 'dp_sgd');
  assert.match(await page.textContent(visible('fact-training-origin')), /training lab with DP-SGD/);
  assert.match(await page.textContent(visible('fact-n-training-examples-origin')), /from the audit/);
  assert.match(await page.textContent(visible('fact-generalization-gap-origin')), /from the audit/);
  assert.deepEqual(log.requests.slice(loaded), [], 'no network request after load');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the privacy-utility profile with two budgets equals mia train; a cancelled profile keeps its runs', async () => {
  const base = 'dataset=breast_cancer&model=mlp&hidden=32&epochs=8&batch=32&lr=0.01&seed=2';
  const { page, log } = await openPage(browser, `${server.url}?view=train&${base}`, undefined, 'train-epoch');
  await lockedDown(page);
  const loaded = log.requests.length;
  await page.waitForSelector(visible('train-done'), { timeout: 60000 });
  // Two budgets: ε = 1 (index 1) and no DP (index 5).
  const n = await page.locator('.layout:not([hidden]) [data-testid^=train-profile-choice-]').count();
  for (let i = 0; i < n; i++) {
    const box = page.locator(visible(`train-profile-choice-${i}`));
    if ((await box.isChecked()) !== (i === 1 || i === 5)) await box.click();
  }
  await page.click(visible('train-profile'));
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=train-profile-table]')?.dataset.rows === '2'
    && !document.querySelector('.layout:not([hidden]) [data-testid=train-profile-progress]'), null, { timeout: 60000 });
  const cells = await page.$$eval('.layout:not([hidden]) [data-testid=train-profile-table] tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td[data-value]')].map((td) => Number(td.dataset.value))));
  const flags = ['--dataset', 'breast_cancer', '--hidden', '32', '--epochs', '8', '--lr', '0.01', '--seed', '2'];
  const dp1 = mia(...flags, '--dp', '--target-epsilon', '1');
  const nodp = mia(...flags);
  assert.deepEqual(cells[0], [dp1.held_out_accuracy, dp1.auc, dp1.tpr_at_fpr['0.01']]);
  assert.deepEqual(cells[1], [nodp.held_out_accuracy, nodp.auc, nodp.tpr_at_fpr['0.01']]);
  await page.screenshot({ path: path.join(OUT, 'train-profile.png'), fullPage: true });

  // The whole profile, cancelled after its first run: that run stays.
  for (let i = 0; i < n; i++) {
    const box = page.locator(visible(`train-profile-choice-${i}`));
    if (!(await box.isChecked())) await box.click();
  }
  await page.click(visible('train-profile'));
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=train-profile-table]')?.dataset.rows === '1', null, { timeout: 60000 });
  await page.click(`${visible('train-profile-progress')} [data-testid=cancel]`);
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden])')?.textContent.includes('Profile stopped'), null, { timeout: 30000 });
  assert.ok(Number(await page.getAttribute(visible('train-profile-table'), 'data-rows')) >= 1);
  assert.deepEqual(log.requests.slice(loaded), [], 'no network request after load');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('bad settings and bad data get clear messages; the lab fits a phone', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=train&dataset=wine&epochs=5&lr=0`, { width: 390, height: 844 }, 'train-run');
  // The link's refused value is listed, and the default is used.
  assert.match(await page.textContent('body'), /Ignored from the link: lr=0 \(lr = 0: the learning rate must be a number above 0\.\)/);
  await page.waitForSelector(visible('train-done'), { timeout: 60000 });
  await page.fill(visible('train-batch'), '0');
  await page.press(visible('train-batch'), 'Enter');
  await page.waitForSelector(visible('train-refused'));
  assert.match(await page.textContent(visible('train-refused')), /batch = 0: the batch size must be at least 1/);
  await page.screenshot({ path: path.join(OUT, 'train-phone.png'), fullPage: true });

  // An uploaded dataset with one class, and one with a non-numeric feature.
  await page.selectOption(visible('train-dataset'), 'file');
  const oneClass = 'a,b,class\n' + Array.from({ length: 30 }, (_, i) => `${i},${i * 2},x`).join('\n') + '\n';
  await page.setInputFiles(visible('train-dataset-file'), { name: 'one-class.csv', mimeType: 'text/csv', buffer: Buffer.from(oneClass) });
  await page.click(visible('train-run'));
  await page.waitForSelector(visible('train-error'), { timeout: 30000 });
  assert.match(await page.textContent(visible('train-error')), /one-class\.csv: Every row has class `x`; a classifier needs at least two classes/);
  const text = 'a,b,class\n1,2,0\n3,oops,1\n';
  await page.setInputFiles(visible('train-dataset-file'), { name: 'text.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.click(visible('train-run'));
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=train-error]')?.textContent.includes('text.csv'), null, { timeout: 30000 });
  assert.match(await page.textContent(visible('train-error')), /text\.csv: Row 3, column `b`: `oops` is not a number/);
  // A class with fewer than 10 records.
  const small = 'a,class\n' + Array.from({ length: 30 }, (_, i) => `${i},big`).join('\n') + '\n1,small\n2,small\n';
  await page.setInputFiles(visible('train-dataset-file'), { name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from(small) });
  await page.click(visible('train-run'));
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=train-error]')?.textContent.includes('small.csv'), null, { timeout: 30000 });
  assert.match(await page.textContent(visible('train-error')), /small\.csv: Class `small` has 2 records; each class needs at least 10/);
  assert.deepEqual(log.errors, []);
  await page.close();
});
