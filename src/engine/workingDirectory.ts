import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunAssignment } from './protocol.js';
import { RunSetupError } from './setupError.js';

/**
 * Where the flow runs: the run's `working_dir` job variable, else where the pull steps ended,
 * else the deployment's path, else the directory the worker started the engine in. Relative
 * paths are relative to that directory; `~/` is the user's home.
 */
export function resolveWorkingDirectory(candidates: RunAssignment['workingDir'], base: string = process.cwd()): string {
  const chosen = [candidates.jobVariable, candidates.pullSteps, candidates.deploymentPath].find((d) => d !== null && d !== '');
  if (chosen === undefined || chosen === null) return base;
  const expanded = chosen === '~' || chosen.startsWith('~/') ? join(homedir(), chosen.slice(1)) : chosen;
  const dir = resolve(base, expanded);
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new RunSetupError(`Working directory '${chosen}' does not exist${dir !== chosen ? ` (${dir})` : ''}`);
  if (!stat.isDirectory()) throw new RunSetupError(`Working directory '${chosen}' is not a directory`);
  return dir;
}
