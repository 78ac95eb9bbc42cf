// End-to-end: the page stays reliable while the worker is busy — an audit keeps running while
// another view runs its own job, an upload read in the worker leaves the main thread free, and a
// number field keeps what is typed into it while progress events re-render the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, visible, launch, openPage, metric, upload, waitForAuditOf, narrowCsv, wideCsv, DIST, FIXTURES, OUT, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** The audit view's layout, found by its file input whether it is on screen or not. */
const AUDIT = '.layout:has([data-testid=csv-input])';
const mia = (...args) => JSON.parse(execFileSync(path.join(ROOT, 'target', 'release', 'mia'), args, { maxBuffer: 1 << 28 }));

/** Resolves once the page has painted twice: what a render queued is on screen. */
const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))));

test('an audit of 1M rows keeps running while the simulator runs a job, and ends with the native AUC', async () => {
  const file = narrowCsv(os.tmpdir(), 1_000_000);
  const name = path.basename(file);
  const native = mia('audit', file, '--json');
  const { page, log } = await openPage(browser, `${server.url}?view=audit`);
  await upload(page, file);
  await page.waitForSelector(visible('progress'), { state: 'visible', timeout: 20000 });
  assert.match(await page.textContent(visible('progress')), new RegExp(`Reading ${name.replace(/\./g, '\\.')}`));

  // Away to the simulator while the audit reads; change a control there so it runs a job.
  await page.click('[data-testid=view-simulator]');
  await page.waitForFunction(() => location.search.includes('view=simulator'));
  await page.waitForSelector(visible('control-gap'));
  const auditBusyAtChange = await page.locator(`${AUDIT} [data-testid=progress]`).count();
  await page.locator(visible('control-gap')).fill('0.25');
  await page.waitForFunction(() => location.search.includes('gap=0.25'));
  // Default non-member mean 0.5: the new result has members at 0.75.
  await page.waitForFunction(() => /mean confidence 0\.75/.test(document.querySelector('.layout:not([hidden]) [data-testid=sim-summary]')?.textContent || '')
    && !document.querySelector('.layout:not([hidden]) .stale'), null, { timeout: 60000 });
  const auditBusyAtSimResult = await page.locator(`${AUDIT} [data-testid=progress]`).count();
  assert.equal(await page.locator(visible('sim-error')).count(), 0);
  await page.screenshot({ path: path.join(OUT, 'reliability-simulator-during-audit.png') });

  // Back to the audit: it finishes (or has finished) with the file's figures.
  await page.click('[data-testid=view-audit]');
  await page.waitForFunction(() => location.search.includes('view=audit'));
  await page.waitForFunction((n) => document.querySelector('.layout:not([hidden]) .audit-head h2')?.textContent.includes(n)
    || /stopped/i.test(document.querySelector('.layout:not([hidden]) .main')?.textContent || ''), name, { timeout: 90000 });
  const main = await page.textContent(`${AUDIT} .main`);
  assert.doesNotMatch(main, /stopped/i, `the audit was stopped: ${main.slice(0, 300)}`);
  assert.equal(await page.locator(`${AUDIT} [data-testid=load-error]`).count(), 0, 'no load error');
  await waitForAuditOf(page, name);
  assert.equal(await page.locator(`${AUDIT} [data-testid=progress]`).count(), 0, 'no progress bar once the audit is shown');
  const signal = (await page.getAttribute(`${AUDIT} [data-testid^="signal-"][aria-pressed=true]`, 'data-testid')).replace(/^signal-/, '');
  const pageAuc = Number(await metric(page, 'metric-auc'));
  const cliAuc = native.scores[signal].auc;
  console.log(`# 1M rows, signal ${signal}: AUC page ${pageAuc}, CLI ${cliAuc}; audit busy when the control changed: ${auditBusyAtChange > 0}, when the simulation showed: ${auditBusyAtSimResult > 0}`);
  assert.ok(auditBusyAtChange > 0, 'the audit was still running when the simulator control changed (else this test proves nothing)');
  assert.ok(Math.abs(pageAuc - cliAuc) <= 1e-9, `${signal} AUC: page ${pageAuc}, mia audit ${cliAuc}`);
  assert.match(await page.textContent(`${AUDIT} [data-testid=summary-line]`), /^1,000,000 records/);
  await page.screenshot({ path: path.join(OUT, 'reliability-audit-after-simulator.png') });
  assert.deepEqual(log.errors, []);
  await page.close();
});

