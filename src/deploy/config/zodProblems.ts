import { z } from 'zod';
import type { PathSegment } from './problems.js';

/**
 * zod glue for baton.yaml: objects that refuse unknown keys (so typos are reported, with a
 * suggestion), and issue messages written for people editing a YAML file rather than zod's
 * defaults ("expected a list, got 5" instead of "Invalid input: expected array, received number").
 */

const UNKNOWN_KEYS_MARK = '\u0000allowed:';

/** `z.strictObject` whose unknown-key issues carry the allowed keys, for the suggestion. */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join('\n');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `${UNKNOWN_KEYS_MARK}${allowed}` : undefined),
  });
}

export interface RawProblem {
  path: PathSegment[];
  message: string;
}

export function issuesToProblems(issues: readonly z.core.$ZodIssue[]): RawProblem[] {
  const problems: RawProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      const allowed = issue.message.startsWith(UNKNOWN_KEYS_MARK) ? issue.message.slice(UNKNOWN_KEYS_MARK.length).split('\n') : [];
      for (const key of issue.keys) problems.push({ path: [...path, key], message: unknownKeyMessage(key, allowed) });
      continue;
    }
    problems.push({ path, message: issueMessage(issue) });
  }
  return problems;
}

export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const suggestion = closest(key, allowed);
  if (suggestion) return `unknown key; did you mean '${suggestion}'?`;
  return allowed.length > 0 ? `unknown key; expected one of: ${allowed.join(', ')}` : 'unknown key';
}

/** zod's own messages start like this; ours never do. */
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;

function issueMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  const custom = issue.message !== '' && !DEFAULT_MESSAGE.test(issue.message) ? issue.message : undefined;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return 'required';
      const expected = describeExpected(issue.expected);
      const hint = issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean') ? ' (put it in quotes to keep it as text)' : '';
      return `expected ${expected}, got ${describeValue(input)}${hint}`;
    }
    case 'too_small': {
      if (custom) return custom;
      const min = Number(issue.minimum);
      if (issue.origin === 'string' && min === 1) return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${min} ${min === 1 ? 'item' : 'items'}`;
      if (issue.origin === 'string') return `must be at least ${min} characters long`;
      return `must be ${issue.inclusive ? '≥' : '>'} ${min}, got ${describeValue(input)}`;
    }
    case 'too_big': {
      if (custom) return custom;
      const max = Number(issue.maximum);
      if (issue.origin === 'array') return `must have at most ${max} items`;
      if (issue.origin === 'string') return `must be at most ${max} characters long`;
      return `must be ${issue.inclusive ? '≤' : '<'} ${max}, got ${describeValue(input)}`;
    }
    case 'invalid_value':
      return custom ?? `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(input)}`;
    default:
      return custom ?? `is not valid (${issue.message})`;
  }
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
    case 'map':
      return 'a mapping';
    default:
      return expected;
  }
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': {
      const text = value.length > 40 ? `${value.slice(0, 37)}...` : value;
      return JSON.stringify(text);
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return value instanceof Date ? value.toISOString() : 'a mapping';
    default:
      return typeof value;
  }
}

/** The allowed key a typo most likely meant: at most two edits away (`-` and `_` count as equal). */
export function closest(key: string, allowed: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '_');
  const k = norm(key);
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(k.length / 3) + 1) + 1;
  for (const candidate of allowed) {
    const d = editDistance(k, norm(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
