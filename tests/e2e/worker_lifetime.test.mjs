// End-to-end: the audit worker's lifetime. A worker that fails mid-job is replaced and its job
// ends with a clear error (the next job runs on the new worker); a worker whose memory grew past
// the limit is replaced once no page has a job running, and the page keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, visible, launch, openPage, metric, upload, waitForAuditOf, wideCsv, DIST, FIXTURES, OUT, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });


/** The audit workers of the page (not the part worker, which sets its flag first). */
async function auditWorkers(page) {
  const out = [];
  for (const w of page.workers()) {
    const isAudit = await w.evaluate(() => typeof wasm_bindgen === 'function'
      && typeof wasm_bindgen.mia_fault_panic_at_next_checkpoint === 'function'
      && !self.MIA_PART_WORKER).catch(() => false);
    if (isAudit) out.push(w);
  }
  return out;
}

test('a worker that fails mid-job is replaced; the job ends with a clear error and the next one runs', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=shadow&dataset=digits&model=mlp&hidden=64&epochs=300&shadows=16`, undefined, 'shadow-run');
  await page.click(visible('shadow-run'));
  await page.waitForSelector(visible('progress'), { state: 'visible', timeout: 20000 });
  const workers = await auditWorkers(page);
  assert.ok(workers.length >= 1, 'the audit worker is found');
  // Fault injection: the running job panics at its next checkpoint, as a failing worker would.
  // (A worker whose wasm has not started yet, say the fingerprint worker's, cannot be armed.)
  // A worker still instantiating its wasm (the job may be queued in it) is armed once it has.
  let armed = 0;
  for (const w of workers) {
    for (let tries = 0; tries < 100; tries++) {
      const ok = await w.evaluate(() => { wasm_bindgen.mia_fault_panic_at_next_checkpoint(); return 1; }).catch(() => 0);
      if (ok) { armed += 1; break; }
      await page.waitForTimeout(200);
    }
  }
  assert.ok(armed >= 1, 'the running worker is armed');
  await page.waitForSelector(visible('shadow-error'), { timeout: 30000 });
  const message = await page.textContent(visible('shadow-error'));
  assert.match(message, /The worker stopped before this job finished/);
  assert.equal(await page.locator(visible('progress')).count(), 0, 'no progress bar after the failure');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(OUT, 'worker-lost.png') });
  // The next job runs on the new worker: a small one, to the end.
  await page.fill(visible('shadow-epochs'), '5');
  await page.press(visible('shadow-epochs'), 'Enter');
  await page.click(visible('shadow-run'));
  await page.waitForSelector(visible('metric-shadow-auc'), { timeout: 60000 });
  assert.equal(await page.locator(visible('shadow-error')).count(), 0);
  // The only errors are the injected panic and the trap that ends it, from the worker.
  assert.deepEqual(log.errors.filter((e) => !/fault injected|^unreachable$/.test(e)), []);
  await page.close();
});

test('a worker grown past the memory limit is replaced once idle, and audits go on with scikit-learn figures', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=audit&signal=confidence`);
  // A limit of one byte: every worker is "too large", so it is replaced after its next job.
  await page.evaluate(() => { globalThis.__miaWorkerMemoryLimit = 1; });
  const started = [];
  page.on('worker', (w) => started.push(w));
  await upload(page, path.join(FIXTURES, 'case01_digits_mlp_overfit.csv'));
  await waitForAuditOf(page, 'case01_digits_mlp_overfit.csv');
  // The replacement starts once the audit is shown and no job runs.
  const deadline = Date.now() + 20000;
  while (started.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(started.length >= 1, 'a new worker was started after the job');
  await page.evaluate(() => { delete globalThis.__miaWorkerMemoryLimit; });
  // The new worker audits the next file to scikit-learn's figure.
  const CASE = 'case03_breast_cancer_logreg';
  const want = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${CASE}.expected.json`), 'utf8')).scores.confidence.auc;
  await upload(page, path.join(FIXTURES, `${CASE}.csv`));
  await waitForAuditOf(page, `${CASE}.csv`);
  assert.ok(Math.abs(Number(await metric(page, 'metric-auc')) - want) < 1e-9, 'AUC from the new worker');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a part worker that fails mid-read is replaced: that file is read by one worker, the next by two', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=audit&signal=confidence`);
  const loaded = log.requests.length;
  const file = path.join(OUT, 'wide-part-fails.csv');
  fs.copyFileSync(wideCsv(os.tmpdir(), 80_000), file);
  const native = JSON.parse(execFileSync(path.join(ROOT, 'target', 'release', 'mia'), ['audit', file, '--json']));
  // The part worker panics at its next step, as a failing one would.
  let armed = 0;
  for (const w of page.workers()) {
    armed += await w.evaluate(() => {
      if (!self.MIA_PART_WORKER || typeof wasm_bindgen !== 'function') return 0;
      wasm_bindgen.mia_fault_panic_at_next_checkpoint();
      return 1;
    }).catch(() => 0);
  }
  assert.equal(armed, 1, 'the part worker is found');
  await upload(page, file);
  await waitForAuditOf(page, 'wide-part-fails.csv');
  let timings = await page.textContent('[data-testid=timings-line]');
  assert.doesNotMatch(timings, /two workers/, `read again by one worker: ${timings}`);
  assert.ok(Math.abs(Number(await metric(page, 'metric-auc')) - native.scores.confidence.auc) < 1e-9);
  // The next upload goes to the replacement part worker, started from memory.
  const again = path.join(OUT, 'wide-part-replaced.csv');
  fs.copyFileSync(file, again);
  await upload(page, again);
  await waitForAuditOf(page, 'wide-part-replaced.csv');
  timings = await page.textContent('[data-testid=timings-line]');
  assert.match(timings, /by two workers at once/, timings);
  assert.ok(Math.abs(Number(await metric(page, 'metric-auc')) - native.scores.confidence.auc) < 1e-9);
  assert.deepEqual(log.errors.filter((e) => !/fault injected|^unreachable$/.test(e)), []);
  assert.deepEqual(log.requests.slice(loaded), [], 'the replacement fetched nothing');
  fs.rmSync(file);
  fs.rmSync(again);
  await page.close();
});
