/**
 * The reliability suite runs at full scale with `npm run test:reliability`
 * (RELIABILITY_SCALE=full) and at a reduced scale inside `npm test`, so CI always exercises every
 * scenario.
 */
export const FULL = process.env.RELIABILITY_SCALE === 'full';

export function scale(full: number, reduced: number): number {
  return FULL ? full : reduced;
}
