import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { execa } from 'execa';
import { parsePullSteps } from '../domain/pullSteps.js';

/** A pull step failed; its message (git's, for a clone) goes to the run's logs and the run fails. */
export class PullStepError extends Error {
  override readonly name = 'PullStepError';
}

export interface PullResult {
  /** The directory the steps ended in, or null when no step set one. */
  directory: string | null;
  /** Removes what the steps made for this run (its checkout). */
  cleanup: () => Promise<void>;
}

export interface PullContext {
  /** Where clones are cached (`$BATON_HOME/repos`). */
  cacheDir: string;
  /** A directory for this run's checkout. */
  runDir: string;
  env: NodeJS.ProcessEnv;
  log: (message: string) => void;
}

/** Replaces `{{ $VAR }}` with the environment's value (Prefect's env placeholders). */
function expand(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/\{\{\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, name: string) => {
    const v = env[name];
    if (v === undefined) throw new PullStepError(`Environment variable ${name} (used in a pull step) is not set on this worker.`);
    return v;
  });
}

async function git(args: string[], cwd?: string): Promise<string> {
  const result = await execa('git', args, { ...(cwd ? { cwd } : {}), reject: false, stdin: 'ignore', env: { GIT_TERMINAL_PROMPT: '0' } });
  if (result.exitCode !== 0) {
    const message = (result.stderr || result.stdout || String(result.exitCode)).toString().trim();
    throw new PullStepError(`git ${args[0]} failed: ${message}`);
  }
  return result.stdout.toString().trim();
}

/** `https://host/repo` with a token spliced in for the fetch (never stored in the cache's config). */
function authenticated(repository: string, token: string | null): string {
  if (!token || !/^https?:\/\//.test(repository)) return repository;
  const url = new URL(repository);
  url.username = 'oauth2';
  url.password = token;
  return url.toString();
}

/**
 * `git_clone`: one cached mirror per repository, fetched before each run; each run gets its own
 * clean checkout of the branch's current commit, so runs never see each other's files and the
 * clone directory existing already is never an error (Prefect #10420).
 */
async function gitClone(args: Record<string, unknown>, ctx: PullContext): Promise<{ directory: string; cleanup: () => Promise<void> }> {
  const repository = expand(String(args.repository), ctx.env);
  const branch = typeof args.branch === 'string' && args.branch !== '' ? expand(args.branch, ctx.env) : null;
  const token = typeof args.access_token === 'string' && args.access_token !== '' ? expand(args.access_token, ctx.env) : null;
  const mirror = join(ctx.cacheDir, createHash('sha256').update(repository).digest('hex').slice(0, 16));
  const remote = authenticated(repository, token);
  if (!existsSync(join(mirror, 'HEAD'))) {
    await mkdir(ctx.cacheDir, { recursive: true });
    await rm(mirror, { recursive: true, force: true });
    ctx.log(`Cloning ${repository}${branch ? ` (branch ${branch})` : ''}`);
    await git(['clone', '--mirror', '--quiet', remote, mirror]);
  } else {
    await git(['fetch', '--quiet', '--prune', remote, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'], mirror);
  }
  const ref = branch ?? 'HEAD';
  const commit = await git(['rev-parse', '--verify', `${ref}^{commit}`], mirror).catch(() => {
    throw new PullStepError(`git_clone: branch '${ref}' does not exist in ${repository}.`);
  });
  await git(['worktree', 'prune'], mirror);
  await git(['worktree', 'add', '--detach', '--force', ctx.runDir, commit], mirror);
  if (args.include_submodules === true) await git(['submodule', 'update', '--init', '--recursive'], ctx.runDir);
  ctx.log(`Checked out ${repository} at ${commit.slice(0, 12)}${branch ? ` (${branch})` : ''}`);
  return {
    directory: ctx.runDir,
    cleanup: async () => {
      await git(['worktree', 'remove', '--force', ctx.runDir], mirror).catch(() => rm(ctx.runDir, { recursive: true, force: true }));
    },
  };
}

/** Runs a deployment's pull steps in order; later steps may set the directory relative to earlier ones. */
export async function runPullSteps(steps: readonly Record<string, unknown>[], ctx: PullContext): Promise<PullResult> {
  const { steps: parsed, problems } = parsePullSteps(steps, ['pull_steps']);
  if (problems.length > 0) throw new PullStepError(`Invalid pull steps: ${problems.map((p) => `${p.loc.join('.')}: ${p.msg}`).join('; ')}`);
  let directory: string | null = null;
  const cleanups: (() => Promise<void>)[] = [];
  try {
    for (const step of parsed) {
      if (step.step === 'git_clone') {
        const clone = await gitClone(step.args, ctx);
        directory = clone.directory;
        cleanups.push(clone.cleanup);
      } else {
        const dir = expand(String(step.args.directory), ctx.env);
        directory = isAbsolute(dir) ? dir : resolve(directory ?? process.cwd(), dir);
        if (!existsSync(directory)) throw new PullStepError(`set_working_directory: ${directory} does not exist on this worker.`);
      }
    }
  } catch (err) {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    throw err;
  }
  return { directory, cleanup: async () => { for (const c of cleanups.reverse()) await c().catch(() => {}); } };
}
