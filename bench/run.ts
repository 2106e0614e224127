/**
 * `npm run bench [-- --quick | --big]`: measures baton against this machine's own limits and
 * writes bench/results/latest.json. Never part of `npm test`.
 *
 *   --quick  fewer repetitions (under two minutes)
 *   --big    1,000,000 runs in the database for the filter benchmark (default 100,000)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { measureApi } from './api.js';
import { measureClaimLatency } from './claimLatency.js';
import { measureCliColdStart } from './cli.js';
import { measureDispatch } from './dispatch.js';
import { ROOT } from './lib/harness.js';
import { measureScheduleLateness } from './scheduleLateness.js';
import { measureThroughput } from './throughput.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const big = args.has('--big');
const size = {
  dispatchRuns: quick ? 30 : 100,
  throughputRuns: quick ? 150 : 1000,
  runsInDb: big ? 1_000_000 : 100_000,
  creates: quick ? 1000 : 3000,
  lateSlots: quick ? 8 : 30,
  cliRepeats: quick ? 5 : 15,
  claimRuns: quick ? 30 : 100,
};

const started = Date.now();
const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  const t0 = Date.now();
  process.stderr.write(`… ${name}\n`);
  const result = await fn();
  process.stderr.write(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return result;
};

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadBefore: loadavg().map((l) => l.toFixed(2)).join(' '),
};

const dispatch = await step(`dispatch (${size.dispatchRuns} runs)`, () => measureDispatch(size.dispatchRuns));
const throughput = await step(`throughput (${size.throughputRuns} runs, --limit 8)`, () => measureThroughput(size.throughputRuns));
const apiResult = await step(`API (${size.runsInDb.toLocaleString('en')} runs in the database)`, () => measureApi(size.runsInDb, size.creates));
const lateness = await step(`schedule lateness (${size.lateSlots} slots of 2 s)`, () => measureScheduleLateness(size.lateSlots));
const cli = await step('CLI cold start', () => measureCliColdStart(size.cliRepeats));
const claim = await step('long-poll claim latency', () => measureClaimLatency(size.claimRuns));

const latest = {
  dispatch: { spawned_ms: dispatch.spawned_ms, first_line_ms: dispatch.first_line_ms, bare_spawn_ms: dispatch.bare_spawn_ms },
  throughput: { runs_per_s: throughput.runs_per_s, bare_runs_per_s: throughput.bare_runs_per_s },
  api: {
    create_flow_run_per_s: apiResult.create_flow_run_per_s,
    filter_p95_ms: apiResult.filter_p95_ms,
    runs_in_db: apiResult.runs_in_db,
    log_lines_per_s: apiResult.log_lines_per_s,
  },
  schedule_lateness_ms: { p50: lateness.lateness_ms.p50, p99: lateness.lateness_ms.p99 },
  memory_mb: { server_idle: apiResult.memory.server_idle, server_load: apiResult.memory.server_load, worker: throughput.worker_rss_mb },
  db_mb_per_100k_runs: apiResult.db_mb_per_100k_runs,
  cli_cold_start_ms: { p50: cli.p50 },
};
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(latest, null, 2)}\n`);

const bareFirstLineGoal = Math.round(dispatch.bare_spawn_ms.p50 + 120);
const rows: [string, string, string, boolean][] = [
  ['dispatch: create → spawned (p50 / p95 / p99)', `${dispatch.spawned_ms.p50} / ${dispatch.spawned_ms.p95} / ${dispatch.spawned_ms.p99} ms`, 'p50 ≤ 20, p99 ≤ 100 ms', dispatch.spawned_ms.p50 <= 20 && dispatch.spawned_ms.p99 <= 100],
  ['dispatch: create → first log line (p50 / p95 / p99)', `${dispatch.first_line_ms.p50} / ${dispatch.first_line_ms.p95} / ${dispatch.first_line_ms.p99} ms`, `p50 ≤ bare + 120 = ${bareFirstLineGoal} ms`, dispatch.first_line_ms.p50 <= bareFirstLineGoal],
  ['bare `node` spawn → first line (p50 / p95 / p99)', `${dispatch.bare_spawn_ms.p50} / ${dispatch.bare_spawn_ms.p95} / ${dispatch.bare_spawn_ms.p99} ms`, '(reference)', true],
  ['throughput (one worker, --limit 8)', `${throughput.runs_per_s} runs/s`, `≥ 0.7 × bare = ${(0.7 * throughput.bare_runs_per_s).toFixed(1)}`, throughput.runs_per_s >= 0.7 * throughput.bare_runs_per_s],
  ['bare `node` processes, 8 at a time', `${throughput.bare_runs_per_s} /s`, '(reference)', true],
  ['create_flow_run', `${apiResult.create_flow_run_per_s} /s`, '≥ 2,000 /s', apiResult.create_flow_run_per_s >= 2000],
  [`flow_runs/filter p95 at ${apiResult.runs_in_db.toLocaleString('en')} runs`, `${apiResult.filter_p95_ms} ms`, '≤ 20 ms at 1,000,000 runs', apiResult.filter_p95_ms <= 20],
  ['log lines stored', `${apiResult.log_lines_per_s} /s`, '', true],
  ['schedule lateness (p50 / p99)', `${lateness.lateness_ms.p50} / ${lateness.lateness_ms.p99} ms`, 'p99 ≤ 250 ms', lateness.lateness_ms.p99 <= 250],
  ['server RSS idle / under load', `${apiResult.memory.server_idle} / ${apiResult.memory.server_load} MB`, 'idle ≤ 100 MB', apiResult.memory.server_idle <= 100],
  ['worker RSS', `${throughput.worker_rss_mb} MB`, '', true],
  ['database size per 100,000 runs', `${apiResult.db_mb_per_100k_runs} MB`, '', true],
  ['CLI cold start (`baton work-pool ls`, p50)', `${cli.p50} ms`, '≤ 250 ms', cli.p50 <= 250],
  ['long-poll claim: create → claim answered (p50 / p95 / p99)', `${claim.p50} / ${claim.p95} / ${claim.p99} ms`, '', true],
];

const table = [
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}; load average before: ${machine.loadBefore}${quick ? ' (--quick)' : ''}`,
  '',
  '| Measure | Result | Goal | |',
  '|---|---|---|---|',
  ...rows.map(([m, r, g, ok]) => `| ${m} | ${r} | ${g} | ${g === '' || g === '(reference)' ? '' : ok ? 'met' : 'missed'} |`),
  '',
  `Total: ${((Date.now() - started) / 1000).toFixed(0)} s. Raw figures: bench/results/latest.json`,
].join('\n');
console.log(table);
