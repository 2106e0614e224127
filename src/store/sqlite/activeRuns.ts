/**
 * Runs that hold infrastructure, and so a concurrency slot of their queue and pool: the active
 * states, and runs waiting for an in-process retry (their process is alive and keeps its place).
 * SQL over a flow_run alias `r`; the one definition every count uses.
 */
export const HOLDS_INFRASTRUCTURE =
  "(r.state_type IN ('PENDING', 'RUNNING', 'CANCELLING') OR (r.state_type = 'SCHEDULED' AND r.claim_token IS NOT NULL))";
