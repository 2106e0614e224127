import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, expectTypeOf, test, vi } from 'vitest';
import { z } from 'zod';
import {
  flow,
  FlowDefinitionError,
  FlowTimeoutError,
  InvalidParametersError,
  isFlow,
  parameterSchema,
  type FlowContext,
} from '../../src/sdk/index.js';
import { RUNTIME_KEY, type LogRecord } from '../../src/sdk/runtime.js';

afterEach(() => {
  vi.restoreAllMocks();
  delete (globalThis as { [RUNTIME_KEY]?: unknown })[RUNTIME_KEY];
});

const etl = flow(
  {
    name: 'etl',
    params: z.object({ day: z.string().default('today').describe('The day to process'), limit: z.number().int().min(1) }),
    retries: 2,
    retryDelaySeconds: 0,
    description: 'Loads a day',
    version: '1.2',
  },
  async ({ day, limit }, { log }) => {
    log.info(`processing ${day}`);
    return { day, rows: limit };
  },
);

describe('direct calls', () => {
  test('parse parameters (defaults filled in), run the handler and return its value', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    await expect(etl({ limit: 3 })).resolves.toEqual({ day: 'today', rows: 3 });
  });

  test('print log lines to the console with their level', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const talky = flow({ name: 'talky' }, (_p, { log }) => {
      log.debug('d');
      log.info('i');
      log.warn('w');
      log.error(new Error('e'));
    });
    await talky();
    expect(out.mock.calls.map((c) => c[0])).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} \| DEBUG   \| Flow run 'talky-[0-9a-f]{6}' - d$/),
      expect.stringMatching(/ \| INFO    \| Flow run 'talky-[0-9a-f]{6}' - i$/),
    ]);
    expect(err.mock.calls.map((c) => c[0])).toEqual([
      expect.stringMatching(/ \| WARNING \| .* - w$/),
      expect.stringMatching(/ \| ERROR   \| .* - Error: e\n\s+at /),
    ]);
  });

  test('in a flow-run process the logger writes through the runtime the engine installed', async () => {
    const records: LogRecord[] = [];
    (globalThis as { [RUNTIME_KEY]?: unknown })[RUNTIME_KEY] = { version: 1, log: (r: LogRecord) => records.push(r) };
    const console_ = vi.spyOn(console, 'log');
    await flow({ name: 'framed' }, (_p, { log }) => log.warning('careful'))();
    expect(records).toEqual([{ level: 30, timestamp: expect.any(Number), name: 'baton.flow_runs', message: 'careful' }]);
    expect(console_).not.toHaveBeenCalled();
  });

  test('invalid parameters: one error naming every bad parameter by JSON pointer', async () => {
    const error = await etl({ day: 5, limit: 0 } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParametersError);
    expect((error as Error).message).toBe(
      "Invalid parameters for flow 'etl': /day: expected string, received number; /limit: Too small: expected number to be >=1",
    );
    expect((error as InvalidParametersError).issues.map((i) => i.pointer)).toEqual(['/day', '/limit']);
    await expect(etl({} as never)).rejects.toThrow("Invalid parameters for flow 'etl': /limit: required (expected number)");
    const strict = flow({ name: 'strict', params: z.strictObject({ a: z.string().optional() }) }, () => 1);
    await expect(strict({ b: 1 } as never)).rejects.toThrow("Invalid parameters for flow 'strict': /b: unknown parameter");
  });

  test('retries: the attempt counts up, the retry is announced, the result comes from the last attempt', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const attempts: number[] = [];
    const flaky = flow({ name: 'flaky', retries: 2, retryDelaySeconds: 0.05 }, (_p, { attempt }) => {
      attempts.push(attempt);
      if (attempt < 3) throw new Error(`failure ${attempt}`);
      return attempt;
    });
    await expect(flaky()).resolves.toBe(3);
    expect(attempts).toEqual([1, 2, 3]);
    expect(out.mock.calls.map((c) => String(c[0]).split(' - ')[1])).toEqual(['Retrying in 0.05s (attempt 2 of 3)', 'Retrying in 0.05s (attempt 3 of 3)']);
    expect(err.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('Error: failure 1'), expect.stringContaining('Error: failure 2')]);
  });

  test('retries run out: the last error is thrown', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let calls = 0;
    const fails = flow({ name: 'fails', retries: 1 }, () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    await expect(fails()).rejects.toThrow('boom 2');
    expect(calls).toBe(2);
  });

  test('timeout: the call rejects with FlowTimeoutError and the signal is aborted with it', async () => {
    let signal: AbortSignal | undefined;
    const slow = flow({ name: 'slow', timeoutSeconds: 0.1 }, async (_p, ctx) => {
      signal = ctx.signal;
      await new Promise((r) => setTimeout(r, 5_000).unref());
    });
    const error = await slow().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowTimeoutError);
    expect((error as Error).message).toBe("Flow 'slow' timed out after 0.1 s");
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(error);
  });

  test('the context carries the run: id, name, raw parameters, attempt, signal', async () => {
    let seen: FlowContext | undefined;
    const f = flow({ name: 'ctx', params: z.object({ n: z.number().default(1) }) }, (_p, ctx) => {
      seen = ctx;
    });
    await f({});
    expect(seen).toMatchObject({ flowRunName: expect.stringMatching(/^ctx-/), parameters: {}, attempt: 1 });
    expect(seen?.flowRunId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen?.signal.aborted).toBe(false);
  });
});

