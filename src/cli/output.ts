import Table from 'cli-table3';
import pc from 'picocolors';
import { BadRequestError } from '../domain/errors.js';

/**
 * Colour on a TTY or with FORCE_COLOR, never with NO_COLOR or FORCE_COLOR=0. Decided at each
 * call, so NO_COLOR set after this module loaded is obeyed, and a piped CI log stays plain
 * (picocolors alone decides once, at import, and colours whenever `CI` is set).
 */
function colourWanted(): boolean {
  if (process.env.NO_COLOR) return false;
  const force = process.env.FORCE_COLOR;
  if (force === '0' || force === 'false') return false;
  if (force !== undefined) return true;
  return Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb';
}

const on = pc.createColors(true);
type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'blue' | 'cyan';
const style =
  (name: Style) =>
  (text: string | number): string =>
    colourWanted() ? on[name](text) : String(text);

export const color = {
  bold: style('bold'),
  dim: style('dim'),
  red: style('red'),
  green: style('green'),
  yellow: style('yellow'),
  blue: style('blue'),
  cyan: style('cyan'),
};

export function println(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Checks `-o/--output`: only json is supported, as in Prefect. */
export function wantsJson(output: string | undefined): boolean {
  if (output === undefined) return false;
  if (output.toLowerCase() !== 'json') throw new BadRequestError("Only 'json' output format is supported.");
  return true;
}

export interface TableOptions {
  title?: string;
  caption?: string;
}

/** A table for people; `-o json` prints the raw objects instead. */
export function printTable(head: string[], rows: (string | number | null | undefined)[][], options: TableOptions = {}): void {
  const table = new Table({
    head: head.map((h) => color.bold(h)),
    style: { head: [], border: [] },
    wordWrap: false,
  });
  for (const row of rows) table.push(row.map((c) => (c === null || c === undefined ? 'None' : String(c))));
  if (options.title) println(color.bold(options.title.padStart(Math.floor((table.width + options.title.length) / 2))));
  println(table.toString());
  if (options.caption) println(color.dim(options.caption));
}

/** Prefect's tree lines under a created object: `└── Key: value`. */
export function printTree(entries: [string, unknown][]): void {
  for (const [key, value] of entries) println(`└── ${key}: ${value === null || value === undefined ? 'None' : String(value)}`);
}

/** "NOT_READY" → "Not ready", coloured by health. */
export function formatStatus(status: string): string {
  const text = status.charAt(0) + status.slice(1).toLowerCase().replace('_', ' ');
  if (status === 'READY' || status === 'ONLINE') return color.green(text);
  if (status === 'PAUSED') return color.yellow(text);
  return color.red(text);
}
