import { BadRequestError } from '../../../domain/errors.js';
import type { FlowRunFilterInput } from '../../../domain/schemas/filters.js';
import type { FlowRun } from '../../../domain/schemas/flowRuns.js';
import { STATE_TYPES, type StateType } from '../../../domain/states.js';
import { client } from '../../context.js';
import { printJson, printTable, wantsJson } from '../../output.js';
import { colorState } from '../../runDisplay.js';
import { humanizeDelta } from '../../timeParse.js';

export interface LsOptions {
  flowName?: string[];
  state?: string[];
  stateType?: string[];
  limit: number;
  output?: string;
}

/** State names as the server stores them (Prefect §2.8), so `--state awaitingretry` finds AwaitingRetry. */
const KNOWN_STATE_NAMES = [
  'Scheduled', 'Late', 'AwaitingRetry', 'AwaitingConcurrencySlot', 'Resuming', 'Pending', 'Submitting',
  'InfrastructurePending', 'Running', 'Retrying', 'Rerunning', 'Paused', 'Suspended', 'Completed', 'Failed',
  'Crashed', 'Cancelling', 'Cancelled',
];

/** `late` → `Late`, `AWAITINGRETRY` → `AwaitingRetry`; an unknown name is capitalised. */
export function normalizeStateName(name: string): string {
  const trimmed = name.trim();
  const known = KNOWN_STATE_NAMES.find((n) => n.toLowerCase() === trimmed.toLowerCase());
  return known ?? trimmed.charAt(0).toUpperCase() + trimmed.slice(1).toLowerCase();
}

export function normalizeStateType(type: string): StateType {
  const upper = type.trim().toUpperCase();
  if (!(STATE_TYPES as readonly string[]).includes(upper)) {
    throw new BadRequestError(`Unknown state type '${type}': use one of ${STATE_TYPES.join(', ')}.`);
  }
  return upper as StateType;
}

/** The time the When column describes: when a scheduled run is due, else when it entered its state. */
function when(run: FlowRun): string | null {
  const time = run.state_type === 'SCHEDULED' ? (run.next_scheduled_start_time ?? run.expected_start_time) : (run.state?.timestamp ?? null);
  return time === null ? null : humanizeDelta(Date.parse(time));
}

const PAGE_SIZE = 200;

export async function listFlowRuns(opts: LsOptions): Promise<void> {
  const json = wantsJson(opts.output);
  const names = (opts.state ?? []).map(normalizeStateName);
  const types = (opts.stateType ?? []).map(normalizeStateType);
  const state: NonNullable<FlowRunFilterInput['state']> = {
    ...(names.length > 0 ? { name: { any_: names } } : {}),
    ...(types.length > 0 ? { type: { any_: types } } : {}),
  };
  const filter = {
    ...(opts.flowName?.length ? { flows: { name: { any_: opts.flowName } } } : {}),
    ...(Object.keys(state).length > 0 ? { flow_runs: { state } } : {}),
  };
  const api = client();
  const runs: FlowRun[] = [];
  while (runs.length < opts.limit) {
    const limit = Math.min(PAGE_SIZE, opts.limit - runs.length);
    const page = await api.flowRuns.list({ ...filter, sort: 'EXPECTED_START_TIME_DESC', limit, offset: runs.length });
    runs.push(...page);
    if (page.length < limit) break;
  }
  if (json) return printJson(runs);
  printTable(
    ['ID', 'Flow', 'Name', 'State', 'When'],
    runs.map((r) => [r.id, r.flow_name, r.name, r.state_type ? colorState(r.state_type, r.state_type) : null, when(r)]),
    { title: 'Flow Runs' },
  );
}
