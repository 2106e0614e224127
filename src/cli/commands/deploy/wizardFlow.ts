import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { discoverFlows } from '../../../deploy/discovery.js';
import { color, println } from '../../output.js';
import type { Prompts } from './wizardPrompts.js';

const MANUAL = '\u0000manual';
const ENTRYPOINT = /^.+\.(?:ts|mts|js|mjs):[A-Za-z_$][\w$]*$/;

/**
 * Which flow to deploy: the flows found under the project (without running any file), as a
 * table Flow Name | Location to pick from with the arrow keys, or an entrypoint typed in.
 */
export async function chooseEntrypoint(p: Prompts, root: string): Promise<string> {
  const flows = await discoverFlows(root);
  if (flows.length > 0) {
    const width = Math.max('Flow Name'.length, ...flows.map((f) => f.name.length)) + 3;
    const choice = await p.select<string>({
      message: 'Which flow would you like to deploy?',
      choices: [
        // A separator is indented one column less than a choice.
        new p.Separator(color.bold(` ${'Flow Name'.padEnd(width)}Location`)),
        ...flows.map((f) => ({ name: `${f.name.padEnd(width)}${f.entrypoint}`, value: f.entrypoint, short: f.entrypoint })),
        new p.Separator(),
        { name: 'Enter an entrypoint manually', value: MANUAL, short: 'manual entry' },
      ],
      pageSize: 15,
    });
    if (choice !== MANUAL) return choice;
  } else {
    println(color.yellow(`No flows found under ${root}: export one made with flow() from 'baton', or type its entrypoint.`));
  }
  return p.input({
    message: 'Entrypoint (path/to/file.ts:exportName):',
    validate: (value) => {
      const v = value.trim();
      if (!ENTRYPOINT.test(v)) return 'Use path/to/file.ts:exportName (a .ts, .mts, .js or .mjs file, a colon, the export).';
      const file = v.slice(0, v.lastIndexOf(':'));
      return statSync(resolve(root, file), { throwIfNoEntry: false })?.isFile() ? true : `No file ${file} under ${root}.`;
    },
  }).then((v) => v.trim());
}
