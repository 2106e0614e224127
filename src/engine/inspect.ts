/**
 * `baton deploy` runs this (through engineCommand()'s loaders, from the project root) to learn
 * what a deployment needs from its flow without running it: the flow's name, description,
 * version and the JSON schema of its parameters. It imports each entrypoint given as an argument,
 * exactly as the engine will, and prints one marked line per entrypoint:
 *
 *   @@baton-inspect@@ {"entrypoint":"flows/etl.ts:etl","ok":true,"flow":{"name":…,"parameterSchema":…}}
 *   @@baton-inspect@@ {"entrypoint":"flows/x.ts:x","ok":false,"error":"'flows/x.ts' has no export 'x' (…)"}
 *
 * The marker keeps the answer apart from whatever the user's modules print when imported.
 */
import { FLOW_BRAND, type FlowDefinition } from '../sdk/definition.js';
import { parameterSchema } from '../sdk/schema.js';
import { loadFlow } from './loadFlow.js';
import { oneLine } from './setupError.js';

/** src/deploy/inspectFlows.ts looks for this; only types may be imported from this file (it runs on import). */
const INSPECT_MARKER = '@@baton-inspect@@';

export interface InspectedFlow {
  name: string;
  description: string | null;
  version: string | null;
  parameterSchema: Record<string, unknown>;
}

export type InspectOutcome = { entrypoint: string; ok: true; flow: InspectedFlow } | { entrypoint: string; ok: false; error: string };

async function inspect(entrypoint: string, dir: string): Promise<InspectOutcome> {
  let def: FlowDefinition;
  try {
    def = await loadFlow(entrypoint, dir);
  } catch (error) {
    return { entrypoint, ok: false, error: error instanceof Error ? error.message : oneLine(error) };
  }
  try {
    // parameterSchema() reads a flow through its brand, so a definition made by another copy of
    // baton (the project's own) works too.
    const carrier = Object.assign(() => undefined, { [FLOW_BRAND]: def });
    return {
      entrypoint,
      ok: true,
      flow: { name: def.name, description: def.description, version: def.version, parameterSchema: parameterSchema(carrier) },
    };
  } catch (error) {
    return { entrypoint, ok: false, error: `The parameters of flow '${def.name}' cannot be turned into a JSON schema: ${oneLine(error)}` };
  }
}

const entrypoints = process.argv.slice(2);
const lines: string[] = [];
let failed = false;
for (const entrypoint of entrypoints) {
  const outcome = await inspect(entrypoint, process.cwd());
  failed ||= !outcome.ok;
  lines.push(`${INSPECT_MARKER} ${JSON.stringify(outcome)}`);
}
// Exit explicitly: an imported module may hold the event loop open (a timer, a server).
process.stdout.write(`\n${lines.join('\n')}\n`, () => process.exit(failed ? 1 : 0));