describe('flow() options', () => {
  test('the flow carries its options', () => {
    expect({ ...etl, name: etl.name }).toMatchObject({
      name: 'etl',
      retries: 2,
      retryDelaySeconds: 0,
      timeoutSeconds: null,
      description: 'Loads a day',
      version: '1.2',
    });
    const bare = flow({ name: 'bare' }, () => 1);
    expect([bare.retries, bare.retryDelaySeconds, bare.timeoutSeconds, bare.description, bare.version]).toEqual([0, 0, null, null, null]);
    expect(bare.params.safeParse({}).success).toBe(true);
  });

  test('bad options are refused at definition time, every problem in one message', () => {
    expect(() => flow({ name: 'a/b', retries: -1 }, () => 1)).toThrow(
      new FlowDefinitionError("Invalid options for flow 'a/b': name must not contain any of / % & > <; retries must be 0 or more"),
    );
    expect(() => flow({ name: '' }, () => 1)).toThrow('Invalid options for flow: name must not be empty');
    expect(() => flow({ name: 'x', retries: 1.5, timeoutSeconds: 0 }, () => 1)).toThrow(
      "Invalid options for flow 'x': retries must be a whole number; timeoutSeconds must be more than 0",
    );
    expect(() => flow({ name: 'x', retry: 2 } as never, () => 1)).toThrow("Invalid options for flow 'x': unknown option retry");
    expect(() => flow({ name: 'x', params: z.string() } as never, () => 1)).toThrow('params must be a zod object schema');
    expect(() => flow({ name: 'x' }, undefined as never)).toThrow("flow 'x' needs a handler function");
  });

  test('types: the handler gets the parsed params, the call takes the input params', () => {
    const f = flow({ name: 't', params: z.object({ day: z.string().default('today'), n: z.coerce.number() }) }, ({ day, n }) => {
      expectTypeOf(day).toEqualTypeOf<string>();
      expectTypeOf(n).toEqualTypeOf<number>();
      return { day };
    });
    expectTypeOf(f).parameter(0).toEqualTypeOf<{ day?: string | undefined; n: unknown }>();
    expectTypeOf(f).returns.toEqualTypeOf<Promise<{ day: string }>>();
    const none = flow({ name: 'none' }, () => 'x');
    expectTypeOf(none).toBeCallableWith();
  });
});

describe('parameterSchema()', () => {
  test('JSON Schema of the input: defaults are not required, descriptions kept, no $schema, unknown parameters refused', () => {
    expect(parameterSchema(etl)).toEqual({
      title: 'Parameters',
      type: 'object',
      properties: {
        day: { type: 'string', default: 'today', description: 'The day to process' },
        limit: { type: 'integer', minimum: 1 },
      },
      required: ['limit'],
      additionalProperties: false,
    });
  });

  test('z.looseObject() keeps extra parameters allowed', () => {
    const loose = flow({ name: 'loose', params: z.looseObject({ a: z.string() }) }, () => 1);
    expect(parameterSchema(loose).additionalProperties).toEqual({});
  });

  test('no params: an empty object schema that takes no parameters; dates become date-time strings', () => {
    expect(parameterSchema(flow({ name: 'none' }, () => 1))).toEqual({ title: 'Parameters', type: 'object', properties: {}, additionalProperties: false });
    const dated = flow({ name: 'dated', params: z.object({ since: z.coerce.date(), tags: z.array(z.string()).optional() }) }, () => 1);
    expect(parameterSchema(dated)).toMatchObject({
      properties: { since: { type: 'string', format: 'date-time' }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['since'],
    });
  });

  test('refuses what is not a flow', () => {
    expect(() => parameterSchema(() => 1)).toThrow('parameterSchema() needs a flow');
  });
});

describe('isFlow()', () => {
  test('recognises flows of another copy of baton (the compiled one) by the registered brand', async () => {
    // By URL, so typechecking does not depend on dist/ (the globalSetup builds it before tests).
    const compiled = new URL('../../dist/sdk/index.js', import.meta.url).href;
    const other = (await import(compiled)) as Pick<typeof import('../../src/sdk/index.js'), 'flow' | 'isFlow'>;
    expect(other.isFlow).not.toBe(isFlow);
    const foreign = other.flow({ name: 'foreign' }, () => 'from the other copy');
    expect(isFlow(foreign)).toBe(true);
    expect(other.isFlow(etl)).toBe(true);
    expect(parameterSchema(foreign)).toEqual({ title: 'Parameters', type: 'object', properties: {}, additionalProperties: false });
  });

  test('plain functions, objects, and brands of an unknown version are not flows', () => {
    expect(isFlow(() => 1)).toBe(false);
    expect(isFlow({ name: 'x' })).toBe(false);
    expect(isFlow(null)).toBe(false);
    const fake = Object.assign(() => 1, { [Symbol.for('baton.flow')]: { apiVersion: 2, name: 'x' } });
    expect(isFlow(fake)).toBe(false);
  });
});

test('the SDK stays light: zod, node builtins and its own files only, and zod left as the user set it', () => {
  const dir = new URL('../../src/sdk/', import.meta.url);
  const imports = readdirSync(dir).flatMap((f) =>
    [...readFileSync(new URL(f, dir), 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]),
  );
  const outside = imports.filter((i) => !i?.startsWith('./') && !i?.startsWith('node:') && i !== 'zod');
  expect(outside).toEqual(['../domain/ids.js']);
  expect(z.object({ a: z.string() }).safeParse({}).error?.issues[0]?.message).toBe('Invalid input: expected string, received undefined');
});
