import { describe, expect, test } from 'vitest';
import { normalizeStateName, normalizeStateType } from '../../src/cli/commands/flowRun/ls.js';
import { parseDeploymentName } from '../../src/cli/commands/deployment/resolve.js';
import {
  checkParameterNames,
  declaredParameters,
  describeProblems,
  formatRunName,
  parseParamsJson,
  parsePairs,
  parseValue,
  schemaDefaults,
} from '../../src/cli/runParams.js';
import { formatLogLine, levelName } from '../../src/cli/runDisplay.js';
import { formatLocalTime, humanizeDelta, parseDuration, parseStartAt } from '../../src/cli/timeParse.js';
import { BadRequestError } from '../../src/domain/errors.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('parseDuration (--start-in)', () => {
  test.each([
    ['5 minutes', 5 * M],
    ['in 2 hours', 2 * H],
    ['30s', 30 * S],
    ['1h30m', H + 30 * M],
    ['10 seconds', 10 * S],
    ['In 1 Minute', M],
    ['an hour', H],
    ['a minute', M],
    ['1 day, 2 hours and 3 minutes', 24 * H + 2 * H + 3 * M],
    ['2 weeks', 14 * 24 * H],
    ['1.5 hours', 90 * M],
    ['  45 sec  ', 45 * S],
    ['now', 0],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each([
    ['', 'it is empty'],
    ['5', 'a number needs a unit'],
    ['5 parsecs', "unknown unit 'parsecs'"],
    ['soon', "cannot read 'soon'"],
    ['5 minutes ago', 'a start time is in the future'],
    ['ages', "cannot read 'ages'"],
    ['-5 minutes', "cannot read '-5 minutes'"],
  ])('refuses %j: %s', (text, why) => {
    expect(() => parseDuration(text)).toThrow(BadRequestError);
    expect(() => parseDuration(text)).toThrow(why);
  });
});

describe('parseStartAt (--start-at)', () => {
  const now = new Date(2026, 6, 15, 12, 0, 0).getTime();

  test('a date and time without an offset is local time', () => {
    expect(parseStartAt('2026-08-01 17:30', now)).toBe(new Date(2026, 7, 1, 17, 30).getTime());
    expect(parseStartAt('2026-08-01T17:30:15', now)).toBe(new Date(2026, 7, 1, 17, 30, 15).getTime());
    expect(parseStartAt('2026-08-01', now)).toBe(new Date(2026, 7, 1).getTime());
  });

  test('ISO-8601 with Z or an offset is that instant', () => {
    expect(parseStartAt('2026-08-01T17:30:00Z', now)).toBe(Date.UTC(2026, 7, 1, 17, 30));
    expect(parseStartAt('2026-08-01T17:30:00.250Z', now)).toBe(Date.UTC(2026, 7, 1, 17, 30, 0, 250));
    expect(parseStartAt('2026-08-01T17:30+02:00', now)).toBe(Date.UTC(2026, 7, 1, 15, 30));
    expect(parseStartAt('2026-08-01 17:30 -0530', now)).toBe(Date.UTC(2026, 7, 1, 23, 0));
    expect(parseStartAt('2026-08-01T17:30:00.123456789+00', now)).toBe(Date.UTC(2026, 7, 1, 17, 30, 0, 123));
  });

  test('a bare time of day is its next occurrence', () => {
    expect(parseStartAt('17:30', now)).toBe(new Date(2026, 6, 15, 17, 30).getTime());
    expect(parseStartAt('09:00', now)).toBe(new Date(2026, 6, 16, 9, 0).getTime());
  });

  test.each(['2026-02-30 10:00', '2026-13-01', '2026-08-01 24:00', '2026-08-01 10:60', 'tomorrow', '1/8/2026', '2026-08-01T10:00+25:00'])(
    'refuses %j',
    (text) => {
      expect(() => parseStartAt(text, now)).toThrow(BadRequestError);
    },
  );
});

describe('humanizeDelta', () => {
  const now = Date.UTC(2026, 0, 1);
  test.each([
    [0, 'now'],
    [400, 'now'],
    [3 * S, 'in 3 seconds'],
    [-3 * S, '3 seconds ago'],
    [-1 * S, '1 second ago'],
    [5 * M - 20, 'in 5 minutes'],
    [4 * M + 50 * S, 'in 5 minutes'],
    [59 * M + 40 * S, 'in 1 hour'],
    [-2 * H, '2 hours ago'],
    [3 * 24 * H, 'in 3 days'],
    [14 * 24 * H, 'in 2 weeks'],
    [-90 * 24 * H, '3 months ago'],
    [800 * 24 * H, 'in 2 years'],
  ])('%d ms → %s', (delta, text) => {
    expect(humanizeDelta(now + delta, now)).toBe(text);
  });
});

