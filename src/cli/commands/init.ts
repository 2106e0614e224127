import type { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConflictError } from '../../domain/errors.js';
import { color, println, printTable } from '../output.js';
import { BATON_VERSION } from '../version.js';

const CONFIG_FILE = 'baton.yaml';
const IGNORE_FILE = '.batonignore';
const IGNORE_TEXT = [
  '# Files and folders `baton deploy` does not search for flows (gitignore syntax).',
  'node_modules/',
  'dist/',
  '',
].join('\n');

/** The pool named in the starter when no default pool is configured. */
const FALLBACK_POOL = 'my-pool';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Create a starter baton.yaml (and a .batonignore) in the current directory')
    .option('--name <name>', 'the project name (default: the directory name)')
    .option('--force', 'overwrite an existing baton.yaml')
    .action(async (opts: { name?: string; force?: boolean }) => {
      const dir = process.cwd();
      const target = join(dir, CONFIG_FILE);
      if (existsSync(target) && !opts.force) {
        throw new ConflictError(`${CONFIG_FILE} already exists in ${dir}. Use --force to overwrite it.`);
      }
      // Loaded here, not at the top, so that other commands do not pay for them at start-up.
      const [{ discoverFlows }, { detectGitOrigin }, { renderStarterYaml }] = await Promise.all([
        import('../../deploy/discovery.js'),
        import('../../deploy/gitOrigin.js'),
        import('../../deploy/starter.js'),
      ]);
      const [flows, origin] = await Promise.all([discoverFlows(dir), detectGitOrigin(dir)]);
      const source = origin
        ? ({ kind: 'git', repository: origin.url, branch: origin.branch } as const)
        : ({ kind: 'directory', directory: dir } as const);
      const text = renderStarterYaml({
        projectName: opts.name ?? basename(dir),
        batonVersion: BATON_VERSION,
        source,
        workPool: await defaultPoolName(),
        flows,
      });
      writeFileSync(target, text);
      const wroteIgnore = !existsSync(join(dir, IGNORE_FILE));
      if (wroteIgnore) writeFileSync(join(dir, IGNORE_FILE), IGNORE_TEXT);

      println(`Created ${CONFIG_FILE}${wroteIgnore ? ` and ${IGNORE_FILE}` : ''} in ${dir}.`);
      if (origin) {
        println(`Workers will clone ${origin.url}${origin.branch ? ` (branch ${origin.branch})` : ''} before each run.`);
        if (origin.hadCredentials) {
          println(color.yellow('The origin URL contains credentials; they were left out. Use access_token: "{{ $GIT_TOKEN }}" instead.'));
        }
      } else {
        println(`Workers will run the flows in ${dir} (this directory must exist on the worker's machine).`);
      }
      println();
      if (flows.length === 0) {
        println("No flows found yet. Export one made with flow() from 'baton', then add it under deployments: in baton.yaml.");
        return;
      }
      printTable(
        ['Flow Name', 'Location'],
        flows.map((f) => [f.name, f.entrypoint]),
        { title: 'Discovered flows' },
      );
      println();
      println(`Uncomment a deployment in ${CONFIG_FILE}, then run: ${color.cyan(`baton deploy -n ${flows[0]?.name}/default`)}`);
    });
}

/** The configured default work pool, if any, so the starter points at a pool that exists. */
async function defaultPoolName(): Promise<string> {
  try {
    const { loadSettings } = await import('../../config.js');
    return loadSettings(process.env).settings.BATON_DEFAULT_WORK_POOL_NAME ?? FALLBACK_POOL;
  } catch {
    // A broken config file is reported by the commands that need it; init does not.
    return FALLBACK_POOL;
  }
}
