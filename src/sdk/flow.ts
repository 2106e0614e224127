import type { z } from 'zod';
import { EMPTY_PARAMS } from './emptyParams.js';
import type { FlowContext } from './context.js';
import { FLOW_BRAND, type FlowDefinition } from './definition.js';
import { callDirect } from './directCall.js';
import { FlowDefinitionError } from './errors.js';
import { normalizeOptions } from './options.js';

/** A flow's `params`: a zod object schema (its JSON Schema becomes the deployment's parameter schema). */
export type ParamsSchema = z.ZodType<Record<string, unknown>, Record<string, unknown>>;
type EmptyParams = z.ZodObject<{}, z.core.$strip>;

export interface FlowOptions<S extends ParamsSchema = EmptyParams> {
  /** The flow's name, as the server shows it (no `/ % & > <`). */
  name: string;
  /** The parameters, parsed with zod before the handler runs; omitted means none. */
  params?: S;
  /** How many times a failed run is retried (0 by default). */
  retries?: number;
  /** Seconds between a failure and its retry (0 by default). */
  retryDelaySeconds?: number;
  /** Wall-clock limit for one attempt; the worker kills the run past it. */
  timeoutSeconds?: number;
  description?: string;
  version?: string;
}

export type FlowHandler<S extends ParamsSchema, R> = (params: z.output<S>, context: FlowContext) => R;

/** Parameters can be left out of a direct call when every one of them is optional. */
type CallArgs<S extends ParamsSchema> = {} extends z.input<S> ? [params?: z.input<S>] : [params: z.input<S>];

/** What `flow()` returns: call it to run the flow in-process; the worker runs it through a deployment. */
export interface Flow<S extends ParamsSchema = ParamsSchema, R = unknown> {
  (...args: CallArgs<S>): Promise<Awaited<R>>;
  readonly name: string;
  readonly params: S;
  readonly retries: number;
  readonly retryDelaySeconds: number;
  readonly timeoutSeconds: number | null;
  readonly description: string | null;
  readonly version: string | null;
  readonly [FLOW_BRAND]: FlowDefinition;
}

export function flow<R, S extends ParamsSchema = EmptyParams>(options: FlowOptions<S>, handler: FlowHandler<S, R>): Flow<S, R> {
  const normalized = normalizeOptions(options);
  if (typeof handler !== 'function') {
    throw new FlowDefinitionError(`flow '${normalized.name}' needs a handler function as its second argument`);
  }
  const params = (options.params ?? EMPTY_PARAMS) as unknown as S;
  const definition: FlowDefinition = Object.freeze({ apiVersion: 1, ...normalized, params, handler: handler as FlowDefinition['handler'] });
  const run = (input?: unknown) => callDirect(definition, input);
  const props: PropertyDescriptorMap = {
    name: { value: normalized.name },
    params: { value: params, enumerable: true },
    retries: { value: normalized.retries, enumerable: true },
    retryDelaySeconds: { value: normalized.retryDelaySeconds, enumerable: true },
    timeoutSeconds: { value: normalized.timeoutSeconds, enumerable: true },
    description: { value: normalized.description, enumerable: true },
    version: { value: normalized.version, enumerable: true },
    [FLOW_BRAND]: { value: definition },
  };
  return Object.defineProperties(run, props) as unknown as Flow<S, R>;
}
