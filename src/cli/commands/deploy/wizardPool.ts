import type { BatonClient } from '../../../client/index.js';
import { color, println } from '../../output.js';
import type { Prompts } from './wizardPrompts.js';

const CREATE = '\u0000create';
const FORBIDDEN = /[/%&><]/;

/** The work pool: one of the server's, picked with the arrow keys, or a new process pool made on the spot. */
export async function choosePool(p: Prompts, api: BatonClient, preferred: string | undefined): Promise<string> {
  const pools = await api.workPools.list({ limit: 200 });
  const names = new Set(pools.map((pool) => pool.name));
  if (pools.length > 0) {
    const width = Math.max(...pools.map((pool) => pool.name.length)) + 3;
    const choice = await p.select<string>({
      message: 'Which work pool would you like to deploy this flow to?',
      choices: [
        ...pools.map((pool) => ({ name: `${pool.name.padEnd(width)}${pool.type}, ${pool.status.toLowerCase().replace('_', ' ')}${pool.is_paused ? ', paused' : ''}`, value: pool.name, short: pool.name })),
        new p.Separator(),
        { name: 'Create a new work pool', value: CREATE, short: 'new work pool' },
      ],
      ...(preferred !== undefined && names.has(preferred) ? { default: preferred } : {}),
      pageSize: 15,
    });
    if (choice !== CREATE) return choice;
  } else {
    println(color.yellow('There are no work pools yet: create one now.'));
  }
  const name = (
    await p.input({
      message: 'Name of the new work pool:',
      default: names.has('my-pool') ? undefined : 'my-pool',
      validate: (v) => {
        const n = v.trim();
        if (n === '') return 'Enter a name.';
        if (FORBIDDEN.test(n)) return 'A pool name must not contain / % & > <.';
        return names.has(n) ? `Work pool '${n}' already exists: pick it from the list instead.` : true;
      },
    })
  ).trim();
  await api.workPools.create({ name, type: 'process' });
  println(`Created work pool '${name}' (type process).`);
  return name;
}
