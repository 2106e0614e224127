/** One problem with a flow's parameters, located by a JSON pointer (`/day`, `/items/0/id`). */
export interface ParameterIssue {
  pointer: string;
  message: string;
}

/** `/day: expected string, received number; /n: required` — one line, every problem. */
export function describeIssues(issues: readonly ParameterIssue[]): string {
  return issues.map((i) => (i.pointer ? `${i.pointer}: ${i.message}` : i.message)).join('; ');
}

/** The parameters do not match the flow's `params` schema. */
export class InvalidParametersError extends Error {
  override readonly name = 'InvalidParametersError';
  constructor(
    readonly flowName: string,
    readonly issues: readonly ParameterIssue[],
  ) {
    super(`Invalid parameters for flow '${flowName}': ${describeIssues(issues)}`);
  }
}

/** `flow()` was called with options that cannot work (a bad name, negative retries, …). */
export class FlowDefinitionError extends Error {
  override readonly name = 'FlowDefinitionError';
}

/** The flow ran longer than its `timeoutSeconds`; also the reason of the context's aborted signal. */
export class FlowTimeoutError extends Error {
  override readonly name = 'FlowTimeoutError';
  constructor(
    readonly flowName: string,
    readonly timeoutSeconds: number,
  ) {
    super(`Flow '${flowName}' timed out after ${timeoutSeconds} s`);
  }
}
