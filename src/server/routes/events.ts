import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Change, Store } from '../../store/store.js';
import type { App, RouteContext } from '../app.js';

/**
 * `GET /api/events` (baton addition): a server-sent-events stream of small change notices, so the
 * web UI refetches only what changed instead of polling every list. Notices name what changed,
 * never its content; a client reads the object through the normal API.
 */

/** What one notice says; the SSE `event:` field is `kind`. */
export type Notice =
  | { kind: 'flow_run'; data: { id: string; state_type: string | null; work_pool_id: string | null } }
  | { kind: 'logs'; data: { flow_run_ids: string[] } }
  | { kind: 'work_pool'; data: { work_pool_id: string } }
  | { kind: 'work_queue'; data: { work_pool_id: string; work_queue_id: string } }
  | { kind: 'worker'; data: { work_pool_id: string } }
  | { kind: 'deployment'; data: { id: string; work_pool_id: string | null } }
  /** Too much changed at once to list: the client refetches whatever it shows. */
  | { kind: 'resync'; data: { reason: string } };

export interface EventStreamOptions {
  /** Notices are gathered for this long, so a burst of changes becomes one write. */
  flushMs: number;
  /** A comment line this often keeps proxies and idle timeouts from closing the stream. */
  heartbeatMs: number;
  /** Past this many distinct notices in one flush, a single `resync` replaces them. */
  maxNotices: number;
}

export const EVENT_STREAM_DEFAULTS: EventStreamOptions = { flushMs: 250, heartbeatMs: 15_000, maxNotices: 200 };

/** A store change as a notice, keyed so repeated changes of one object coalesce. */
function toNotice(change: Change): { key: string; notice: Notice } {
  switch (change.kind) {
    case 'flow_run':
      return {
        key: `flow_run:${change.flowRunId}`,
        notice: { kind: 'flow_run', data: { id: change.flowRunId, state_type: change.stateType, work_pool_id: change.workPoolId } },
      };
    case 'logs':
      return { key: 'logs', notice: { kind: 'logs', data: { flow_run_ids: change.flowRunIds } } };
    case 'work_pool':
      return { key: `work_pool:${change.workPoolId}`, notice: { kind: 'work_pool', data: { work_pool_id: change.workPoolId } } };
    case 'work_queue':
      return {
        key: `work_queue:${change.workQueueId}`,
        notice: { kind: 'work_queue', data: { work_pool_id: change.workPoolId, work_queue_id: change.workQueueId } },
      };
    case 'worker':
      return { key: `worker:${change.workPoolId}`, notice: { kind: 'worker', data: { work_pool_id: change.workPoolId } } };
    case 'deployment':
      return { key: `deployment:${change.deploymentId}`, notice: { kind: 'deployment', data: { id: change.deploymentId, work_pool_id: change.workPoolId } } };
  }
}

/** One connected client: gathers changes and writes them at most once per `flushMs`. */
class ChangeStream {
  private pending = new Map<string, Notice>();
  private overflow = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private ended = false;

  constructor(
    store: Store,
    private readonly res: ServerResponse,
    private readonly options: EventStreamOptions,
    private readonly onEnd: () => void,
  ) {
    this.unsubscribe = store.onChange((change) => this.add(change));
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), options.heartbeatMs);
    res.on('close', () => this.end());
  }

  private add(change: Change): void {
    if (this.ended) return;
    const { key, notice } = toNotice(change);
    const previous = this.pending.get(key);
    if (previous?.kind === 'logs' && notice.kind === 'logs') {
      const ids = new Set([...previous.data.flow_run_ids, ...notice.data.flow_run_ids]);
      this.pending.set(key, { kind: 'logs', data: { flow_run_ids: [...ids] } });
    } else {
      // A later change of the same object replaces the earlier one: only its latest state matters.
      this.pending.delete(key);
      this.pending.set(key, notice);
    }
    if (this.pending.size > this.options.maxNotices) {
      this.overflow = true;
      this.pending.clear();
    }
    this.flushTimer ??= setTimeout(() => this.flush(), this.options.flushMs);
  }

  private flush(): void {
    this.flushTimer = null;
    let out = '';
    if (this.overflow) {
      out = frame({ kind: 'resync', data: { reason: `more than ${this.options.maxNotices} objects changed at once` } });
    } else {
      for (const notice of this.pending.values()) out += frame(notice);
    }
    this.pending.clear();
    this.overflow = false;
    if (out !== '') this.write(out);
  }

  private write(text: string): void {
    if (!this.ended) this.res.write(text);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.unsubscribe();
    clearInterval(this.heartbeat);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.res.end();
    this.onEnd();
  }
}

function frame(notice: Notice): string {
  return `event: ${notice.kind}\ndata: ${JSON.stringify(notice.data)}\n\n`;
}

export function eventRoutes(app: App, { store }: RouteContext, options: EventStreamOptions = EVENT_STREAM_DEFAULTS): void {
  const streams = new Set<ChangeStream>();
  // Open streams would hold server.close() forever; end them before in-flight requests are awaited.
  app.addHook('preClose', async () => {
    for (const stream of [...streams]) stream.end();
  });

  app.get(
    '/events',
    {
      schema: {
        tags: ['Events'],
        summary: 'Stream change notices (server-sent events) for live views',
        description: [
          'baton addition. A `text/event-stream` of small notices naming what changed, gathered for',
          `${options.flushMs} ms so bursts become one write. Events: \`flow_run\` {id, state_type, work_pool_id},`,
          '`logs` {flow_run_ids}, `work_pool` {work_pool_id}, `work_queue` {work_pool_id, work_queue_id},',
          '`worker` {work_pool_id}, `deployment` {id, work_pool_id}, and `resync` {reason} when too much',
          `changed at once to list. A comment line arrives every ${options.heartbeatMs / 1000} s.`,
        ].join(' '),
        response: { 200: z.string().describe('text/event-stream') },
      },
    },
    async (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Reverse proxies (nginx) would otherwise buffer the stream and delay every notice.
        'x-accel-buffering': 'no',
      });
      // `retry` sets how soon the browser's EventSource reconnects after the stream drops.
      res.write('retry: 2000\n: connected\n\n');
      const stream = new ChangeStream(store, res, options, () => streams.delete(stream));
      streams.add(stream);
      request.log.debug('events stream opened');
    },
  );
}
