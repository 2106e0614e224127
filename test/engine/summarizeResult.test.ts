import { expect, test } from 'vitest';
import { MAX_RESULT_JSON_BYTES, summarizeResult } from '../../src/engine/summarizeResult.js';

test('small JSON values are kept as they are; undefined becomes null', () => {
  expect(summarizeResult({ rows: 3, names: ['a', 'b'], nested: { ok: true, none: null } })).toEqual({
    rows: 3,
    names: ['a', 'b'],
    nested: { ok: true, none: null },
  });
  expect(summarizeResult('done')).toBe('done');
  expect(summarizeResult(0)).toBe(0);
  expect(summarizeResult(undefined)).toBeNull();
});

test('large JSON is summarised with a preview', () => {
  const big = Array.from({ length: 5_000 }, (_, i) => i);
  const summary = summarizeResult(big) as { type: string; preview: string };
  expect(summary.type).toBe('array');
  expect(summary.preview.startsWith('[0,1,2,3')).toBe(true);
  expect(JSON.stringify(summary).length).toBeLessThan(MAX_RESULT_JSON_BYTES);
});

test('values JSON cannot carry are summarised as { type, preview }, never thrown', () => {
  class Report {
    rows = 3;
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const hostile = new Proxy(
    {},
    {
      getPrototypeOf() {
        throw new Error('no');
      },
    },
  );
  expect(summarizeResult(new Report())).toEqual({ type: 'Report', preview: 'Report { rows: 3 }' });
  expect(summarizeResult(() => 1)).toEqual({ type: 'function', preview: '[Function (anonymous)]' });
  expect(summarizeResult(10n)).toEqual({ type: 'bigint', preview: '10n' });
  expect(summarizeResult(cyclic)).toEqual({ type: 'Object', preview: '<ref *1> { a: 1, self: [Circular *1] }' });
  expect(summarizeResult(new Error('boom'))).toMatchObject({ type: 'Error', preview: expect.stringContaining('Error: boom') });
  expect(summarizeResult(new Map([['k', 1]]))).toEqual({ type: 'Map', preview: "Map(1) { 'k' => 1 }" });
  expect(summarizeResult(Number.NaN)).toEqual({ type: 'number', preview: 'NaN' });
  expect(() => summarizeResult(hostile)).not.toThrow();
});
