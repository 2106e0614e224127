import type { RunLogger } from './logger.js';

/** What a flow's handler receives as its second argument. */
export interface FlowContext {
  /** The run logger: records are stored with the run at their level. */
  log: RunLogger;
  flowRunId: string;
  flowRunName: string;
  /** The parameters as the run received them, before the `params` schema filled in defaults. */
  parameters: Readonly<Record<string, unknown>>;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** Aborted when the flow exceeds `timeoutSeconds`; pass it to fetch() and friends to stop early. */
  signal: AbortSignal;
}
