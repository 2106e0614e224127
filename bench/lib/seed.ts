import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../src/store/sqlite/db.js';

/**
 * Fills a baton database with `count` finished-looking runs (and their states) directly with SQL,
 * the way a year of production use would, so list queries can be measured at scale in seconds.
 */
export function seedRuns(dbPath: string, count: number): { deploymentIds: string[]; tags: string[] } {
  openDatabase(dbPath).close(); // create the schema
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = Date.now();
  const poolId = randomUUID();
  const queueId = randomUUID();
  db.prepare("INSERT INTO work_pool (id, created, updated, name, type, base_job_template, default_queue_id) VALUES (?, ?, ?, 'seeded', 'process', '{}', ?)").run(poolId, now, now, queueId);
  db.prepare("INSERT INTO work_queue (id, created, updated, work_pool_id, name, priority) VALUES (?, ?, ?, ?, 'default', 1)").run(queueId, now, now, poolId);
  const flows: string[] = [];
  const deploymentIds: string[] = [];
  for (let f = 0; f < 10; f++) {
    const flowId = randomUUID();
    flows.push(flowId);
    db.prepare('INSERT INTO flow (id, created, updated, name) VALUES (?, ?, ?, ?)').run(flowId, now, now, `flow-${f}`);
    for (let d = 0; d < 5; d++) {
      const id = randomUUID();
      deploymentIds.push(id);
      db.prepare('INSERT INTO deployment (id, created, updated, flow_id, name, work_queue_id, work_queue_name) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        id, now, now, flowId, `deployment-${d}`, queueId, 'default',
      );
    }
  }
  const tags = ['etl', 'nightly', 'adhoc', 'critical'];
  const types = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED', 'SCHEDULED'] as const;
  const insertRun = db.prepare(
    `INSERT INTO flow_run (id, created, updated, name, flow_id, deployment_id, work_queue_id, work_queue_name, parameters, tags,
       state_id, state_type, state_name, state_timestamp, run_count, expected_start_time, next_scheduled_start_time, start_time, end_time, total_run_time)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'default', '{"n":1}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertState = db.prepare('INSERT INTO flow_run_state (id, created, flow_run_id, type, name, timestamp, state_details) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const start = now - count * 1000;
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const t = start + i * 1000;
      const ms = t.toString(16).padStart(12, '0');
      const id = `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${randomUUID().slice(15)}`;
      const type = types[i % types.length] ?? 'COMPLETED';
      const name = type.charAt(0) + type.slice(1).toLowerCase();
      const deploymentId = deploymentIds[i % deploymentIds.length] ?? null;
      const flowId = flows[Math.floor((i % deploymentIds.length) / 5)] ?? flows[0];
      const stateId = randomUUID();
      const finished = type !== 'SCHEDULED';
      // Scheduled runs are upcoming, as on a running server: one that was due would have been
      // marked Late (or run) long ago, and seeding thousands of overdue runs would have the
      // server's late-runs sweep busy relabelling them while the benchmark measures.
      const expected = finished ? t : now + 60_000 + i * 1000;
      insertRun.run(
        id, t, t, `run-${i}`, flowId, deploymentId, queueId, JSON.stringify([tags[i % tags.length]]), stateId, type, name, t + 2000, finished ? 1 : 0,
        expected, finished ? null : expected, finished ? t + 1000 : null, finished ? t + 2000 : null, finished ? 1 : 0,
      );
      insertState.run(randomUUID(), t, id, 'SCHEDULED', 'Scheduled', t, '{}');
      insertState.run(stateId, t + 2000, id, type, name, t + 2000, '{}');
    }
  });
  for (let i = 0; i < count; i += 10_000) batch(i, Math.min(count, i + 10_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { deploymentIds, tags };
}
