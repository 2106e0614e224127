import type { BatonClient } from '../../../client/index.js';
import { BadRequestError } from '../../../domain/errors.js';
import type { Log } from '../../../domain/schemas/logs.js';
import { client } from '../../context.js';
import { followRun, LogCursor } from '../../follow.js';
import { printJson, println, wantsJson } from '../../output.js';
import { formatLogLine } from '../../runDisplay.js';
import { readRun } from '../../runRef.js';

export interface LogsOptions {
  head?: boolean;
  tail?: boolean;
  numLogs?: number;
  reverse?: boolean;
  follow?: boolean;
  output?: string;
}

const PAGE_SIZE = 200;
/** Prefect's default for --head and --tail. */
const DEFAULT_NUM_LOGS = 20;

/** A run's lines in one order, 200 per request, stopping after `limit` lines (all when null). */
async function readLines(api: BatonClient, runId: string, newestFirst: boolean, limit: number | null, onPage: (page: Log[]) => void): Promise<void> {
  let left = limit ?? Infinity;
  for (let offset = 0; left > 0; ) {
    const size = Math.min(PAGE_SIZE, left);
    const page = await api.flowRuns.logs({
      logs: { flow_run_id: { any_: [runId] } },
      sort: newestFirst ? 'TIMESTAMP_DESC' : 'TIMESTAMP_ASC',
      limit: size,
      offset,
    });
    onPage(page);
    if (page.length < size) return;
    offset += page.length;
    left -= page.length;
  }
}

/**
 * `baton flow-run logs`: --head/--tail choose which lines (the first or last N), --reverse the
 * order they are printed in (newest first); --follow then prints new lines until the run ends.
 */
export async function showLogs(id: string, opts: LogsOptions): Promise<void> {
  const json = wantsJson(opts.output);
  if (opts.head && opts.tail) throw new BadRequestError('Pass either --head or --tail, not both.');
  if (opts.follow && (opts.head || opts.reverse)) throw new BadRequestError('--follow prints lines as they come: it cannot be combined with --head or --reverse.');
  const api = client();
  const run = await readRun(api, id);
  const limit = opts.head || opts.tail || opts.numLogs !== undefined ? (opts.numLogs ?? DEFAULT_NUM_LOGS) : null;
  // The last N lines are read newest first; so are all lines when they are printed that way.
  const newestFirst = Boolean(opts.tail) || (limit === null && Boolean(opts.reverse));
  const flip = newestFirst !== Boolean(opts.reverse);

  const cursor = new LogCursor(api, run.id);
  // With --follow and -o json, one JSON object per line, so a reader can act on each as it comes.
  const print = json && opts.follow ? (l: Log) => println(JSON.stringify(l)) : (l: Log) => println(formatLogLine(l));
  const held: Log[] = [];
  await readLines(api, run.id, newestFirst, limit, (page) => {
    if (flip || (json && !opts.follow)) held.push(...page);
    else for (const line of page) print(line);
    if (opts.follow) for (const line of page) cursor.markShown(line);
  });
  if (flip) held.reverse();
  if (json && !opts.follow) printJson(held);
  else if (flip) for (const line of held) print(line);

  if (!opts.follow) return;
  await cursor.skipUnshown();
  await followRun(api, run.id, { onLog: print, cursor });
}
