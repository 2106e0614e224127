import { InvalidParametersError, type ParameterIssue } from './errors.js';

/** The part of a zod schema baton relies on. Structural, so a user's own copy of zod works too. */
export interface ParamsParser {
  safeParse(input: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly ZodIssueLike[] } };
}

interface ZodIssueLike {
  code?: string;
  expected?: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
}

/** Parses raw run parameters with the flow's schema; throws InvalidParametersError naming each problem. */
export function parseParameters(flowName: string, schema: ParamsParser, raw: unknown): unknown {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw new InvalidParametersError(flowName, result.error.issues.flatMap(toParameterIssues));
}

function toParameterIssues(issue: ZodIssueLike): ParameterIssue[] {
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return issue.keys.map((key) => ({ pointer: jsonPointer([...issue.path, key]), message: 'unknown parameter' }));
  }
  return [{ pointer: jsonPointer(issue.path), message: plainMessage(issue) }];
}

function plainMessage(issue: ZodIssueLike): string {
  // The server's error map says "Field required" where zod says "…, received undefined".
  if (issue.code === 'invalid_type' && (/received undefined$/.test(issue.message) || issue.message === 'Field required')) {
    return issue.expected ? `required (expected ${issue.expected})` : 'required';
  }
  // zod 4 prefixes many messages with "Invalid input: ", which says nothing once the pointer is shown.
  return issue.message.replace(/^Invalid input: /, '');
}

export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
