// Integration test: `mia monitor --follow --metrics-addr 127.0.0.1:0` with a query log piped in,
// scraped by a real Prometheus server (Debian's `prometheus`) on localhost with the rules `mia monitor
// --rules-out` exports loaded; through Prometheus' HTTP API, MembershipInferenceRiskHigh fires for the
// attacking key and for no other key, and no alert fires for the normal key. What it scrapes passes
// `promtool check metrics`. Both processes are
// stopped at the end, whatever happens; the whole test is bounded (TIMEOUT_MS).
//
// Needs target/release/mia (cargo build --release -p mia-engine --bin mia) and `prometheus` on PATH
// (scripts/dev/test.sh installs Debian's package when it is missing).
//   node --test tests/prometheus/scrape.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MIA = path.join(ROOT, 'target', 'release', 'mia');
const TIMEOUT_MS = 120_000;

/** The log: `attacker` both repeats (12 inputs 4 times each: more than 3, and more than 10 such
 * inputs) and sweeps (1,000 distinct inputs: diversity above 0.9 over more than 100 queries), so its
 * risk is 1 (block); `normal` asks 40 inputs 3 times each (never more than 3), risk 0. */
function queryLog() {
  const lines = ['api_key,input,timestamp'];
  let t = 1_709_294_400;
  for (let i = 0; i < 1000; i += 1) lines.push(`attacker,record-${i},${t += 1}`);
  for (let r = 0; r < 4; r += 1) for (let i = 0; i < 12; i += 1) lines.push(`attacker,target-${i},${t += 1}`);
  for (let r = 0; r < 3; r += 1) for (let i = 0; i < 40; i += 1) lines.push(`normal,question-${i},${t += 1}`);
  return `${lines.join('\n')}\n`;
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` (async, returning a value or undefined) until it gives a value or `ms` pass. */
async function until(what, ms, check) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

function stop(child) {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

test('Prometheus scrapes mia monitor --follow and fires MembershipInferenceRiskHigh for the attacker only', { timeout: TIMEOUT_MS }, async () => {
  assert.ok(fs.existsSync(MIA), `no ${MIA}: cargo build --release -p mia-engine --bin mia`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mia-prometheus-'));
  const children = [];
  try {
    // The rules, with the seed's thresholds; `for: 0s` and a 1 s evaluation so the test is short.
    const logFile = path.join(work, 'log.csv');
    fs.writeFileSync(logFile, queryLog());
    const rules = path.join(work, 'rules.yml');
    execFileSync(MIA, ['monitor', logFile, '--rules-out', rules, '--rule-for', '0s,0s,0s', '--rule-interval', '1s']);
    execFileSync('promtool', ['check', 'rules', rules]);

    // The exporter: the log piped in, standard input kept open as a gateway's pipe is.
    const mia = spawn(MIA, ['monitor', '--follow', '--metrics-addr', '127.0.0.1:0'], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(mia);
    let err = '';
    let decisions = '';
    mia.stderr.on('data', (d) => { err += d; });
    mia.stdout.on('data', (d) => { decisions += d; });
    mia.stdin.write(queryLog());
    const url = await until('mia to say where it serves the metrics', 20_000, async () => err.match(/serving metrics at (http:\/\/\S+)/)?.[1]);
    const lines = queryLog().trim().split('\n').length - 1;
    await until(`${lines} decisions`, 30_000, async () => (decisions.split('\n').length - 1 === lines ? true : undefined));
    const last = decisions.trim().split('\n').map((l) => JSON.parse(l));
    const attacker = last.filter((d) => d.api_key === 'attacker').at(-1);
    assert.deepEqual([attacker.action, attacker.risk], ['block', 1]);
    assert.equal(last.filter((d) => d.api_key === 'normal').at(-1).action, 'allow');

    // What Prometheus will scrape passes promtool's lint.
    const scrape = await (await fetch(url)).text();
    assert.match(scrape, /^membership_inference_risk_score\{api_key="attacker"\} 1$/m);
    execFileSync('promtool', ['check', 'metrics'], { input: scrape });

    const { host, port: miaPort, pathname } = new URL(url);
    const promPort = await freePort();
    const config = path.join(work, 'prometheus.yml');
    fs.writeFileSync(config, `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - ${rules}
scrape_configs:
  - job_name: mia-monitor
    metrics_path: ${pathname}
    static_configs:
      - targets: ['${host}']
`);
    assert.ok(miaPort);
    const prometheus = spawn('prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(work, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(prometheus);
    let promLog = '';
    prometheus.stderr.on('data', (d) => { promLog += d; });
    const api = `http://127.0.0.1:${promPort}/api/v1`;
    const get = async (p) => {
      const r = await fetch(`${api}${p}`);
      const j = await r.json();
      assert.equal(j.status, 'success', JSON.stringify(j));
      return j.data;
    };

    try {
      // The target is scraped and healthy.
      await until('Prometheus to scrape mia', 60_000, async () => {
        const t = await get('/targets');
        return t.activeTargets.some((x) => x.health === 'up') ? true : undefined;
      });
      // The rules are loaded as exported.
      const groups = (await get('/rules')).groups;
      const names = groups.flatMap((g) => g.rules.map((r) => r.name)).sort();
      assert.deepEqual(names, ['HighQueryDiversity', 'MembershipInferenceRiskHigh', 'RepeatedInputQueries']);
      // The attacker's risk alert fires.
      const firing = await until('MembershipInferenceRiskHigh to fire', 60_000, async () => {
        const alerts = (await get('/alerts')).alerts;
        return alerts.some((a) => a.labels.alertname === 'MembershipInferenceRiskHigh' && a.state === 'firing') ? alerts : undefined;
      });
      const risk = firing.filter((a) => a.labels.alertname === 'MembershipInferenceRiskHigh');
      assert.deepEqual(risk.map((a) => [a.labels.api_key, a.state, a.labels.severity]), [['attacker', 'firing', 'critical']]);
      assert.equal(Number(risk[0].value), 1);
      // Prometheus holds both keys' scores, and no alert names the normal key.
      const scores = (await get('/query?query=membership_inference_risk_score')).result;
      assert.deepEqual(scores.map((s) => [s.metric.api_key, s.value[1]]).sort(), [['attacker', '1'], ['normal', '0']]);
      assert.deepEqual(firing.filter((a) => a.labels.api_key === 'normal'), []);
      const repeated = firing.find((a) => a.labels.alertname === 'RepeatedInputQueries');
      assert.equal(repeated?.labels.api_key, 'attacker');
    } catch (e) {
      console.error(`prometheus' log:\n${promLog.slice(-4000)}\nmia's standard error:\n${err}`);
      throw e;
    }
    mia.stdin.end();
  } finally {
    children.forEach(stop);
    await sleep(300);
    children.forEach((c) => { if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); });
    fs.rmSync(work, { recursive: true, force: true });
  }
});
