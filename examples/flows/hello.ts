// The quick start's flow: greets someone. Trigger it with a `name` parameter from curl, the CLI
// (`baton deployment run 'hello/default' --param name=you`) or the web UI.
import { flow } from 'baton';
import { z } from 'zod';

export const hello = flow(
  {
    name: 'hello',
    description: 'Says hello.',
    params: z.object({ name: z.string().min(1).default('world').describe('Who to greet') }),
  },
  async ({ name }, { log }) => {
    const greeting = `Hello, ${name}!`;
    log.info(greeting);
    return { greeting };
  },
);
