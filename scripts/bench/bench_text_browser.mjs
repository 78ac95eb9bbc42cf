// Browser benchmark (not a test): the verbatim test of a pairs file (10,000 pairs of 300-word texts,
// as scripts/bench/text_pairs_synthetic.py writes them) in the release bundle in headless Chromium
// (upload → the pairs results shown) against `mia text FILE --json` on the same file, in one run,
// alternating, TEXT_BENCH_REPEAT times each (default 3). Prints every run, then the medians and the
// page/mia ratios, the longest main-thread task, and whether the figures agree (the counts, the
// memorisation rate and every figure of the rows the page shows; in the last run of each file, of
// every text, read through the table's filter).
//
// "worker ms" is the page's own `data-scoring-ms`: the worker's parse of the file's bytes, every
// pair scored and the audit built (reading the file from disk excluded); "page ms" is the wall time
// from the upload to the results drawn; "mia ms" is the wall time of the whole `mia text --json`
// process (reading, scoring, writing the JSON).
//
// Needs `trunk build --release` and `cargo build --release -p mia-engine --bin mia`; the inputs are
// those of scripts/bench/bench_text.sh in DIR (text_pairs_<mix>_n10000_w300_s1.csv), generated with
// scripts/bench/text_pairs_synthetic.py (python3, standard library) when DIR does not have them.
//   node scripts/bench/bench_text_browser.mjs [DIR]     (default DIR: /tmp/text-bench)
// Environment: TEXT_BENCH_MIXES (default "realistic,unrelated"), TEXT_BENCH_PAIRS (10000),
// TEXT_BENCH_WORDS (300), TEXT_BENCH_REPEAT (3), TEXT_BENCH_ALL_ROWS (1; 0 compares only the rows
// shown at first), PYTHON (default python3).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, openPage, DIST, ROOT, watchLongTasks, longestTask } from '../../tests/e2e/harness.mjs';

const dir = process.argv[2] || '/tmp/text-bench';
const PAIRS = Number(process.env.TEXT_BENCH_PAIRS || 10000);
const WORDS = Number(process.env.TEXT_BENCH_WORDS || 300);
const REPEAT = Number(process.env.TEXT_BENCH_REPEAT || 3);
const MIXES = (process.env.TEXT_BENCH_MIXES || 'realistic,unrelated').split(',').map((m) => m.trim()).filter(Boolean);
const PYTHON = process.env.PYTHON || 'python3';
/** Compare every text's row in the last run of each file (not only the 100 shown at first). */
const ALL_ROWS = process.env.TEXT_BENCH_ALL_ROWS !== '0';
/** The issue's target: 10,000 pairs of 300-word texts scored in at most 2 s in the browser. */
const TARGET_MS = 2000;

const mia = path.join(ROOT, 'target', 'release', 'mia');
for (const [what, p] of [['the release bundle (trunk build --release)', path.join(DIST, 'index.html')], ['mia (cargo build --release -p mia-engine --bin mia)', mia]]) {
  if (!fs.existsSync(p)) { console.error(`bench_text_browser: no ${p}: build ${what} first`); process.exit(2); }
}
fs.mkdirSync(dir, { recursive: true });

/** The pairs file of `mix` in `dir`, generated when missing (the name bench_text.sh uses). */
function input(mix) {
  const file = path.join(dir, `text_pairs_${mix}_n${PAIRS}_w${WORDS}_s1.csv`);
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) {
    console.error(`generating ${file}`);
    execFileSync(PYTHON, [path.join(ROOT, 'scripts', 'bench', 'text_pairs_synthetic.py'), `${file}.part`,
      '--pairs', String(PAIRS), '--words', String(WORDS), '--mix', mix, '--seed', '1'], { stdio: 'inherit' });
    fs.renameSync(`${file}.part`, file);
  }
  return file;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const visible = (id) => `.layout:not([hidden]) [data-testid="${id}"]`;

/** Where the page's figures differ from `mia text --json`'s (`native`): the counts, the rate, and
 *  every figure of each row the page shows (each text's largest over its pairs). */
async function differences(page, native, all) {
  const a = native.pairs;
  const out = [];
  const card = (id) => page.getAttribute(visible(id), 'data-value');
  const same = (what, got, want) => { if (got !== want) out.push(`${what}: page ${got}, mia ${want}`); };
  same('memorised', Number(await card('text-memorised-count')), a.memorized_count);
  same('critical', Number(await card('text-critical-count')), a.critical_count);
  same('extracted', Number(await card('text-extracted-count')), a.extracted_count);
  if (a.memorization_risk) same('memorisation rate', Number(await card('text-memorisation-rate')), a.memorization_risk.memorization_rate);
  const read = () => page.$$eval('.layout:not([hidden]) tr[data-testid^="text-pair-"]', (rs) => rs.map((r) => ({ ...r.dataset })));
  let rows = await read();
  if (all) {
    // Every text: the table shows 100 rows at a time, so filter by id prefixes of up to 100 texts each.
    const groups = new Set(a.texts.map((t) => t.id.slice(0, -2)));
    const seen = new Map(rows.map((r) => [r.testid, r]));
    for (const g of groups) {
      await page.fill(visible('text-filter'), g);
      await page.waitForFunction((g) => [...document.querySelectorAll('.layout:not([hidden]) tr[data-testid^="text-pair-"]')]
        .every((r) => r.dataset.testid.slice('text-pair-'.length).toLowerCase().includes(g.toLowerCase())), g);
      for (const r of await read()) seen.set(r.testid, r);
    }
    await page.fill(visible('text-filter'), '');
    rows = [...seen.values()];
  }
  const texts = new Map(a.texts.map((t) => [t.id, t]));
  const max = (t, f) => {
    const v = t.pairs.map((i) => f(a.pairs[i])).filter((x) => x !== null && x !== undefined);
    return v.length ? Math.max(...v) : 'n/a';
  };
  const num = (s) => (s === 'n/a' ? s : Number(s));
  for (const r of rows) {
    const id = r.testid.slice('text-pair-'.length);
    const t = texts.get(id);
    if (!t) { out.push(`${id}: not in mia's texts`); continue; }
    same(`${id} word overlap`, Number(r.jaccard), t.verdict.max_word_overlap);
    same(`${id} 5-gram overlap`, Number(r.ngram5), t.verdict.max_ngram_overlap);
    same(`${id} longest common substring`, Number(r.lcs), max(t, (p) => p.extraction.longest_common_substring));
    same(`${id} edit similarity`, num(r.edit), max(t, (p) => p.extraction.edit_similarity));
    same(`${id} word LCS ratio`, num(r.wordLcs), max(t, (p) => p.extraction.word_lcs_ratio));
  }
  if (rows.length === 0) out.push('no rows shown');
  return { out, rows: rows.length, texts: a.texts.length };
}

