import type { BatonClient } from '../client/index.js';
import { BadRequestError, NotFoundError } from '../domain/errors.js';
import type { FlowRun } from '../domain/schemas/flowRuns.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Refuses what cannot be an ID before asking the server, which would only say "must be a UUID". */
export function requireUuid(value: string, what: string): string {
  const id = value.trim();
  if (!UUID.test(id)) throw new BadRequestError(`'${value}' is not a ${what} ID (a UUID such as 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b).`);
  return id;
}

/** The run, or an error naming the ID that was asked for. */
export async function readRun(api: BatonClient, id: string): Promise<FlowRun> {
  const runId = requireUuid(id, 'flow run');
  try {
    return await api.flowRuns.read(runId);
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(`Flow run '${runId}' not found.`);
    throw err;
  }
}

/**
 * A run by ID, or by name (as `flow-run retry ID|NAME` in Prefect) when exactly one run has that
 * name; several are listed so the user can pick by ID.
 */
export async function readRunByIdOrName(api: BatonClient, ref: string): Promise<FlowRun> {
  if (UUID.test(ref.trim())) return readRun(api, ref);
  const runs = await api.flowRuns.list({ flow_runs: { name: { any_: [ref] } }, sort: 'EXPECTED_START_TIME_DESC', limit: 6 });
  const [only, ...others] = runs;
  if (!only) throw new NotFoundError(`Flow run '${ref}' not found: no run has that ID or name. List runs with \`baton flow-run ls\`.`);
  if (others.length > 0) {
    const listed = runs.slice(0, 5).map((r) => r.id).join(', ');
    throw new BadRequestError(`${runs.length > 5 ? 'More than 5' : runs.length} flow runs are named '${ref}'; pass the ID of one: ${listed}${runs.length > 5 ? ', …' : ''}.`);
  }
  return only;
}