test('formatLocalTime and log lines use local time with milliseconds', () => {
  const at = new Date(2026, 7, 1, 7, 5, 9, 42).getTime();
  expect(formatLocalTime(at)).toBe('2026-08-01 07:05:09');
  expect(formatLocalTime(at, true)).toBe('2026-08-01 07:05:09.042');
  expect(formatLogLine({ timestamp: new Date(at).toISOString(), level: 30, message: 'careful' })).toBe('2026-08-01 07:05:09.042 | WARNING | careful');
  expect([10, 20, 30, 40, 50, 25].map(levelName)).toEqual(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'Level 25']);
});

describe('--param, --params, --job-variable', () => {
  test('values are JSON when they parse, else text', () => {
    expect(parseValue('5')).toBe(5);
    expect(parseValue('true')).toBe(true);
    expect(parseValue('null')).toBeNull();
    expect(parseValue('[1, 2]')).toEqual([1, 2]);
    expect(parseValue('{"a": 1}')).toEqual({ a: 1 });
    expect(parseValue('"5"')).toBe('5');
    expect(parseValue('world')).toBe('world');
    expect(parseValue('007')).toBe('007');
    expect(parseValue('')).toBe('');
  });

  test('pairs split at the first =; the last pair for a key wins', () => {
    expect(parsePairs(['name=a=b', 'count=3', 'count=4', 'empty='], '--param')).toEqual({ name: 'a=b', count: 4, empty: '' });
    expect(() => parsePairs(['name'], '--param')).toThrow("--param 'name' is not key=value");
    expect(() => parsePairs(['=5'], '--job-variable')).toThrow("--job-variable '=5' is not key=value");
  });

  test('--params must be a JSON object', () => {
    expect(parseParamsJson('{"name": "x", "count": 2}', '--params')).toEqual({ name: 'x', count: 2 });
    expect(() => parseParamsJson('[1]', '--params')).toThrow('--params must be a JSON object');
    expect(() => parseParamsJson('{name: 1}', 'The JSON on stdin')).toThrow('The JSON on stdin is not valid JSON');
  });

  const schema = { type: 'object', properties: { name: { type: 'string' }, count: { type: 'integer' }, day: { type: 'string', default: 'today' } } };

  test('unknown parameter names are refused, listing the valid ones', () => {
    expect(() => checkParameterNames({ name: 'x', count: 1 }, schema, 'etl/nightly')).not.toThrow();
    expect(() => checkParameterNames({ nmae: 'x' }, schema, 'etl/nightly')).toThrow(
      "Unknown parameter 'nmae' for deployment 'etl/nightly'; valid parameters: count, day, name.",
    );
    expect(() => checkParameterNames({ a: 1, b: 2 }, { type: 'object', properties: {} }, 'f/d')).toThrow(
      "Unknown parameters 'a', 'b' for deployment 'f/d'; it takes no parameters.",
    );
    // Without declared properties only the server can judge.
    expect(() => checkParameterNames({ anything: 1 }, null, 'f/d')).not.toThrow();
    expect(declaredParameters({ type: 'object' })).toBeNull();
    expect(schemaDefaults(schema)).toEqual({ day: 'today' });
  });

  test('--flow-run-name formats {param}', () => {
    expect(formatRunName('etl-{day}-{count}', { day: 'mon', count: 3 })).toBe('etl-mon-3');
    expect(formatRunName('{{literal}} {obj}', { obj: { a: 1 } })).toBe('{literal} {"a":1}');
    expect(() => formatRunName('etl-{dya}', { day: 'mon' })).toThrow("--flow-run-name refers to {dya}, which is not among the run's parameters (day).");
  });

  test("the server's 422 reads as one line naming each parameter", () => {
    expect(
      describeProblems([
        { loc: ['body', 'parameters', 'count'], msg: '/count: must be >= 0', type: 'minimum' },
        { loc: ['body', 'parameters', 'name'], msg: '/name: is required', type: 'required' },
        { loc: ['body', 'job_variables', 'env'], msg: 'must be object', type: 'type' },
        { loc: ['body', 'tags'], msg: 'too many', type: 'x' },
      ]),
    ).toBe("parameter 'count' must be >= 0; parameter 'name' is required; job variable 'env' must be object; tags: too many");
  });
});

test('deployment names are flow/deployment', () => {
  expect(parseDeploymentName('etl/nightly')).toEqual({ flow: 'etl', deployment: 'nightly' });
  for (const bad of ['etl', 'etl/', '/nightly', 'a/b/c']) {
    expect(() => parseDeploymentName(bad)).toThrow("Invalid deployment name. Expected '<flow-name>/<deployment-name>'");
  }
});

test('state filters are case-normalised', () => {
  expect(['late', 'RUNNING', 'awaitingretry', 'weird'].map(normalizeStateName)).toEqual(['Late', 'Running', 'AwaitingRetry', 'Weird']);
  expect(normalizeStateType('completed')).toBe('COMPLETED');
  expect(() => normalizeStateType('done')).toThrow("Unknown state type 'done'");
});
