// End-to-end: the Text view (the text and LLM memorisation audit) on the release bundle. The bundled
// pairs sample at once; the pairs, log-prob and canary samples uploaded as files, every figure equal
// to `mia text --json` on the same file; highlighted spans visible and the table sortable; the prompt
// builder from pasted paragraphs and its CSV downloaded; bad input and bad settings named, the page
// working on; any UTF-8 (emoji, right-to-left, tabs) audited as the CLI audits it; a 1 MB cell that
// neither freezes the page nor panics; a large file stopped with the progress bar's cancel; no
// network request after the lockdown and no console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, visible, launch, openPage, metric, requestsAfterLockdown, rng, DIST, OUT, ROOT } from './harness.mjs';

let server, browser, tmp;
before(async () => {
  server = await serve(DIST);
  browser = await launch();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mia-text-e2e-'));
});
after(async () => {
  await browser?.close();
  server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const SAMPLES = path.join(ROOT, 'www', 'samples');
const MIA = path.join(ROOT, 'target', 'release', 'mia');
/** `mia text FILE --json [args]`. */
const mia = (file, ...args) => JSON.parse(execFileSync(MIA, ['text', file, '--json', ...args], { maxBuffer: 1 << 28 }));
const SIGNALS = ['neg_loss', 'zlib_ratio', 'min_k', 'ref_ratio'];
const PHONE = { width: 390, height: 844 };

/** Writes `text` to a file in the test's temporary directory; its path. */
function temp(name, text) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

/** A CSV field, quoted. */
const q = (s) => `"${String(s).replaceAll('"', '""')}"`;

/** Waits until the results shown are the audit of `name` in `mode`. */
async function waitForResult(page, name, mode, timeout = 60000) {
  try {
    await page.waitForFunction(([n, m]) => {
      const r = document.querySelector('.layout:not([hidden]) [data-testid=text-results]');
      return r?.dataset.mode === m && r.querySelector(':scope > p')?.textContent.startsWith(`${n}:`)
        && !document.querySelector('.layout:not([hidden]) [data-testid=progress]');
    }, [name, mode], { timeout });
  } catch (e) {
    // Say what the page shows instead.
    const shown = await page.evaluate(() => {
      const at = (s) => document.querySelector(`.layout:not([hidden]) ${s}`)?.textContent.slice(0, 400);
      return { results: at('[data-testid=text-results] > p'), error: at('[data-testid=text-error]'),
        progress: at('[data-testid=progress]'), notice: at('.notice') };
    });
    throw new Error(`no ${mode} results of ${name}: ${e.message}; the page shows ${JSON.stringify(shown)}`);
  }
}

/** Opens the Text view on `sample`, waits for its results and the lockdown; the page and its log. */
async function openText(sample = 'text_pairs', viewport = undefined) {
  const { page, log } = await openPage(browser, `${server.url}?view=text&sample=${sample}`, viewport, 'text-results');
  await page.waitForSelector('#csp-lockdown', { state: 'attached', timeout: 30000 });
  return { page, log };
}

/** Zero requests after the lockdown and no console error, then the page closed. */
async function finish(page, log) {
  assert.deepEqual(await requestsAfterLockdown(page, log), [], 'no network request after the lockdown');
  assert.deepEqual(log.errors, [], 'no console error');
  await page.close();
}

/** Every text row of the pairs table (after "show more" until all are shown). */
async function pairRows(page) {
  for (let i = 0; i < 100 && await page.$(visible('text-more')); i++) await page.click(visible('text-more'));
  return page.$$eval('.layout:not([hidden]) tr[data-testid^="text-pair-"]', (rows) => rows.map((r) => ({
    id: r.dataset.testid.slice('text-pair-'.length),
    jaccard: r.dataset.jaccard, ngram5: r.dataset.ngram5, lcs: r.dataset.lcs, edit: r.dataset.edit,
    wordLcs: r.dataset.wordLcs, risk: r.dataset.risk, memorised: r.dataset.memorised,
  })));
}

/** A text's largest value of `f` over its pairs in `mia text --json`; 'n/a' when none has one. */
function maxOver(native, t, f) {
  const v = t.pairs.map((i) => f(native.pairs[i])).filter((x) => x !== null && x !== undefined);
  return v.length ? Math.max(...v) : 'n/a';
}
const num = (s) => (s === 'n/a' ? s : Number(s));

/** The pairs results on the page equal `mia text --json` on `file` (the counts and, for every text,
 *  every figure, at full precision). Returns the CLI's audit and the rows. */
async function assertPairsSameAsCli(page, file, args = []) {
  const native = mia(file, ...args).pairs;
  assert.equal(Number(await metric(page, 'text-memorised-count')), native.memorized_count, 'memorised');
  assert.equal(Number(await metric(page, 'text-critical-count')), native.critical_count, 'critical');
  assert.equal(Number(await metric(page, 'text-extracted-count')), native.extracted_count, 'extracted');
  if (native.memorization_risk) {
    assert.equal(Number(await metric(page, 'text-memorisation-rate')), native.memorization_risk.memorization_rate, 'rate');
  } else {
    assert.equal(await page.$(visible('text-memorisation-rate')), null);
  }
  const rows = await pairRows(page);
  assert.equal(rows.length, native.texts.length, 'one row per text');
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const t of native.texts) {
    const r = byId.get(t.id);
    assert.ok(r, `a row for ${t.id}`);
    assert.equal(Number(r.jaccard), t.verdict.max_word_overlap, `${t.id} word overlap`);
    assert.equal(Number(r.ngram5), t.verdict.max_ngram_overlap, `${t.id} 5-gram overlap`);
    assert.equal(r.memorised, String(t.verdict.is_memorized), `${t.id} memorised`);
    assert.equal(r.risk, t.verdict.risk_level, `${t.id} risk`);
    assert.equal(Number(r.lcs), maxOver(native, t, (p) => p.extraction.longest_common_substring), `${t.id} LCS`);
    assert.equal(num(r.edit), maxOver(native, t, (p) => p.extraction.edit_similarity), `${t.id} edit similarity`);
    assert.equal(num(r.wordLcs), maxOver(native, t, (p) => p.extraction.word_lcs_ratio), `${t.id} word LCS`);
  }
  return { native, rows };
}

test('pairs: the sample at once, the uploaded file equal to mia text, spans highlighted, sortable, settings', async () => {
  const { page, log } = await openText('text_pairs');
  const file = path.join(SAMPLES, 'text_pairs.csv');
  assert.equal(await page.getAttribute(visible('text-results'), 'data-mode'), 'pairs');
  await waitForResult(page, 'Continuations of a small language model', 'pairs');
  await assertPairsSameAsCli(page, file);

  // The same file uploaded.
  await page.setInputFiles(visible('text-input'), file);
  await waitForResult(page, 'text_pairs.csv', 'pairs');
  assert.match(page.url(), /view=text&source=file/);
  assert.ok(Number(await page.getAttribute(visible('text-results'), 'data-scoring-ms')) >= 0);
  const { native } = await assertPairsSameAsCli(page, file);
  assert.ok(native.memorized_count > 0 && native.critical_count > 0, 'the sample has memorised texts');

  // Highlighted spans: visible and non-empty in at least one row (in both texts of the pair).
  const marks = page.locator('.layout:not([hidden]) tr[data-testid^="text-excerpt-"] .excerpt mark');
  assert.ok(await marks.count() > 0);
  let shown = 0;
  for (let i = 0; i < Math.min(await marks.count(), 20); i++) {
    const m = marks.nth(i);
    if ((await m.textContent()).trim().length > 0 && await m.isVisible()) shown++;
  }
  assert.ok(shown >= 2, `visible highlighted spans: ${shown}`);
  const first = page.locator('.layout:not([hidden]) tr[data-testid^="text-excerpt-"]').first();
  const [ref, out] = await first.locator('.excerpt mark').allTextContents();
  assert.equal(ref, out, 'the reference and the output highlight the same span');
  assert.ok(ref.trim().length > 0);
  await page.screenshot({ path: path.join(OUT, 'text-pairs.png'), fullPage: true });

  // Sorting: by 5-gram overlap at first (highest first), then by edit similarity.
  const order = async () => (await pairRows(page));
  const descending = (xs) => xs.every((x, i) => i === 0 || x <= xs[i - 1]);
  const byNgram = await order();
  assert.ok(descending(byNgram.map((r) => Number(r.ngram5))), 'sorted by 5-gram overlap');
  await page.click(visible('text-sort-edit'));
  await page.waitForSelector('.layout:not([hidden]) th[aria-sort=descending] [data-testid=text-sort-edit]');
  const byEdit = await order();
  assert.ok(descending(byEdit.map((r) => Number(r.edit))), 'sorted by edit similarity');
  assert.notDeepEqual(byEdit.map((r) => r.id), byNgram.map((r) => r.id), 'the order changed');
  assert.equal(byEdit.length, byNgram.length);
  assert.match(page.url(), /sort=edit/);
  await page.click(visible('text-sort-word_lcs'));
  await page.waitForSelector('.layout:not([hidden]) th[aria-sort=descending] [data-testid=text-sort-word_lcs]');
  assert.ok(descending((await order()).map((r) => Number(r.wordLcs))), 'sorted by word LCS');

  // The filter keeps the matching ids.
  await page.fill(visible('text-filter'), 'doc_000');
  const filtered = await order();
  assert.ok(filtered.length > 0 && filtered.length < byEdit.length);
  assert.ok(filtered.every((r) => r.id.includes('doc_000')));
  await page.fill(visible('text-filter'), '');

  // A new extracted span re-runs the audit on the same file: the count equals mia text --span 30.
  const span30 = mia(file, '--span', '30').pairs;
  await page.fill(visible('text-span'), '30');
  await page.press(visible('text-span'), 'Enter');
  await page.waitForFunction((want) => document.querySelector('.layout:not([hidden]) [data-testid=text-extracted-count]')?.dataset.value === String(want),
    span30.extracted_count, { timeout: 30000 });
  assert.match(page.url(), /span=30/);

  // Bad settings are named and do not run; a good one clears the message.
  await page.fill(visible('text-prefixes'), 'abc');
  await page.press(visible('text-prefixes'), 'Enter');
  await page.waitForSelector(visible('text-settings-error'));
  assert.match(await page.textContent(visible('text-settings-error')), /`abc` is not a prefix length/);
  await page.fill(visible('text-prefixes'), '50,50');
  await page.press(visible('text-prefixes'), 'Enter');
  await page.waitForFunction(() => /prefix length 50 is given twice/.test(document.querySelector('.layout:not([hidden]) [data-testid=text-settings-error]')?.textContent || ''));
  await page.fill(visible('text-k'), 'x');
  await page.press(visible('text-k'), 'Enter');
  await page.waitForFunction(() => /`x` is not a share/.test(document.querySelector('.layout:not([hidden]) [data-testid=text-settings-error]')?.textContent || ''));
  // Each field back to a good value: the message goes, the audit runs again with the defaults.
  for (const [id, v] of [['text-prefixes', '50,100,200,300'], ['text-k', '0.2'], ['text-span', '50']]) {
    await page.fill(visible(id), v);
    await page.press(visible(id), 'Enter');
  }
  await page.waitForSelector(visible('text-settings-error'), { state: 'detached' });
  await page.waitForFunction((want) => document.querySelector('.layout:not([hidden]) [data-testid=text-extracted-count]')?.dataset.value === String(want),
    native.extracted_count, { timeout: 30000 });

  // Phone width: the same results (in the first order again), readable.
  await page.click(visible('text-sort-ngram'));
  await page.waitForSelector('.layout:not([hidden]) th[aria-sort=descending] [data-testid=text-sort-ngram]');
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(OUT, 'text-pairs-phone.png'), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width + 1, `no sideways scrolling of the page at phone width (${width} px)`);
  await finish(page, log);
});

