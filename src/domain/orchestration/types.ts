import type { CollisionStrategy } from '../schemas/deployments.js';
import type { EmpiricalPolicy } from '../schemas/states.js';
import type { RetryType, StateType } from '../states.js';

/** A stored state. `details` holds the API's state_details (times as ISO-8601 strings). */
export interface StateRecord {
  id: string;
  type: StateType;
  name: string;
  timestamp: number;
  message: string | null;
  data: unknown;
  details: Record<string, unknown>;
}

/** What the rules need to know about a run. */
export interface RunSnapshot {
  id: string;
  deploymentId: string | null;
  infrastructurePid: string | null;
  runCount: number;
  empiricalPolicy: EmpiricalPolicy;
  holdsSlot: boolean;
  state: StateRecord | null;
  startTime: number | null;
  endTime: number | null;
  expectedStartTime: number | null;
  totalRunTime: number;
}

/** A proposed state, after defaults (name from type, scheduled_time for SCHEDULED). */
export interface ProposedState {
  type: StateType;
  name: string;
  message: string | null;
  data: unknown;
  details: Record<string, unknown>;
}

export interface DeploymentConcurrency {
  limit: number;
  strategy: CollisionStrategy;
  /** Slots held by the deployment's other runs. */
  heldByOthers: number;
}

export interface OrchestrationContext {
  now: number;
  /** Prefect's `force=true`: the minimal policy (an operator or a worker overriding the rules). */
  force: boolean;
  /** How a failure with retries left is retried (baton's set_state `retry_type`). */
  retryType?: RetryType | undefined;
  /** The run's deployment concurrency limit, if it has one. */
  concurrency: DeploymentConcurrency | null;
  /**
   * Why the run's work queue or pool cannot start another run right now (its concurrency limit
   * is reached), or null. Only computed for a run about to become active.
   */
  capacityFull?: string | null | undefined;
}

export type OrchestrationStatus = 'ACCEPT' | 'REJECT' | 'ABORT' | 'WAIT';

export interface Decision {
  status: OrchestrationStatus;
  reason: string | null;
  delaySeconds?: number;
  /** The state written: the proposal when accepted, the replacement when rejected with one. */
  write: ProposedState | null;
  /** The run's new empirical policy, when a rule changed it. */
  policy: EmpiricalPolicy | null;
  /** Deployment concurrency slot bookkeeping for this transition. */
  slot: 'take' | 'release' | null;
}

/** How long a run waits before trying again for a deployment concurrency slot (Prefect's default). */
export const CONCURRENCY_SLOT_WAIT_SECONDS = 30;
