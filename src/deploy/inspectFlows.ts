import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { engineEnv, engineLoaderArgs, engineMainPath } from '../engine/command.js';
import type { InspectedFlow, InspectOutcome } from '../engine/inspect.js';

export type { InspectedFlow, InspectOutcome };

/** Must match src/engine/inspect.ts. */
const INSPECT_MARKER = '@@baton-inspect@@';
/** A module that takes longer than this to import is stuck (an unresolved top-level await, a prompt). */
const INSPECT_TIMEOUT_MS = 60_000;

/**
 * Imports each entrypoint in one subprocess started the way a worker starts a flow run (tsx,
 * baton's fallback module resolution, `root` as the working directory), so what deploy accepts
 * is what a worker can run. Never runs the flows. Each entrypoint gets an outcome: the flow's
 * name, description, version and parameter schema, or a one-line reason it is not a flow.
 */
export async function inspectFlows(root: string, entrypoints: readonly string[]): Promise<Map<string, InspectOutcome>> {
  const unique = [...new Set(entrypoints)];
  const outcomes = new Map<string, InspectOutcome>();
  if (unique.length === 0) return outcomes;
  const script = join(dirname(engineMainPath()), 'inspect.js');
  const { stdout, stderr, failure } = await run(process.execPath, [...engineLoaderArgs(), script, ...unique], root);
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(`${INSPECT_MARKER} `)) continue;
    try {
      const outcome = JSON.parse(line.slice(INSPECT_MARKER.length + 1)) as InspectOutcome;
      outcomes.set(outcome.entrypoint, outcome);
    } catch {
      // A user's module printed something that starts like our marker: not ours.
    }
  }
  for (const entrypoint of unique) {
    if (outcomes.has(entrypoint)) continue;
    // The process ended before reporting on this entrypoint: an import called process.exit(),
    // crashed the process, or never finished.
    const why = failure ?? 'the process ended without an answer';
    const tail = lastLine(stderr);
    outcomes.set(entrypoint, { entrypoint, ok: false, error: `Could not inspect '${entrypoint}': ${why}${tail ? ` (${tail})` : ''}` });
  }
  return outcomes;
}

function run(command: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string; failure: string | null }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd,
        env: { ...process.env, ...engineEnv(process.env) },
        timeout: INSPECT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        let failure: string | null = null;
        if (error) {
          const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string | null; signal?: string | null };
          if (e.killed) failure = `importing it did not finish within ${INSPECT_TIMEOUT_MS / 1000} s`;
          else if (typeof e.code === 'number') failure = `importing it ended the process with exit code ${e.code}`;
          else if (e.signal) failure = `importing it ended the process with ${e.signal}`;
          else failure = e.message;
        }
        resolve({ stdout: String(stdout), stderr: String(stderr), failure });
      },
    );
  });
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines.at(-1) ?? '';
  return last.length > 300 ? `${last.slice(0, 297)}...` : last;
}