test('log-probs and canaries: uploaded, every AUC, rank and exposure equal to mia text', async () => {
  const { page, log } = await openText('text_pairs');

  // Log-probs: every signal's AUC and TPR at 1 % FPR.
  const lp = path.join(SAMPLES, 'text_logprobs.csv');
  await page.setInputFiles(visible('text-logprob-input'), lp);
  await waitForResult(page, 'text_logprobs.csv', 'logprobs');
  const native = mia(lp).logprobs;
  assert.deepEqual(Object.keys(native.signals).sort(), [...SIGNALS].sort());
  for (const s of SIGNALS) {
    assert.equal(Number(await metric(page, `text-auc-${s}`)), native.signals[s].auc, `${s} AUC`);
    assert.equal(Number(await metric(page, `text-tpr1-${s}`)), native.signals[s].tpr_at_fpr['0.01'], `${s} TPR at 1 %`);
  }
  const roc = await page.$(visible('text-roc'));
  const box = await roc.boundingBox();
  assert.ok(box.width > 100 && box.height > 100, 'the ROC chart is drawn');
  await page.screenshot({ path: path.join(OUT, 'text-logprobs.png'), fullPage: true });

  // Without a reference model the reference ratio is unavailable, named; the others still equal.
  const draw = rng(7);
  let csv = 'id,member,text,token_logprobs\n';
  for (let i = 0; i < 60; i++) {
    const member = i % 2;
    const n = 8 + Math.floor(draw() * 20);
    const lps = Array.from({ length: n }, () => (-(draw() * 4) - (member ? 0 : draw())).toFixed(6));
    csv += `t${i},${member},${q(`text number ${i} with ${n} tokens ${'word '.repeat(n % 7)}`)},${q(lps.join(' '))}\n`;
  }
  const noRef = temp('noref_logprobs.csv', csv);
  await page.setInputFiles(visible('text-logprob-input'), noRef);
  await waitForResult(page, 'noref_logprobs.csv', 'logprobs');
  const plain = mia(noRef).logprobs;
  assert.ok('ref_ratio' in plain.unavailable);
  await page.waitForSelector(visible('text-unavailable-ref_ratio'));
  assert.equal(await page.$(visible('text-auc-ref_ratio')), null);
  for (const s of ['neg_loss', 'zlib_ratio', 'min_k']) {
    assert.equal(Number(await metric(page, `text-auc-${s}`)), plain.signals[s].auc, `${s} AUC without a reference`);
  }

  // Canaries: each canary's rank, exposure and extrapolated exposure.
  const cf = path.join(SAMPLES, 'text_canaries.csv');
  await page.setInputFiles(visible('text-logprob-input'), cf);
  await waitForResult(page, 'text_canaries.csv', 'canaries');
  const canaries = mia(cf).canaries;
  assert.ok(canaries.canaries.length > 0);
  for (const c of canaries.canaries) {
    const row = visible(`text-canary-${c.canary_id}`);
    assert.equal(Number(await page.getAttribute(row, 'data-rank')), c.rank, `${c.canary_id} rank`);
    assert.equal(Number(await page.getAttribute(row, 'data-exposure')), c.exposure, `${c.canary_id} exposure`);
    assert.equal(num(await page.getAttribute(row, 'data-extrapolated')), c.extrapolated_exposure ?? 'n/a', `${c.canary_id} extrapolated`);
  }
  assert.equal(Number(await metric(page, 'text-canary-highest')), canaries.highest_exposure);
  assert.equal(Number(await metric(page, 'text-canary-mean')), canaries.mean_exposure);
  await page.screenshot({ path: path.join(OUT, 'text-canaries.png'), fullPage: true });

  // The bundled samples give the same figures as their files.
  await page.click(visible('text-sample-text_logprobs'));
  await waitForResult(page, 'Token log-probs of training and held-out texts', 'logprobs');
  for (const s of SIGNALS) assert.equal(Number(await metric(page, `text-auc-${s}`)), native.signals[s].auc, `sample ${s} AUC`);
  assert.match(page.url(), /source=sample&sample=text_logprobs/);
  await finish(page, log);
});