/** Installs a fresh `longtask` observer (not buffered: only tasks from now on). */
async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longObserver?.disconnect();
    window.__longTasks = [];
    window.__longObserver = new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    });
    window.__longObserver.observe({ type: 'longtask', buffered: false });
  });
}

/** The long tasks seen since `watchLongTasks`, pending ones included; stops watching. */
async function longTasks(page) {
  return page.evaluate(() => {
    for (const e of window.__longObserver.takeRecords()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    window.__longObserver.disconnect();
    return window.__longTasks;
  });
}

/** From now on, notes in `window.__sawBusy` once the visible view shows a progress bar: a job
 *  started after this, so what is shown after it ends is that job's answer, not an older one. */
async function watchForJob(page) {
  await page.evaluate(() => {
    window.__sawBusy = false;
    window.__busyWatch?.disconnect();
    window.__busyWatch = new MutationObserver(() => {
      if (document.querySelector('.layout:not([hidden]) [data-testid=progress]')) window.__sawBusy = true;
    });
    window.__busyWatch.observe(document.body, { subtree: true, childList: true });
  });
}

/** Waits (once a job has started, see `watchForJob`) until the restriction view shows `name`'s figures, its frontier drawn and no job running,
 *  or a refusal; resolves to the refusal's text, or null. */
async function waitForRestrictionOf(page, name) {
  const h = await page.waitForFunction((n) => {
    if (!window.__sawBusy) return false;
    const v = document.querySelector('.layout:not([hidden])');
    const err = v?.querySelector('[data-testid=restrict-error]');
    if (err && !v.querySelector('[data-testid=progress]')) return { error: err.textContent };
    return v?.querySelector('.audit-head h2')?.textContent === `Restricting ${n}`
      && v.querySelector('[data-testid=metric-restricted-auc]')
      && v.querySelector('canvas[aria-label^="Attack AUC against utility"]')
      && !v.querySelector('[data-testid=progress]')
      && { error: null };
  }, name, { timeout: 90000 });
  return (await h.jsonValue()).error;
}

test('a restriction upload is read in the worker: no main-thread task of 50 ms or more', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=restrict`, undefined, 'metric-restricted-auc');
  const sampleTitle = await page.locator(`${visible('restrict-sample')} option:checked`).textContent();
  await page.evaluate(() => { window.__sawBusy = true; });
  assert.equal(await waitForRestrictionOf(page, sampleTitle), null, 'the bundled sample is restricted');
  await settle(page);
  const files = [path.join(FIXTURES, 'case01_digits_mlp_overfit.csv'), wideCsv(os.tmpdir(), 20_000)];
  const seen = [];
  for (const file of files) {
    const name = path.basename(file);
    const mb = (fs.statSync(file).size / 1e6).toFixed(1);
    await watchForJob(page);
    await watchLongTasks(page);
    const t0 = Date.now();
    await page.setInputFiles(visible('restrict-file'), file);
    const error = await waitForRestrictionOf(page, name);
    await settle(page);
    const ms = Date.now() - t0;
    const tasks = await longTasks(page);
    const longest = Math.round(tasks.reduce((m, t) => Math.max(m, t.duration), 0));
    const selected = await page.locator(`${visible('restrict-sample')} option:checked`).textContent();
    const figures = error ? null : [Number(await metric(page, 'metric-original-auc')), Number(await metric(page, 'metric-restricted-auc'))];
    if (error) await page.screenshot({ path: path.join(OUT, `reliability-restrict-${name.replace(/\.csv$/, '')}-refused.png`) });
    seen.push({ file, name, mb, ms, error, tasks, longest, selected, figures });
    console.log(`# ${name} (${mb} MB): ${error ? `refused (${error})` : `AUC before ${figures[0]}, after ${figures[1]}`} in ${ms} ms; `
      + `${tasks.length} long tasks, longest ${longest} ms`);
  }
  for (const r of seen) {
    const where = `${r.name} (${r.mb} MB; ${r.tasks.length} long tasks, longest ${r.longest} ms)`;
    assert.equal(r.selected, r.name, `${where}: the sample select names the file`);
    assert.equal(r.error, null, `${where}: the page refused the file, which the CLI restricts: ${r.error}`);
    const native = mia('restrict', r.file, '--temperature', '1', '--json');
    const strongest = (side) => Math.max(0.5, ...Object.values(native[side]).map((f) => f.auc)); // as the page: at least chance
    assert.equal(r.figures[0], strongest('before'), `${where}: AUC before, page vs mia restrict`);
    assert.equal(r.figures[1], strongest('after'), `${where}: AUC after at T = 1, page vs mia restrict`);
    assert.equal(r.tasks.length, 0, `${where}: main-thread tasks of ${r.tasks.map((t) => `${Math.round(t.duration)} ms`).join(', ')} between the upload and the result`);
  }
  await page.screenshot({ path: path.join(OUT, 'reliability-restrict-upload.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});

/** Counts, in `window.__progressTicks`, how often the visible progress bar's label changes from
 *  now on (each change is a progress event the page rendered). */
async function countProgress(page) {
  await page.evaluate(() => {
    const label = () => document.querySelector('.layout:not([hidden]) [data-testid=progress] .progress-label')?.textContent ?? null;
    window.__progressTicks = 0;
    let last = label();
    window.__progressWatch?.disconnect();
    window.__progressWatch = new MutationObserver(() => {
      const now = label();
      if (now !== last) { last = now; if (now !== null) window.__progressTicks++; }
    });
    window.__progressWatch.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** Types `text` into the number field `selector` the way a person does (click, select all, keys
 *  50 ms apart), then checks `rounds` times — each after another progress event was rendered — that the
 *  field still holds exactly `text`. Returns how many progress changes were seen. */
async function typeWhileBusy(page, selector, text, rounds = 5) {
  await countProgress(page);
  const field = page.locator(selector);
  await field.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text, { delay: 50 });
  for (let i = 0; i < rounds; i++) {
    const seen = await page.evaluate(() => window.__progressTicks);
    await page.waitForFunction((n) => window.__progressTicks > n
      || !document.querySelector('.layout:not([hidden]) [data-testid=progress]'), seen, { timeout: 20000 });
    const value = await field.inputValue();
    const ticks = await page.evaluate(() => window.__progressTicks);
    assert.equal(value, text, `the typed value after ${ticks} progress updates (check ${i + 1})`);
    assert.ok(await page.locator(visible('progress')).count() > 0, `the job was still running at check ${i + 1} (make it longer)`);
  }
  return page.evaluate(() => window.__progressTicks);
}

test('a number field keeps what is typed while a job reports progress (shadow epochs, simulator seed)', async () => {
  const failures = [];
  const { page, log } = await openPage(browser,
    `${server.url}?view=shadow&dataset=digits&model=mlp&hidden=64&epochs=300&shadows=16&seed=3`, undefined, 'shadow-run');
  await page.waitForSelector(visible('shadow-epochs'));
  await page.click(visible('shadow-run'));
  await page.waitForSelector(visible('progress'), { state: 'visible', timeout: 20000 });
  await page.waitForFunction(() => /Training (the target model|shadow model \d)/.test(
    document.querySelector('.layout:not([hidden]) [data-testid=progress]')?.textContent || ''), null, { timeout: 20000 });
  try {
    const ticks = await typeWhileBusy(page, visible('shadow-epochs'), '1234');
    console.log(`# shadow epochs kept "1234" through ${ticks} progress updates`);
  } catch (e) {
    failures.push(`shadow epochs: ${e.message}`);
    await page.screenshot({ path: path.join(OUT, 'reliability-shadow-typing.png') });
  }
  await page.click(visible('cancel'));
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) .notice')?.textContent.includes('Training stopped'), null, { timeout: 20000 });

  // The simulator's seed, while a simulation of 2,000,000 records runs.
  await page.goto(`${server.url}?view=simulator&n_members=1000000&n_nonmembers=1000000&seed=7`);
  await page.waitForSelector(visible('control-seed'), { timeout: 30000 });
  await page.waitForSelector(visible('progress'), { state: 'visible', timeout: 20000 });
  try {
    const ticks = await typeWhileBusy(page, visible('control-seed'), '98765', 3);
    console.log(`# simulator seed kept "98765" through ${ticks} progress updates`);
  } catch (e) {
    failures.push(`simulator seed: ${e.message}`);
    await page.screenshot({ path: path.join(OUT, 'reliability-simulator-typing.png') });
  }
  // The simulation may end between the look and the click (it did on a busy machine): then there
  // is nothing to stop, and closing the page ends the worker's job anyway.
  await page.locator(visible('cancel')).click({ timeout: 3000 }).catch(() => {});
  await page.close();
  assert.deepEqual(failures, [], failures.join('\n'));
  assert.deepEqual(log.errors, []);
});
