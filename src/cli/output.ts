import Table from 'cli-table3';
import pc from 'picocolors';
import { BadRequestError } from '../domain/errors.js';

/** Colour only on a TTY and never with NO_COLOR (picocolors checks both). */
export const color = pc;

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
