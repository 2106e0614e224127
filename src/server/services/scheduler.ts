import { validateParameters } from '../../domain/parameters.js';
import type { ScheduleInput } from '../../domain/schedules/schema.js';
import type { Clock } from '../../domain/time.js';
import type { DueSchedule, Store } from '../../store/store.js';
import type { ServiceLoop } from './loop.js';
import { planSchedule, withScheduleLimit, type Plan, type SchedulerLimits } from './schedulerPlan.js';

/** What services log through (pino's and Fastify's loggers fit). */
export interface ServiceLog {
  info(message: string): void;
  warn(message: string): void;
  error(obj: unknown, message?: string): void;
}

export interface SchedulerSettings extends SchedulerLimits {
  /** How often due schedules are looked for; changes are acted on at once anyway. */
  loopMs: number;
}

export interface SchedulerTick {
  /** Schedules looked at, and runs created. */
  schedules: number;
  created: number;
}

/** Schedules handled per store read; a pass keeps reading until none is due. */
const BATCH = 100;

/**
 * Keeps every active schedule of every unpaused deployment supplied with upcoming runs. A pass
 * reads only the schedules whose refill time has come (an index range), so its cost follows the
 * schedules that are due, not how many exist. A deployment or schedule change is acted on at
 * once: the store's change event marks the deployment, and the next pass (started right away)
 * plans its schedules afresh from now. A run is keyed by its deployment and slot (and the
 * schedule's slug), never by the schedule row, so restarts, redeploys and edits never make a
 * second run for a slot.
 */
export class Scheduler {
  private readonly changed = new Set<string>();
  private readonly unsubscribe: () => void;
  /** Set while the loop runs: starts a pass soon. */
  private wake: (() => void) | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: SchedulerSettings,
    private readonly log: ServiceLog,
  ) {
    this.unsubscribe = store.onChange((change) => {
      if (change.kind !== 'deployment') return;
      this.changed.add(change.deploymentId);
      this.wake?.();
    });
  }

  close(): void {
    this.unsubscribe();
  }

  /** One pass: re-plans changed deployments, then fills every due schedule. */
  async tick(): Promise<SchedulerTick> {
    for (const id of [...this.changed]) {
      this.changed.delete(id);
      await this.store.schedules.reset(id);
    }
    const result: SchedulerTick = { schedules: 0, created: 0 };
    for (;;) {
      const due = await this.store.schedules.due(this.clock.now(), BATCH);
      for (const schedule of due) result.created += await this.fill(schedule);
      result.schedules += due.length;
      if (due.length < BATCH) return result;
    }
  }

  private async fill(due: DueSchedule): Promise<number> {
    if (due.deploymentPaused) {
      await this.store.schedules.park(due, null);
      return 0;
    }
    const name = `Schedule ${due.slug ? `'${due.slug}' ` : ''}${due.id} of deployment ${due.deploymentId}`;
    const problem = this.invalidParameters(due);
    if (problem) {
      this.log.warn(`${name} makes no runs: ${problem}. Fix the schedule's or the deployment's parameters.`);
      await this.store.schedules.park(due, problem);
      return 0;
    }
    let plan: Plan;
    try {
      plan = planSchedule({ schedule: due.schedule as ScheduleInput, catchup: due.catchup, cursor: due.cursor, now: this.clock.now() }, withScheduleLimit(this.settings, due.maxScheduledRuns));
    } catch (err) {
      const problem = `its schedule cannot be evaluated (${(err as Error).message})`;
      this.log.error({ err }, `${name} makes no runs: ${problem}`);
      await this.store.schedules.park(due, problem);
      return 0;
    }
    const { applied, created } = await this.store.schedules.fill(due, plan);
    if (applied && plan.missed.found > 0) {
      this.log.info(
        `${name} missed ${plan.missed.found} slot(s) while the server was down; catch-up '${due.catchup}' made up ${plan.missed.kept}.`,
      );
    }
    return created;
  }

  /** Runs must pass the deployment's parameter schema like any other run, required fields included. */
  private invalidParameters(due: DueSchedule): string | null {
    if (!due.enforceParameterSchema) return null;
    const problems = validateParameters(due.parameterSchema, { ...due.deploymentParameters, ...due.parameters }, { requireAll: true, loc: ['parameters'] });
    return problems.length === 0 ? null : `invalid parameters: ${problems.map((p) => p.msg).join('; ')}`;
  }

  /** Runs passes every `loopMs`, and at once after a change; passes never overlap. */
  start(): ServiceLoop {
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> | null = null;
    let again = false;
    const run = (): void => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = null;
      running = this.tick()
        .then(
          () => undefined,
          (err: unknown) => this.log.error({ err }, 'scheduler failed'),
        )
        .finally(() => {
          running = null;
          if (stopped) return;
          if (again) {
            again = false;
            setImmediate(run);
          } else {
            timer = setTimeout(run, this.settings.loopMs);
          }
        });
    };
    this.wake = () => void setImmediate(run);
    this.wake();
    return {
      stop: async () => {
        stopped = true;
        this.wake = null;
        if (timer) clearTimeout(timer);
        await running;
        this.close();
      },
    };
  }
}
