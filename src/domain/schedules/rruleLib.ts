import rrulePkg from 'rrule';

/**
 * The rrule package ships a CommonJS bundle for Node and extension-less ESM files that Node cannot
 * load, so under NodeNext only the default import (the CommonJS exports object) works at run time.
 */
export const { RRule, RRuleSet, Weekday } = rrulePkg;
export type { Options as RRuleOptions } from 'rrule';
