import { jsonOrText } from '../../../deploy/cliOptions.js';
import { parameterProblems } from '../../../deploy/request.js';
import type { InspectedFlow } from '../../../deploy/inspectFlows.js';
import { color, println } from '../../output.js';
import type { Prompts } from './wizardPrompts.js';

interface Property {
  type?: unknown;
  default?: unknown;
  description?: unknown;
  enum?: unknown;
}

/**
 * Default parameter values, one question per parameter of the flow's schema, prefilled with the
 * flow's default. Each answer is checked against the schema as it is typed. Only values that
 * differ from the flow's default are kept, so later changes to the flow's defaults still apply.
 */
export async function askParameters(p: Prompts, flow: InspectedFlow): Promise<Record<string, unknown>> {
  const properties = (flow.parameterSchema.properties ?? {}) as Record<string, Property>;
  const required = new Set(Array.isArray(flow.parameterSchema.required) ? (flow.parameterSchema.required as string[]) : []);
  const names = Object.keys(properties);
  const values: Record<string, unknown> = {};
  if (names.length === 0) return values;
  println(color.dim(`Default parameter values for ${flow.name} (Enter keeps the flow's default; values are JSON or text):`));
  for (const name of names) {
    const prop = properties[name] ?? {};
    const isText = prop.type === 'string';
    const shown = prop.default === undefined ? undefined : isText && typeof prop.default === 'string' ? prop.default : JSON.stringify(prop.default);
    const hint = [typeOf(prop), required.has(name) && prop.default === undefined ? 'required per run' : null, typeof prop.description === 'string' ? prop.description : null]
      .filter(Boolean)
      .join('; ');
    const parse = (text: string): unknown => (isText ? text : jsonOrText(text));
    const answer = await p.input({
      message: `${name}${hint ? ` (${hint})` : ''}:`,
      ...(shown !== undefined ? { default: shown } : {}),
      validate: (text) => {
        if (text === '') return true;
        const problems = parameterProblems(flow.parameterSchema, { [name]: parse(text) });
        return problems.length === 0 ? true : problems.join('; ');
      },
    });
    if (answer === '' || answer === shown) continue;
    values[name] = parse(answer);
  }
  return values;
}

function typeOf(prop: Property): string | null {
  if (Array.isArray(prop.enum)) return `one of ${prop.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (typeof prop.type === 'string') return prop.type;
  if (Array.isArray(prop.type)) return prop.type.join(' or ');
  return null;
}