test('the prompt builder: pasted paragraphs, a too-short text named, the prompts CSV downloaded', async () => {
  const { page, log } = await openText('text_texts');
  await waitForResult(page, 'Texts to build prompts from', 'prompts');
  const texts = path.join(SAMPLES, 'text_texts.csv');
  assert.equal(Number(await metric(page, 'text-prompt-count')), mia(texts).prompts.prompts.length);

  const long = Array.from({ length: 40 }, (_, i) => `Sentence ${i} of the long paragraph, which the model may have seen.`).join(' ');
  const short = 'Too short to cut.';
  assert.ok(long.length > 400);
  await page.fill(visible('text-paste'), `${long}\n\n${short}\n`);
  await page.click(visible('text-paste-run'));
  await waitForResult(page, 'pasted text', 'prompts');
  // Four prefix lengths (50, 100, 200, 300) from the long paragraph; none from the short one.
  assert.equal(Number(await metric(page, 'text-prompt-count')), 4);
  await page.waitForSelector(visible('text-too-short'));
  await page.click(`${visible('text-too-short')} summary`);
  assert.match(await page.textContent(visible('text-too-short')), /1 text is too short/);
  assert.match(await page.textContent(visible('text-too-short')), new RegExp(`p2 \\(row 2\\): ${short.length} characters`));
  await page.screenshot({ path: path.join(OUT, 'text-prompts.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.click(visible('text-prompts-download'))]);
  assert.match(download.suggestedFilename(), /^prompts-.*\.csv$/);
  const got = fs.readFileSync(await download.path(), 'utf8');
  const lines = got.trim().split('\n');
  assert.match(lines[0], /^id,prefix_length,prompt,reference(,model_output)?$/);
  assert.equal(lines.length, 5, 'a header and four prompts');
  // The downloaded CSV is, byte for byte, the one mia text builds from the same two texts.
  const para = temp('paragraphs.csv', `id,text\np1,${q(long)}\np2,${q(short)}\n`);
  const book = mia(para).prompts;
  assert.deepEqual(book.prompts.map((p) => p.prefix_length), [50, 100, 200, 300]);
  assert.deepEqual(book.too_short.map((t) => t[0]), ['p2']);
  for (const p of book.prompts) assert.equal(p.prompt, long.slice(0, p.prefix_length));
  const cliCsv = path.join(tmp, 'prompts-cli.csv');
  execFileSync(MIA, ['text', para, '--prompts-out', cliCsv]);
  assert.equal(got, fs.readFileSync(cliCsv, 'utf8'));

  // Other prefix lengths cut the pasted texts again.
  await page.fill(visible('text-prefixes'), '20, 100');
  await page.press(visible('text-prefixes'), 'Enter');
  const cut = mia(para, '--prefix-lengths', '20,100').prompts;
  assert.deepEqual(cut.prompts.map((p) => p.prefix_length), [20, 100]);
  await page.waitForFunction((want) => document.querySelector('.layout:not([hidden]) [data-testid=text-prompt-count]')?.dataset.value === String(want),
    cut.prompts.length, { timeout: 30000 });
  assert.match(page.url(), /prefixes=20%2C100|prefixes=20,100/);
  await finish(page, log);
});

test('bad input: each named by row and column, the page working on', async () => {
  const { page, log } = await openText('text_pairs');
  const upload = async (input, name, text) => page.setInputFiles(visible(input), { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  /** Uploads `text` as `name` and waits for the error; its text, after checking the CLI refuses the file too. */
  const refused = async (input, name, text) => {
    await upload(input, name, text);
    // The message of this file (each names its file), not the one of the file before.
    await page.waitForFunction((n) => document.querySelector('.layout:not([hidden]) [data-testid=text-error]')?.textContent.includes(n), name, { timeout: 30000 });
    const shown = await page.textContent(visible('text-error'));
    const file = temp(name, text);
    let cli = '';
    try { execFileSync(MIA, ['text', file, '--json'], { stdio: 'pipe' }); } catch (e) { cli = e.stderr.toString(); }
    assert.ok(cli.length > 0, `mia text refuses ${name} too`);
    // The page's message is the CLI's (the CLI names the file by its path, the page by its name).
    assert.ok(shown.includes(cli.replace(/^error: /, '').trim().replace(file, name)), `${name}: page «${shown}», mia «${cli.trim()}»`);
    return shown;
  };
  const good = async (input, name, text, mode) => {
    await upload(input, name, text);
    await waitForResult(page, name, mode);
    assert.equal(await page.$(visible('text-error')), null, 'the error is gone');
  };

  // A pairs file without model_output: the columns it has and the one it needs are named.
  const noOutput = await refused('text-input', 'no_output.csv', 'id,reference,member\na,hello world and more,1\nb,another text,0\n');
  assert.match(noOutput, /no `model_output` column/);
  assert.match(noOutput, /`id`, `reference`, `member`/);
  // The page works on: a good pairs file.
  await good('text-input', 'good_pairs.csv', 'id,reference,model_output\na,one two three four five six,one two three four five six\nb,x y z,p q r\n', 'pairs');
  assert.equal(await metric(page, 'text-memorised-count'), '1');

  // A log-prob above 0, and one that is not a number: row and column named.
  const head = 'id,member,text,token_logprobs\n';
  const positive = await refused('text-logprob-input', 'positive.csv', `${head}a,1,hello world,-0.5 0.3\nb,0,foo bar,-1 -2\n`);
  assert.match(positive, /row 2, column `token_logprobs`: log-prob 2 is 0\.3, above 0/);
  const nan = await refused('text-logprob-input', 'not_a_number.csv', `${head}a,1,hello world,-0.5 -0.3\nb,0,foo bar,-1 abc\n`);
  assert.match(nan, /row 3, column `token_logprobs`: log-prob 2 \(`abc`\) is not a number/);
  // An empty text, in a log-prob file and in a pairs file.
  const emptyText = await refused('text-logprob-input', 'empty_text.csv', `${head}a,1,,-0.5 -0.3\nb,0,foo bar,-1 -2\n`);
  assert.match(emptyText, /row 2, column `text`: the text of `a` is empty/);
  const emptyRef = await refused('text-input', 'empty_reference.csv', 'id,reference,model_output\na,x y,z\nb,,foo\n');
  assert.match(emptyRef, /row 3, column `reference`: the reference of `b` is empty/);
  // Columns that ask for no audit.
  const none = await refused('text-input', 'no_audit.csv', 'foo,bar\n1,2\n');
  assert.match(none, /ask for no text audit/);
  await page.screenshot({ path: path.join(OUT, 'text-error.png'), fullPage: true });

  // Lengths that disagree with the token count.
  const count = await refused('text-logprob-input', 'n_tokens.csv', `id,member,text,token_logprobs,n_tokens\na,1,hello world,-0.5 -0.3,2\nb,0,foo bar baz,-1 -2,3\n`);
  assert.match(count, /row 3, column `token_logprobs`: 2 log-probs where n_tokens says 3/);

  // Then a good log-prob file works, and the error is gone.
  const goodLogprobs = `${head}a,1,hello world,-0.5 -0.3\nb,0,foo bar,-1 -2\nc,1,more text,-0.2 -0.1\nd,0,other text,-3 -2\n`;
  await good('text-logprob-input', 'good_logprobs.csv', goodLogprobs, 'logprobs');
  assert.equal(Number(await metric(page, 'text-auc-neg_loss')), mia(temp('good_logprobs.csv', goodLogprobs)).logprobs.signals.neg_loss.auc);
  // A pasted bad CSV is named too.
  await page.fill(visible('text-paste'), 'id,reference,model_output\na,,x\n');
  await page.click(visible('text-paste-run'));
  await page.waitForFunction(() => document.querySelector('.layout:not([hidden]) [data-testid=text-error]')?.textContent.includes('pasted text'), null, { timeout: 30000 });
  assert.match(await page.textContent(visible('text-error')), /pasted text, row 2, column `reference`/);
  await finish(page, log);
});

test('any UTF-8: emoji, right-to-left text, tabs and mixed whitespace, pasted and uploaded, as mia text audits it', async () => {
  const { page, log } = await openText('text_pairs');
  const hebrew = 'שלום עולם זה טקסט בעברית עם מספיק מילים כדי לבדוק את החפיפה של חמש מילים ברצף';
  const arabic = 'مرحبا بالعالم هذا نص عربي طويل بما يكفي لاختبار تداخل الكلمات الخمس المتتالية في النص';
  const emoji = 'emoji 🙂 🚀 👍🏽 a family 👨‍👩‍👧 and a flag 🇫🇷 with 日本語 and more words to count';
  const spaces = 'Tabs\tand  double  spaces,\u00a0a no-break space,\u2003an em space and\nnew lines: ÉCOLE Straße İstanbul ΣΟΦΟΣ ǅemal ﬁnance';
  const rows = [
    ['he_copy', hebrew, hebrew, 1],
    ['he_mixed', `${hebrew} ${emoji}`, `${hebrew.split(' ').slice(0, 9).join(' ')} ‏שונה לגמרי‏ ${emoji}`, 1],
    ['ar_para', arabic, arabic.split(' ').reverse().join(' '), 0],
    ['emoji', emoji, `${emoji} and a few more words`, 1],
    ['emoji_spaced', emoji, emoji.replaceAll(' ', ' \t '), 0],
    ['space', spaces, spaces.toLowerCase().replaceAll(/\s+/g, ' '), 0],
    ['bidi', `abc ${hebrew} 123 ${arabic} xyz`, `ABC ${hebrew}\t123\t${arabic} XYZ`, 0],
  ];
  const csv = `id,reference,model_output,member\n${rows.map((r) => r.map((x, i) => (i < 3 ? q(x) : x)).join(',')).join('\n')}\n`;
  const file = temp('unicode_pairs.csv', csv);

  // Pasted (the textarea keeps tabs and every character).
  await page.fill(visible('text-paste'), csv);
  assert.equal(await page.inputValue(visible('text-paste')), csv);
  await page.click(visible('text-paste-run'));
  await waitForResult(page, 'pasted text', 'pairs');
  const { native, rows: shown } = await assertPairsSameAsCli(page, file);
  assert.equal(shown.length, rows.length);
  // The tokens are case-folded and split on any whitespace: these are verbatim copies.
  for (const id of ['he_copy', 'emoji_spaced', 'space']) {
    const t = native.texts.find((x) => x.id === id);
    assert.equal(t.verdict.max_word_overlap, 1, `${id} word overlap`);
    assert.equal(t.verdict.risk_level, 'critical', id);
  }
  // The highlighted span keeps the right-to-left text and the emoji whole.
  const marks = await page.locator(`${visible('text-excerpt-he_copy')} .excerpt mark`).allTextContents();
  assert.ok(marks.some((m) => m.includes('שלום עולם')), marks.join(' | '));
  const emojiMarks = await page.locator(`${visible('text-excerpt-emoji')} .excerpt mark`).allTextContents();
  assert.ok(emojiMarks.some((m) => m.includes('👍🏽') || m.includes('👨‍👩‍👧')), emojiMarks.join(' | '));

  // Uploaded: the same figures.
  await page.setInputFiles(visible('text-input'), file);
  await waitForResult(page, 'unicode_pairs.csv', 'pairs');
  await assertPairsSameAsCli(page, file);
  await page.screenshot({ path: path.join(OUT, 'text-unicode.png'), fullPage: true });
  await finish(page, log);
});

/** `n` words drawn by `draw` from syllables made of `letters`. */
function words(n, draw, letters) {
  const out = [];
  for (let i = 0; i < n; i++) {
    let w = '';
    const len = 2 + Math.floor(draw() * 6);
    for (let j = 0; j < len; j++) w += letters[Math.floor(draw() * letters.length)];
    out.push(w);
  }
  return out.join(' ');
}

test('a 1 MB cell: results without freezing the page, the quadratic metrics n/a; a large file stopped', async () => {
  const { page, log } = await openText('text_pairs');
  // One pair of two unrelated ~1 MB texts, and a normal pair.
  const draw = rng(11);
  const big = words(190000, draw, 'abcdefghij');
  const other = words(190000, draw, 'klmnopqrst');
  assert.ok(big.length > 900000 && other.length > 900000);
  const normal = 'The quick brown fox jumps over the lazy dog and keeps running far away.';
  const file = temp('one_megabyte.csv', `id,reference,model_output\nbig,${q(big)},${q(other)}\nnormal,${q(normal)},${q(normal)}\n`);
  await page.evaluate(() => {
    window.__longest = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
      .observe({ type: 'longtask' });
    // A heartbeat: the longest gap between two 50 ms ticks of the page's main thread.
    window.__gap = 0;
    let last = performance.now();
    window.__beat = setInterval(() => { const now = performance.now(); window.__gap = Math.max(window.__gap, now - last); last = now; }, 50);
  });
  await page.setInputFiles(visible('text-input'), file);
  await waitForResult(page, 'one_megabyte.csv', 'pairs', 120000);
  const { native } = await assertPairsSameAsCli(page, file);
  // A file of more than 1 MB: its last half scored by the part worker, the figures the same.
  assert.equal(await page.getAttribute(visible('text-results'), 'data-scoring-workers'), '2');
  assert.match(await page.textContent(`${visible('text-results')} > p`), /in this tab's two workers\.$/);
  const bigPair = native.pairs.find((p) => p.id === 'big');
  assert.equal(bigPair.extraction.edit_similarity, null);
  assert.equal(await page.getAttribute(visible('text-pair-big'), 'data-edit'), 'n/a');
  assert.equal(await page.getAttribute(visible('text-pair-big'), 'data-word-lcs'), 'n/a');
  assert.match(await page.textContent(`${visible('text-pair-big')} td:nth-child(5)`), /n\/a/);
  assert.equal(Number(await page.getAttribute(visible('text-pair-normal'), 'data-edit')), 1);
  await page.waitForSelector(visible('text-not-computed-edit'));
  const { longest, gap } = await page.evaluate(() => { clearInterval(window.__beat); return { longest: window.__longest, gap: window.__gap }; });
  // 200 ms on a machine of its own (about 60 ms is usual here); when other processes compete for
  // the cores (a build beside the test), every task takes longer, and the budget with it (at most 3×).
  const load = Math.min(3, Math.max(1, os.loadavg()[0] / os.cpus().length));
  assert.ok(longest < 200 * load, `longest main-thread task ${longest} ms (budget ${200 * load} ms at load ${os.loadavg()[0]})`);
  assert.ok(gap < 400 * load, `longest gap between two 50 ms ticks ${gap} ms (budget ${400 * load} ms)`);
  // The excerpts are windows: the page does not hold the megabyte in its table.
  const cell = await page.textContent(visible('text-excerpt-big'));
  assert.ok(cell.length < 2000, `the row shows ${cell.length} characters`);

  // A large pairs file (20,000 pairs): the progress bar counts the pairs and its cancel stops the job.
  const lines = ['id,reference,model_output,member'];
  const d2 = rng(12);
  for (let i = 0; i < 20000; i++) lines.push(`t${i},${q(words(150, d2, 'abcdefghijklmnop'))},${q(words(150, d2, 'abcdefghijklmnop'))},${i & 1}`);
  const large = temp('twenty_thousand.csv', `${lines.join('\n')}\n`);
  await page.setInputFiles(visible('text-input'), large);
  await page.waitForFunction(() => /Scoring pair [\d,]+ of 20,?000/.test(document.querySelector('.layout:not([hidden]) [data-testid=progress]')?.textContent || ''),
    null, { timeout: 60000 });
  await page.screenshot({ path: path.join(OUT, 'text-progress.png') });
  // While the worker scores, the view tabs answer at once: the checklist opens, the Text view comes
  // back, still scoring.
  const opened = async (view) => {
    const t = Date.now();
    await page.click(`[data-testid=view-${view}]`);
    await page.waitForFunction((v) => document.querySelector(`[data-testid=view-${v}]`)?.getAttribute('aria-current') === 'page', view, { timeout: 5000 });
    return Date.now() - t;
  };
  const toChecklist = await opened('checklist');
  const back = await opened('text');
  assert.ok(toChecklist < 1500 && back < 1500, `the tabs answered in ${toChecklist} and ${back} ms`);
  assert.match(await page.textContent(visible('progress')), /Scoring pair [\d,]+ of 20,?000/);
  await page.click(visible('cancel'));
  await page.waitForFunction(() => /Stopped/.test(document.querySelector('.layout:not([hidden]) main .notice')?.textContent || ''), null, { timeout: 30000 });
  assert.equal(await page.$(visible('progress')), null, 'the progress bar is gone');
  // The last results stay; the page works on.
  assert.match(await page.textContent(`${visible('text-results')} > p`), /^one_megabyte\.csv:/);
  await page.click(visible('text-sample-text_pairs'));
  await waitForResult(page, 'Continuations of a small language model', 'pairs');
  assert.equal(await page.$('.layout:not([hidden]) main .notice'), null, 'the notice is gone');
  await finish(page, log);
});
