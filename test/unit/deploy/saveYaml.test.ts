import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { equivalentCommand, shellWord } from '../../../src/deploy/commandLine.js';
import { selectDeployments } from '../../../src/deploy/config/index.js';
import { specFromYaml } from '../../../src/deploy/merge.js';
import { loadProject } from '../../../src/deploy/project.js';
import { saveDeployment, yamlEntry } from '../../../src/deploy/saveYaml.js';
import { emptySpec, type CompleteSpec } from '../../../src/deploy/spec.js';
import { tempDir } from '../../helpers/tempDir.js';

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});
function dir(): string {
  const d = tempDir('baton-deploy-yaml-');
  dirs.push(d);
  return d.path;
}

const SPEC: CompleteSpec = {
  ...emptySpec(null),
  name: 'wizard-made',
  entrypoint: 'flows/greet.ts:greet',
  pool: 'beta-pool',
  parameters: { name: 'tmux', times: 2 },
  schedules: [{ config: { cron: '0 6 * * *', timezone: 'Europe/Berlin', active: false }, origin: { kind: 'wizard' } }],
  pullSteps: [{ step: 'git_clone', args: { repository: 'file:///srv/repo.git', branch: 'main', access_token: '{{ $GIT_TOKEN }}' } }],
};

describe('saveDeployment', () => {
  test('creates baton.yaml with the entry, which reads back as the same deployment', () => {
    const path = join(dir(), 'baton.yaml');
    expect(saveDeployment(path, yamlEntry(SPEC))).toEqual({ replaced: false });
    const project = loadProject(path, 'baton.yaml', true, {});
    const config = project.config!;
    const picked = selectDeployments(config, ['greet/wizard-made'], false, () => 'greet');
    expect(picked.problems).toEqual([]);
    const spec = specFromYaml(picked.deployments[0]!, 0, project.pullStepsOf(0));
    expect(spec).toMatchObject({ name: 'wizard-made', entrypoint: 'flows/greet.ts:greet', pool: 'beta-pool', parameters: { name: 'tmux', times: 2 } });
    expect(spec.schedules.map((s) => s.config)).toEqual([{ cron: '0 6 * * *', timezone: 'Europe/Berlin', active: false }]);
    // The token placeholder is still there for the worker.
    expect(spec.pullSteps).toEqual(SPEC.pullSteps);
  });

  test('keeps comments and other entries; the same name and entrypoint replaces its entry', () => {
    const path = join(dir(), 'baton.yaml');
    writeFileSync(
      path,
      ['# my project', 'definitions:', '  pool: &pool {name: alpha}', 'deployments:', '  - name: other  # keep me', '    entrypoint: flows/other.ts:other', '    work_pool: *pool', ''].join('\n'),
    );
    saveDeployment(path, yamlEntry(SPEC));
    expect(saveDeployment(path, yamlEntry({ ...SPEC, parameters: {} }))).toEqual({ replaced: true });
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('# my project');
    expect(text).toContain('# keep me');
    expect(text).toContain('*pool');
    const config = loadProject(path, 'baton.yaml', true, {}).config;
    expect(config?.deployments.map((d) => [d.name, d.parameters ?? null])).toEqual([
      ['other', null],
      ['wizard-made', null],
    ]);
  });
});

describe('loadProject', () => {
  test('placeholders in pull steps are kept for the worker, set or not; elsewhere an unset one is a problem', () => {
    const path = join(dir(), 'baton.yaml');
    writeFileSync(
      path,
      [
        'pull:',
        '  - git_clone:',
        '      repository: "{{ $REPO }}"',
        '      access_token: "{{ $TOKEN }}"',
        'deployments:',
        '  - name: a',
        '    entrypoint: flows/a.ts:a',
        '    description: "{{ $DESCRIPTION }}"',
        '',
      ].join('\n'),
    );
    const project = loadProject(path, 'baton.yaml', false, { REPO: 'https://example.com/r.git', DESCRIPTION: 'from env' });
    expect(project.config?.deployments[0]?.description).toBe('from env');
    expect(project.pullStepsOf(0)).toEqual([{ step: 'git_clone', args: { repository: '{{ $REPO }}', access_token: '{{ $TOKEN }}' } }]);
    expect(project.locate(['deployments', 0, 'description'])).toBe(8);
    expect(() => loadProject(path, 'baton.yaml', false, {})).toThrow(/baton\.yaml:8 deployments\[0\]\.description: environment variable DESCRIPTION is not set/);
  });

  test('no file is fine unless it was named', () => {
    const path = join(dir(), 'baton.yaml');
    expect(loadProject(path, 'baton.yaml', false, {}).config).toBeNull();
    expect(() => loadProject(path, 'baton.yaml', true, {})).toThrow(/file not found/);
  });
});

describe('equivalentCommand', () => {
  test('the options that make the same deployment, quoted for a shell; what flags cannot say is named', () => {
    const { command, needsYaml } = equivalentCommand({ ...SPEC, schedules: [{ config: { cron: '0 6 * * *', timezone: 'Europe/Berlin' }, origin: { kind: 'wizard' } }], pullSteps: undefined as never, parameters: { name: "it's", times: 2, code: '500', zip: '007' } });
    expect(command).toBe(
      "baton deploy flows/greet.ts:greet -n wizard-made -p beta-pool --cron '0 6 * * *' --timezone Europe/Berlin --param 'name=it'\\''s' --param times=2 --param 'code=\"500\"' --param zip=007 --yes",
    );
    expect(needsYaml).toEqual([]);
    expect(equivalentCommand(SPEC).needsYaml).toEqual(['an inactive schedule', 'pull steps (git_clone)']);
  });

  test('shellWord', () => {
    expect(shellWord('flows/a.ts:a')).toBe('flows/a.ts:a');
    expect(shellWord('a b')).toBe("'a b'");
  });
});
