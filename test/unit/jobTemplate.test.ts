import { expect, test } from 'vitest';
import {
  DEFAULT_PROCESS_TEMPLATE,
  expandDotKeys,
  renderJobConfiguration,
  validateBaseJobTemplate,
  validateJobVariables,
} from '../../src/domain/jobTemplate.js';

const template = DEFAULT_PROCESS_TEMPLATE as unknown as Record<string, unknown>;

test('the default process template is valid', () => {
  expect(validateBaseJobTemplate(template)).toEqual([]);
  expect(validateBaseJobTemplate({})).toEqual([]);
});

test('a template needs both parts and declared placeholders', () => {
  expect(validateBaseJobTemplate({ job_configuration: {} }).map((p) => p.loc.at(-1))).toEqual(['variables']);
  const problems = validateBaseJobTemplate({ job_configuration: { a: 'x {{ missing }} y', b: '{{ ctx.flow_run.id }}' }, variables: { properties: {} } });
  expect(problems).toHaveLength(1);
  expect(problems[0]?.msg).toMatch(/missing/);
});

test('dot keys expand and merge', () => {
  expect(expandDotKeys({ 'env.A': '1', env: { B: '2' }, 'env.C': '3' })).toEqual({ env: { A: '1', B: '2', C: '3' } });
});

test('job variables: types checked, unknown keys refused naming the valid ones, nulls allowed', () => {
  expect(validateJobVariables(template, { env: { A: '1' }, working_dir: '/tmp', command: null })).toEqual([]);
  const wrongType = validateJobVariables(template, { stream_output: 'yes' });
  expect(wrongType[0]?.loc).toEqual(['body', 'job_variables', 'stream_output']);
  const unknown = validateJobVariables(template, { working_directory: '/x' });
  expect(unknown[0]?.msg).toMatch(/valid ones are: name, env, labels, command, stream_output, working_dir/);
  expect(validateJobVariables(template, { 'env.FOO': 3 })[0]?.loc).toEqual(['body', 'job_variables', 'env', 'FOO']);
});

test('rendering keeps whole-placeholder types, merges env across overlays, and fills defaults', () => {
  const config = renderJobConfiguration(template, { env: { A: '1' }, working_dir: '/a' }, { 'env.B': '2' });
  expect(config).toEqual({
    command: null,
    env: { A: '1', B: '2' },
    labels: null,
    name: null,
    stream_output: true,
    working_dir: '/a',
  });
  const text = renderJobConfiguration({ job_configuration: { cmd: 'run {{ x }} now' }, variables: { properties: { x: { default: 5 } } } });
  expect(text).toEqual({ cmd: 'run 5 now' });
});
