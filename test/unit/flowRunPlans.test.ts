import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { flowRunCountBodySchema, type FlowRunSort } from '../../src/domain/schemas/filters.js';
import { openDatabase } from '../../src/store/sqlite/db.js';
import { flowRunPageQuery } from '../../src/store/sqlite/filters/flowRunPage.js';
import { NEXT_EXPIRY_SQL, REAP_SQL } from '../../src/store/sqlite/leases.js';
import { tempDir } from '../helpers/tempDir.js';

// A page of runs must come straight off an index in the requested order: sorting the whole match
// set instead costs 60-600 ms at 1,000,000 runs. These are the plans SQLite makes for a fresh
// database (no statistics), which is what every user starts with.
const dir = tempDir();
const db = openDatabase(join(dir.path, 'baton.db'));
afterAll(() => {
  db.close();
  dir.remove();
});

function plan(body: unknown, sort: FlowRunSort): string {
  const q = flowRunPageQuery(flowRunCountBodySchema.parse(body), sort);
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params, 50, 0) as { detail: string }[];
  return rows.map((r) => r.detail).join(' | ');
}

const id = '0190a000-0000-7000-8000-000000000000';
const cases: [string, unknown, FlowRunSort[]][] = [
  ['no filter', {}, ['ID_DESC', 'START_TIME_ASC', 'START_TIME_DESC', 'EXPECTED_START_TIME_ASC', 'EXPECTED_START_TIME_DESC', 'NAME_ASC', 'NAME_DESC']],
  ['a deployment', { flow_runs: { deployment_id: { any_: [id] } } }, ['ID_DESC', 'START_TIME_DESC', 'START_TIME_ASC']],
  ['a state type', { flow_runs: { state: { type: { any_: ['SCHEDULED'] } } } }, ['ID_DESC', 'EXPECTED_START_TIME_ASC', 'EXPECTED_START_TIME_DESC']],
  ['a state name', { flow_runs: { state: { name: { any_: ['Late'] } } } }, ['ID_DESC', 'EXPECTED_START_TIME_ASC', 'EXPECTED_START_TIME_DESC']],
];

describe('flow run pages are read in index order', () => {
  for (const [label, filters, sorts] of cases) {
    for (const sort of sorts) {
      it(`${label}, ${sort}`, () => {
        const p = plan(filters, sort);
        expect(p).not.toContain('TEMP B-TREE');
        expect(p).toMatch(/USING (COVERING )?INDEX/);
      });
    }
  }
});

describe('the lease reaper reads only the runs in flight, never the history', () => {
  // SQLite uses a partial index only for a query whose condition implies the index's: if the
  // migration's condition and leases.ts's drift apart, these plans change and fail.
  it.each([
    ['runs of lapsed workers', REAP_SQL, 'SCAN r USING INDEX ix_flow_run_leased'],
    ['the next lease expiry', NEXT_EXPIRY_SQL, 'USING INDEX ix_flow_run_leased (worker_id=?)'],
  ])('%s', (_label, sql, expected) => {
    const detail = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql.includes('?') ? [0] : [])) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(detail).toContain(expected);
  });
});
