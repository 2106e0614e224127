import type { PullStep } from '../../../deploy/config/stepsSchema.js';
import { gitState, gitWarnings } from '../../../deploy/gitState.js';
import { color, println } from '../../output.js';
import type { Prompts } from './wizardPrompts.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * In a git repository with an `origin`, offers a `git_clone` pull step so workers run what is on
 * the remote rather than files on this machine, after warning about commits or changes the remote
 * does not have. Undefined when not offered or declined.
 */
export async function askGitPull(p: Prompts, root: string): Promise<PullStep[] | undefined> {
  const state = await gitState(root);
  if (!state) return undefined;
  const { url, branch, hadCredentials } = state.origin;
  for (const warning of gitWarnings(state)) println(color.yellow(`Warning: ${warning}`));
  const pull = await p.confirm({
    message: `Pull the code from the remote (${url}${branch ? `, branch ${branch}` : ''}) before each run?`,
    default: true,
  });
  if (!pull) return undefined;
  const args: { repository: string; branch?: string; access_token?: string } = { repository: url, ...(branch ? { branch } : {}) };
  if (hadCredentials || /^https?:\/\//i.test(url)) {
    const variable = (
      await p.input({
        message: 'Environment variable with an access token on the workers (empty for a public repository):',
        default: hadCredentials ? 'GIT_TOKEN' : '',
        validate: (v) => (v.trim() === '' || ENV_NAME.test(v.trim()) ? true : 'Use a variable name such as GIT_TOKEN.'),
      })
    ).trim();
    if (variable !== '') args.access_token = `{{ $${variable} }}`;
  }
  const steps: PullStep[] = [{ step: 'git_clone', args }];
  // Entrypoints are relative to this directory; in the checkout it is this far below the top.
  if (state.subdir !== '') steps.push({ step: 'set_working_directory', args: { directory: state.subdir } });
  return steps;
}
