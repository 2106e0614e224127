/**
 * What flow authors import: `import { flow } from 'baton'`. Loaded in every flow-run process, so
 * it loads nothing heavy: not even zod, which only the flow's own `params` (or deploying) needs.
 */
export { flow, type Flow, type FlowHandler, type FlowOptions, type ParamsSchema } from './flow.js';
export type { FlowContext } from './context.js';
export type { RunLogger } from './logger.js';
export { isFlow } from './definition.js';
export { parameterSchema, type ParameterSchema } from './schema.js';
export { FlowDefinitionError, FlowTimeoutError, InvalidParametersError, type ParameterIssue } from './errors.js';