const server = await serve(DIST);
const browser = await launch();
let failed = false;
const summary = [];
console.log('mix\tpairs\tMB\trun\tmia ms\tpage ms\tworker ms (workers)\tpage/mia\tworker/mia\tlongest main-thread task ms\tsame figures');
for (const mix of MIXES) {
  const file = input(mix);
  const name = path.basename(file);
  const mb = (fs.statSync(file).size / 1e6).toFixed(1);
  const runs = [];
  // mia and the page alternate, REPEAT times each, so that both see the same moments of a noisy
  // machine; the last line per file gives the medians.
  for (let r = 1; r <= REPEAT; r++) {
    const t = performance.now();
    const native = JSON.parse(execFileSync(mia, ['text', file, '--json'], { maxBuffer: 1 << 30 }));
    const miaMs = performance.now() - t;
    // As a user opens the view: its bundled sample is shown, then the worker warms its code up while
    // the user picks a file (src/worker/warm_up.rs).
    const { page, log } = await openPage(browser, `${server.url}?view=text&sample=text_pairs`, undefined, 'text-results');
    await page.waitForTimeout(2000);
    await watchLongTasks(page);
    const t0 = performance.now();
    await page.setInputFiles(visible('text-input'), file);
    await page.waitForFunction((n) => document.querySelector('.layout:not([hidden]) [data-testid=text-results] > p')?.textContent.startsWith(`${n}:`)
      || document.querySelector('.layout:not([hidden]) [data-testid=text-error]'), name, { timeout: 900000 });
    const pageMs = performance.now() - t0;
    const error = await page.$(visible('text-error'));
    if (error) {
      console.error(`${mix}: the page refused ${name}: ${await error.textContent()}`);
      process.exit(1);
    }
    const workerMs = Number(await page.getAttribute(visible('text-results'), 'data-scoring-ms'));
    const workers = await page.getAttribute(visible('text-results'), 'data-scoring-workers');
    const longest = await longestTask(page);
    const { out, rows, texts } = await differences(page, native, ALL_ROWS && r === REPEAT);
    if (out.length) failed = true;
    if (log.errors.length) { failed = true; out.push(...log.errors.map((e) => `console: ${e}`)); }
    runs.push({ miaMs, pageMs, workerMs, longest });
    console.log(`${mix}\t${native.pairs.pairs.length}\t${mb}\t${r}\t${miaMs.toFixed(0)}\t${pageMs.toFixed(0)}\t${workerMs.toFixed(0)} (${workers})\t${(pageMs / miaMs).toFixed(2)}\t${(workerMs / miaMs).toFixed(2)}\t${longest}\t${out.length ? `NO: ${out.slice(0, 3).join('; ')}` : `yes (counts, rate, ${rows} of ${texts} texts)`}`);
    await page.close();
  }
  const m = (k) => median(runs.map((x) => x[k]));
  console.log(`${mix}\t\t${mb}\tmedian\t${m('miaMs').toFixed(0)}\t${m('pageMs').toFixed(0)}\t${m('workerMs').toFixed(0)}\t${(m('pageMs') / m('miaMs')).toFixed(2)}\t${(m('workerMs') / m('miaMs')).toFixed(2)}\t${Math.max(...runs.map((x) => x.longest))}`);
  summary.push({ mix, worker: m('workerMs'), page: m('pageMs') });
}
await browser.close();
server.close();
console.log();
for (const s of summary) {
  console.log(`${s.mix}: the worker scored ${PAIRS} pairs of ${WORDS}-word texts in ${(s.worker / 1000).toFixed(2)} s (median), ${s.worker <= TARGET_MS ? 'within' : 'OVER'} the ${TARGET_MS / 1000} s target; upload to results drawn ${(s.page / 1000).toFixed(2)} s.`);
}
console.log('worker ms = the page\'s data-scoring-ms (parse + score + audit in the worker, the file read excluded; a file over 1 MB has');
console.log('its last half scored by the part worker at the same time: workers = data-scoring-workers);');
console.log('page ms = upload to results drawn; mia ms = the whole `mia text --json` process. Ratios are page/mia.');
process.exit(failed ? 1 : 0);
