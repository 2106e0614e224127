import { execFile } from 'node:child_process';

export interface GitOrigin {
  /** The `origin` remote's URL, without any user name or token that was embedded in it. */
  url: string;
  /** The checked-out branch; null on a detached HEAD. */
  branch: string | null;
  /** True when the URL had credentials in it (they were left out of `url`). */
  hadCredentials: boolean;
}

/**
 * The `origin` remote and current branch of the git repository `dir` is in, or null when it is
 * not in one, has no `origin`, or git is not installed. Only reads; never changes the repository.
 */
export async function detectGitOrigin(dir: string): Promise<GitOrigin | null> {
  const remote = await git(dir, ['remote', 'get-url', 'origin']);
  if (!remote) return null;
  // symbolic-ref works in a repository without commits too, unlike rev-parse --abbrev-ref HEAD.
  const branch = await git(dir, ['symbolic-ref', '--short', '-q', 'HEAD']);
  const { url, hadCredentials } = stripCredentials(remote);
  return { url, branch: branch || null, hadCredentials };
}

/** `https://user:token@host/repo.git` → `https://host/repo.git`; other URLs are returned as they are. */
export function stripCredentials(remote: string): { url: string; hadCredentials: boolean } {
  if (!/^https?:\/\//i.test(remote)) return { url: remote, hadCredentials: false };
  try {
    const parsed = new URL(remote);
    if (parsed.username === '' && parsed.password === '') return { url: remote, hadCredentials: false };
    parsed.username = '';
    parsed.password = '';
    return { url: parsed.toString(), hadCredentials: true };
  } catch {
    return { url: remote, hadCredentials: false };
  }
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000, windowsHide: true }, (err, stdout) => {
      resolve(err ? null : stdout.trim());
    });
  });
}
