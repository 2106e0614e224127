import { describe, expect, test } from 'vitest';
import { parseBatonYaml, selectDeployments, type BatonConfig } from '../../../src/deploy/config/index.js';
import { flowNameResolver } from '../../../src/deploy/discovery.js';

function config(text: string): BatonConfig {
  const result = parseBatonYaml(text, {});
  if (result.config === null) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

const CONFIG = config(`deployments:
  - {name: nightly, entrypoint: flows/etl.ts:etl}
  - {name: hourly, entrypoint: flows/etl.ts:etl}
  - {name: nightly, entrypoint: flows/report.ts:report_flow}
  - {name: adhoc, entrypoint: flows/misc.ts:misc, flow_name: cleanup}
  - {name: orphan}
`);

/** What discovery would say: `flows/etl.ts:etl` is the flow named `etl-daily`. */
const resolve = flowNameResolver([
  { name: 'etl-daily', exportName: 'etl', file: 'flows/etl.ts', entrypoint: 'flows/etl.ts:etl' },
  { name: 'report-flow', exportName: 'report_flow', file: 'flows/report.ts', entrypoint: 'flows/report.ts:report_flow' },
]);

function picked(names: string[], all = false): string[] {
  const selection = selectDeployments(CONFIG, names, all, resolve);
  expect(selection.problems).toEqual([]);
  return selection.deployments.map((d) => `${d.name}@${d.entrypoint ?? '-'}`);
}

describe('selectDeployments', () => {
  test('by deployment name: every entry with that name, in file order', () => {
    expect(picked(['nightly'])).toEqual(['nightly@flows/etl.ts:etl', 'nightly@flows/report.ts:report_flow']);
    expect(picked(['orphan'])).toEqual(['orphan@-']);
  });

  test('by flow/name, using the resolved flow name, flow_name, or the export name', () => {
    expect(picked(['etl-daily/nightly'])).toEqual(['nightly@flows/etl.ts:etl']);
    expect(picked(['cleanup/adhoc'])).toEqual(['adhoc@flows/misc.ts:misc']);
    // `-` and `_` are the same in the flow part, as in Prefect.
    expect(picked(['report_flow/nightly'])).toEqual(['nightly@flows/report.ts:report_flow']);
    const unresolved = selectDeployments(CONFIG, ['etl/hourly'], false);
    expect(unresolved.deployments.map((d) => d.name)).toEqual(['hourly']);
  });

  test('* globs in either part; several names are combined without duplicates', () => {
    expect(picked(['etl-daily/*'])).toEqual(['nightly@flows/etl.ts:etl', 'hourly@flows/etl.ts:etl']);
    expect(picked(['*/nightly'])).toEqual(['nightly@flows/etl.ts:etl', 'nightly@flows/report.ts:report_flow']);
    expect(picked(['*ly'])).toEqual(['nightly@flows/etl.ts:etl', 'hourly@flows/etl.ts:etl', 'nightly@flows/report.ts:report_flow']);
    expect(picked(['*report*/*', 'nightly'])).toEqual(['nightly@flows/etl.ts:etl', 'nightly@flows/report.ts:report_flow']);
    // Only * is special: a dot is a dot.
    expect(selectDeployments(CONFIG, ['n.ghtly*'], false, resolve).deployments).toEqual([]);
  });

  test('--all selects everything; with names it is a problem', () => {
    expect(picked([], true)).toHaveLength(5);
    expect(selectDeployments(CONFIG, ['nightly'], true, resolve)).toEqual({
      deployments: [],
      problems: ['--all cannot be combined with --name: pass one or the other'],
    });
  });

  test('unknown names are problems that list the available deployments', () => {
    const selection = selectDeployments(CONFIG, ['nighty', 'etl-daily/nightly', 'nope/*'], false, resolve);
    expect(selection.deployments).toEqual([]);
    const available = 'available: etl-daily/nightly, etl-daily/hourly, report-flow/nightly, cleanup/adhoc, orphan';
    expect(selection.problems).toEqual([`no deployment matches 'nighty'; ${available}`, `no deployment matches 'nope/*'; ${available}`]);
  });

  test('without names: the only deployment, nothing, or a problem when there are several', () => {
    expect(selectDeployments(config('deployments:\n  - {name: one}\n'), [], false).deployments.map((d) => d.name)).toEqual(['one']);
    expect(selectDeployments(config('name: empty\n'), [], false)).toEqual({ deployments: [], problems: [] });
    const several = selectDeployments(CONFIG, [], false, resolve);
    expect(several.deployments).toEqual([]);
    expect(several.problems[0]).toMatch(/^baton.yaml has 5 deployments and no name was given: pass --name NAME \(or 'flow\/\*'\) or --all; available: /);
    expect(selectDeployments(config('name: empty\n'), ['x'], false).problems).toEqual(["no deployment matches 'x'; baton.yaml has no deployments"]);
  });
});
