import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { detectGitOrigin, type GitOrigin } from './gitOrigin.js';

/** What the wizard needs to offer pulling the code from git, and to warn before it does. */
export interface GitState {
  origin: GitOrigin;
  /** The project root relative to the repository's top (`''` at the top), POSIX separators. */
  subdir: string;
  /**
   * Commits on this branch that the remote does not have; null when the branch has no upstream
   * (workers would clone what the remote has, which may be nothing of this branch).
   */
  unpushed: number | null;
  /** Uncommitted changes, which workers would not see either. */
  dirty: boolean;
}

/** The git state of `dir`, or null when it is not in a repository with an `origin` remote. */
export async function gitState(dir: string): Promise<GitState | null> {
  const origin = await detectGitOrigin(dir);
  if (!origin) return null;
  const [top, unpushed, status] = await Promise.all([
    git(dir, ['rev-parse', '--show-toplevel']),
    git(dir, ['rev-list', '--count', '@{u}..HEAD']),
    git(dir, ['status', '--porcelain']),
  ]);
  const subdir = top === null ? '' : relative(realpathSync(top), realpathSync(dir)).replace(/\\/g, '/');
  return { origin, subdir, unpushed: unpushed === null ? null : Number(unpushed), dirty: status !== null && status !== '' };
}

/** The warnings to show before offering `git_clone`, one line each. */
export function gitWarnings(state: GitState): string[] {
  const branch = state.origin.branch ?? 'HEAD';
  const warnings: string[] = [];
  if (state.unpushed === null) {
    warnings.push(`Branch '${branch}' has no upstream: workers clone what origin has. Push it first: git push -u origin ${branch}`);
  } else if (state.unpushed > 0) {
    warnings.push(`${state.unpushed} ${state.unpushed === 1 ? 'commit is' : 'commits are'} not pushed to origin: workers would run the older code there. Push first: git push`);
  }
  if (state.dirty) warnings.push('There are uncommitted changes: workers only see what is committed and pushed.');
  return warnings;
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000, windowsHide: true }, (err, stdout) => {
      resolve(err ? null : stdout.trim());
    });
  });
}
