export { BATON_YAML, loadBatonYaml, loadBatonYamlOrThrow, parseBatonYaml, type BatonYamlResult, type Env } from './load.js';
export { BatonYamlError, formatPath, formatProblem, type ConfigProblem } from './problems.js';
export type { BatonConfig, DeploymentConfig } from './schema.js';
export type { ScheduleConfig } from './scheduleSchema.js';
export { flowNameOf, selectDeployments, type DeploymentSelection, type FlowNameResolver } from './select.js';
export { normalizeStepName, SUPPORTED_PULL_STEPS, type GitCloneArgs, type PullStep, type PullStepName, type SetWorkingDirectoryArgs } from './stepsSchema.js';
export { parseIntervalSeconds } from './duration.js';
