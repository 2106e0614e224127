import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Document, isMap, isSeq, parseDocument } from 'yaml';
import { pullStepBody } from './request.js';
import type { CompleteSpec } from './spec.js';

/** A baton.yaml `deployments:` entry for a spec, with only what was chosen (the rest stays default). */
export function yamlEntry(spec: CompleteSpec): Record<string, unknown> {
  const pool: Record<string, unknown> = { name: spec.pool };
  if (spec.queue) pool.work_queue_name = spec.queue;
  if (Object.keys(spec.jobVariables).length > 0) pool.job_variables = spec.jobVariables;
  const c = spec.concurrency;
  return {
    name: spec.name,
    entrypoint: spec.entrypoint,
    ...(spec.description !== undefined && spec.description !== null ? { description: spec.description } : {}),
    ...(spec.version !== undefined && spec.version !== null ? { version: spec.version } : {}),
    ...(spec.tags && spec.tags.length > 0 ? { tags: spec.tags } : {}),
    ...(Object.keys(spec.parameters).length > 0 ? { parameters: spec.parameters } : {}),
    work_pool: pool,
    ...(spec.schedules.length > 0 ? { schedules: spec.schedules.map((s) => withoutUndefined(s.config)) } : {}),
    ...(c ? { concurrency_limit: c.collision_strategy || c.grace_period_seconds !== undefined ? withoutUndefined({ ...c }) : c.limit } : {}),
    ...(spec.enforceParameterSchema !== undefined ? { enforce_parameter_schema: spec.enforceParameterSchema } : {}),
    ...(spec.pullSteps && spec.pullSteps.length > 0 ? { pull: spec.pullSteps.map(pullStepBody) } : {}),
  };
}

const HEADER = [
  ' baton.yaml: how `baton deploy` deploys the flows of this project (shaped like prefect.yaml).',
  ' Deploy one entry with `baton deploy -n FLOW/NAME`, or all of them with `baton deploy --all`.',
].join('\n');

/**
 * Adds the entry to baton.yaml's `deployments`, or replaces the entry with the same name and
 * entrypoint. Comments, anchors and the order of everything else are kept. Creates the file
 * when there is none. Returns whether an entry was replaced.
 */
export function saveDeployment(path: string, entry: Record<string, unknown>): { replaced: boolean } {
  const doc = existsSync(path) ? parseDocument(readFileSync(path, 'utf8'), { merge: true }) : new Document({});
  if (!existsSync(path)) doc.commentBefore = HEADER;
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  let seq = doc.get('deployments', true);
  if (!isSeq(seq)) {
    seq = doc.createNode([]);
    doc.set('deployments', seq);
  }
  if (!isSeq(seq)) throw new Error('unreachable: a new list is a list');
  const node = doc.createNode(entry);
  const at = seq.items.findIndex((item) => {
    return isMap(item) && item.get('name') === entry.name && item.get('entrypoint') === entry.entrypoint;
  });
  if (at >= 0) seq.items[at] = node;
  else seq.items.push(node);
  writeFileSync(path, doc.toString({ lineWidth: 0 }));
  return { replaced: at >= 0 };
}

function withoutUndefined<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
