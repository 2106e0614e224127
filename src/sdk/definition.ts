import type { FlowContext } from './context.js';
import type { ParamsParser } from './parameters.js';

/**
 * The brand every flow carries: `flow[FLOW_BRAND]` is its definition. A registered symbol, so an
 * engine recognises a flow made by another copy of baton (the user's project may have its own).
 */
export const FLOW_BRAND: unique symbol = Symbol.for('baton.flow');

/**
 * Everything the engine needs to run a flow, independent of the baton copy that made it. Only
 * plain data and the handler: keep it stable and additive, other copies read it.
 */
export interface FlowDefinition {
  readonly apiVersion: 1;
  readonly name: string;
  readonly params: ParamsParser;
  readonly retries: number;
  readonly retryDelaySeconds: number;
  readonly timeoutSeconds: number | null;
  readonly description: string | null;
  readonly version: string | null;
  readonly handler: (params: never, context: FlowContext) => unknown;
}

/** True for a value made by `flow()` of any copy of baton that speaks this definition's version. */
export function isFlow(value: unknown): boolean {
  return definitionOf(value) !== undefined;
}

/** The definition behind a flow, or undefined when the value is not one. */
export function definitionOf(value: unknown): FlowDefinition | undefined {
  if (typeof value !== 'function') return undefined;
  const def = (value as { [FLOW_BRAND]?: unknown })[FLOW_BRAND];
  if (typeof def !== 'object' || def === null) return undefined;
  const d = def as Partial<FlowDefinition>;
  const ok =
    d.apiVersion === 1 &&
    typeof d.name === 'string' &&
    typeof d.handler === 'function' &&
    typeof d.params === 'object' &&
    d.params !== null &&
    typeof d.params.safeParse === 'function';
  return ok ? (def as FlowDefinition) : undefined;
}
