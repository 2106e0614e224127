import type { BatonClient } from '../../../client/index.js';
import type { Applied } from '../../../deploy/apply.js';
import { shellWord } from '../../../deploy/commandLine.js';
import { hasChanges, type DiffLine } from '../../../deploy/diff.js';
import type { DeploymentPlan } from '../../../deploy/plan.js';
import { color, println } from '../../output.js';

const OP_COLOR: Record<DiffLine['op'], (s: string) => string> = { '+': color.green, '-': color.red, '~': color.yellow, '=': color.dim };

function printLines(lines: readonly DiffLine[], indent: string): void {
  for (const l of lines) println(`${indent}${OP_COLOR[l.op](`${l.op} ${l.text}`)}`);
}

/**
 * `--dry-run`: per deployment, `+ flow/name (new)` with every field, `~ flow/name` with what
 * changes, or `= flow/name: unchanged`; notes of what is kept; then a one-line summary.
 */
export function printDryRun(plans: readonly DeploymentPlan[]): void {
  let created = 0;
  let changed = 0;
  let unchanged = 0;
  for (const plan of plans) {
    if (!plan.existing) {
      created++;
      println(color.green(`+ ${plan.label} (new deployment)`));
    } else if (hasChanges(plan.lines)) {
      changed++;
      println(color.yellow(`~ ${plan.label}`));
    } else {
      unchanged++;
      println(color.dim(`= ${plan.label}: unchanged`));
    }
    printLines(plan.lines, '    ');
    for (const note of plan.notes) println(color.dim(`    (${note})`));
  }
  println();
  println(`Dry run: ${created} to create, ${changed} to change, ${unchanged} unchanged. Nothing was written.`);
}

/** After writing: the id of each deployment, and for a redeploy what changed. */
export function printApplied(applied: readonly Applied[]): void {
  for (const { plan, deployment, created } of applied) {
    println(`Deployment '${plan.label}' successfully ${created ? 'created' : 'updated'} with id '${deployment.id}'.`);
    if (!created) printLines(hasChanges(plan.lines) ? plan.lines : [{ op: '=', text: 'unchanged' }, ...plan.lines], '    ');
  }
}

/** Prefect's closing hints: a worker command for pools nobody serves, and how to run each deployment. */
export async function printNextSteps(api: BatonClient, applied: readonly Applied[]): Promise<void> {
  const pools = [...new Set(applied.map((a) => a.plan.request.work_pool_name))];
  const idle: string[] = [];
  for (const pool of pools) {
    const workers = await api.workPools.listWorkers(pool).catch(() => []);
    if (!workers.some((w) => w.status === 'ONLINE')) idle.push(pool);
  }
  for (const pool of idle) {
    println();
    println(`To execute flow runs from ${applied.length === 1 ? 'this deployment' : 'these deployments'}, start a worker that pulls work from the '${pool}' work pool:`);
    println();
    println(`        ${color.cyan(`$ baton worker start --pool ${shellWord(pool)}`)}`);
  }
  println();
  println(`To schedule a run for ${applied.length === 1 ? 'this deployment' : 'these deployments'}, use the following command:`);
  println();
  for (const a of applied) println(`        ${color.cyan(`$ baton deployment run '${a.plan.label.replace(/'/g, "'\\''")}'`)}`);
}
