/**
 * Form fields from a deployment's `parameter_openapi_schema` (the JSON Schema of the flow's zod
 * params): one field per top-level property, typed from the schema. What the form cannot type
 * (objects, arrays, unions) is edited as JSON. Values are checked by the server, not here: the
 * form shows the server's answer at the field it names.
 */
export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

export interface Field {
  name: string;
  kind: FieldKind;
  /** What the schema calls the type, for the label ("integer", "string (date-time)", "object"). */
  typeLabel: string;
  description: string | null;
  required: boolean;
  /** The schema's default, if it has one. */
  default: unknown;
  hasDefault: boolean;
  options: unknown[];
}

export type Values = Record<string, string | boolean>;

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolveRef(node: Schema, root: Schema): Schema {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = match ? root[match[1] ?? ''] : undefined;
  const target = match && isObject(defs) ? defs[match[2] ?? ''] : undefined;
  return isObject(target) ? { ...target, ...node, $ref: undefined } : node;
}

/** A property's schema without the `null` branch of an optional or nullable value. */
function unwrap(node: Schema, root: Schema): Schema {
  const resolved = resolveRef(node, root);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = resolved[key];
    if (!Array.isArray(branches)) continue;
    const nonNull = branches.filter((b) => !(isObject(b) && b.type === 'null'));
    if (nonNull.length === 1 && isObject(nonNull[0])) {
      const { [key]: _drop, ...rest } = resolved;
      return unwrap({ ...rest, ...nonNull[0] }, root);
    }
  }
  if (Array.isArray(resolved.type)) {
    const types = resolved.type.filter((t) => t !== 'null');
    if (types.length === 1) return { ...resolved, type: types[0] };
  }
  return resolved;
}

function kindOf(node: Schema): { kind: FieldKind; typeLabel: string; options: unknown[] } {
  if (Array.isArray(node.enum)) return { kind: 'enum', typeLabel: 'one of', options: node.enum };
  if ('const' in node) return { kind: 'enum', typeLabel: 'constant', options: [node.const] };
  switch (node.type) {
    case 'string':
      return { kind: 'string', typeLabel: typeof node.format === 'string' ? `string (${node.format})` : 'string', options: [] };
    case 'number':
    case 'integer':
    case 'boolean':
      return { kind: node.type, typeLabel: node.type, options: [] };
    default:
      return { kind: 'json', typeLabel: typeof node.type === 'string' ? `${node.type}, as JSON` : 'JSON', options: [] };
  }
}

/** The form's fields, or null when the deployment has no schema (parameters are then free JSON). */
export function fieldsOf(schema: Schema | null): Field[] | null {
  if (!schema || !isObject(schema.properties)) return null;
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const props = schema.properties;
  return Object.keys(props).map((name) => {
    const raw = props[name];
    const node = isObject(raw) ? unwrap(raw, schema) : {};
    const hasDefault = 'default' in node || (isObject(raw) && 'default' in raw);
    return {
      name,
      ...kindOf(node),
      description: typeof node.description === 'string' ? node.description : typeof node.title === 'string' ? node.title : null,
      required: required.has(name),
      default: 'default' in node ? node.default : isObject(raw) ? raw.default : undefined,
      hasDefault,
    };
  });
}

/** What a field shows first: the deployment's value for it, else the schema's default. */
export function initialValues(fields: Field[], deploymentParameters: Record<string, unknown>): Values {
  const values: Values = {};
  for (const f of fields) {
    const has = f.name in deploymentParameters;
    const v = has ? deploymentParameters[f.name] : f.default;
    const known = has || f.hasDefault;
    if (f.kind === 'boolean') values[f.name] = v === true;
    else if (!known || v === undefined) values[f.name] = '';
    else if (f.kind === 'enum') values[f.name] = String(f.options.findIndex((o) => JSON.stringify(o) === JSON.stringify(v)));
    else if (f.kind === 'json') values[f.name] = JSON.stringify(v, null, 2);
    else values[f.name] = v === null ? '' : String(v);
  }
  return values;
}

/**
 * The parameters to send. Empty fields are left out (the deployment's value or the flow's default
 * applies); a number that does not parse is sent as typed so the server names the problem.
 */
export function parametersFrom(fields: Field[], values: Values): { parameters: Record<string, unknown>; errors: Record<string, string> } {
  const parameters: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === 'boolean') {
      parameters[f.name] = v === true;
      continue;
    }
    const text = typeof v === 'string' ? v : '';
    if (text.trim() === '') continue;
    if (f.kind === 'number' || f.kind === 'integer') {
      const n = Number(text);
      parameters[f.name] = Number.isFinite(n) ? n : text;
    } else if (f.kind === 'enum') {
      const option = f.options[Number(text)];
      if (option !== undefined) parameters[f.name] = option;
    } else if (f.kind === 'json') {
      try {
        parameters[f.name] = JSON.parse(text);
      } catch (err) {
        errors[f.name] = `is not valid JSON: ${(err as Error).message}`;
      }
    } else {
      parameters[f.name] = text;
    }
  }
  return { parameters, errors };
}
