import rrulePkg from 'rrule';

/**
 * The rrule package ships a CommonJS bundle for Node and extension-less ESM files that Node cannot
 * load, so under NodeNext only the default import (the CommonJS exports object) works at run time.
 */
export const { RRule, Weekday } = rrulePkg;
export type { Options as RRuleOptions } from 'rrule';
type Rule = InstanceType<typeof RRule>;

/**
 * Stops `rule` after it has examined about `maxPeriods` periods (days of a daily rule, …).
 *
 * rrule 2.8.1 checks UNTIL and the `between` window only against occurrences it finds, so a rule
 * that finds none (30 February) runs on to the year 9999: minutes of CPU for a daily rule. Its main
 * loop reads `options.interval` twice per period and returns as soon as it reads 0, which is the
 * one hook it offers. A test with such a rule catches any rrule upgrade that changes this.
 */
export function capPeriods(rule: Rule, maxPeriods: number): Rule {
  const options = rule.options as { interval: number };
  const interval = options.interval;
  let reads = 0;
  Object.defineProperty(options, 'interval', {
    configurable: true,
    enumerable: true,
    get: () => (++reads > 2 * maxPeriods + 4 ? 0 : interval),
  });
  return rule;
}
