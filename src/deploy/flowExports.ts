import { findBindings, SDK_MODULE, type FlowBindings } from './flowImports.js';
import { isIdent, isPunct, isWord, tokenize, type Token } from './tokenize.js';

/** An exported `flow(...)` found in one file's text. */
export interface FlowExport {
  exportName: string;
  /** The `name` option when it is a string literal, else null (the export name stands in). */
  flowName: string | null;
}

const DECLARATION_KEYWORDS = new Set(['const', 'let', 'var']);

/**
 * Finds the exported `flow(...)` calls in a module's source without running it. Recognised:
 * `export const|let|var x = flow(…)`, `export default flow(…)`, `const x = flow(…)` exported later
 * through `export { x }`, `export { x as y }` or `export default x`; `flow` imported from 'baton'
 * under any local name or called through a namespace import (`baton.flow(…)`). Calls of a `flow`
 * that does not come from 'baton' are not counted.
 */
export function scanFlowSource(source: string): FlowExport[] {
  // Cheap pre-check: a file that never mentions the SDK cannot import its flow().
  if (!source.includes(SDK_MODULE)) return [];
  const tokens = tokenize(source);
  const bindings = findBindings(tokens);
  if (bindings.direct.size === 0 && bindings.namespaces.size === 0) return [];
  return new ExportScanner(tokens, bindings).scan();
}

interface Binding {
  callOpen: number;
}

class ExportScanner {
  private readonly depth: number[];
  /** Module-level `const x = flow(…)` bindings, by local name. */
  private readonly locals = new Map<string, Binding>();
  private readonly found: { exportName: string; callOpen: number }[] = [];
  /** `export { a as b }` / `export default a`, resolved once all locals are known. */
  private readonly pending: { local: string; exported: string }[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly bindings: FlowBindings,
  ) {
    this.depth = depthsOf(tokens);
  }

  scan(): FlowExport[] {
    const t = this.tokens;
    for (let i = 0; i < t.length; i++) {
      if (this.depth[i] !== 0) continue;
      const tok = t[i];
      if (isWord(tok, 'export')) {
        i = this.readExport(i);
        continue;
      }
      if (isIdent(tok) && DECLARATION_KEYWORDS.has(tok.value) && !isPunct(t[i - 1], '.')) {
        i = this.readDeclarators(i + 1, false);
      }
    }
    for (const { local, exported } of this.pending) {
      const binding = this.locals.get(local);
      if (binding) this.found.push({ exportName: exported, callOpen: binding.callOpen });
    }
    const seen = new Set<string>();
    const result: FlowExport[] = [];
    for (const { exportName, callOpen } of this.found) {
      if (seen.has(exportName)) continue;
      seen.add(exportName);
      result.push({ exportName, flowName: this.literalName(callOpen) });
    }
    return result.sort((a, b) => (a.exportName < b.exportName ? -1 : a.exportName > b.exportName ? 1 : 0));
  }

  /** Handles the statement starting at `export`; returns the index to continue from. */
  private readExport(i: number): number {
    const t = this.tokens;
    const next = t[i + 1];
    if (isIdent(next) && DECLARATION_KEYWORDS.has(next.value)) return this.readDeclarators(i + 2, true);
    if (isWord(next, 'default')) {
      const callOpen = this.flowCallAt(i + 2);
      if (callOpen >= 0) {
        this.found.push({ exportName: 'default', callOpen });
        return callOpen;
      }
      const target = t[i + 2];
      if (isIdent(target) && !isPunct(t[i + 3], '(') && !isPunct(t[i + 3], '.')) this.pending.push({ local: target.value, exported: 'default' });
      return i + 1;
    }
    if (isPunct(next, '{')) {
      const specs: { local: string; exported: string }[] = [];
      let j = i + 2;
      while (j < t.length && !isPunct(t[j], '}')) {
        const tok = t[j];
        if (isWord(tok, 'type') && isIdent(t[j + 1]) && !isWord(t[j + 1], 'as')) {
          j += 2;
          continue;
        }
        if (isIdent(tok)) {
          const local = tok.value;
          let exported = local;
          const alias = t[j + 2];
          if (isWord(t[j + 1], 'as') && (alias?.kind === 'ident' || alias?.kind === 'string')) {
            exported = alias.value;
            j += 2;
          }
          specs.push({ local, exported });
        }
        j++;
      }
      // `export { x } from './other.js'` re-exports another module's binding, not a local one.
      if (!isWord(t[j + 1], 'from')) this.pending.push(...specs);
      return j;
    }
    return i;
  }

  /** Reads `a = flow(…), b: T = flow(…)`; records exports or locals. Returns where to continue. */
  private readDeclarators(start: number, exported: boolean): number {
    const t = this.tokens;
    let j = start;
    for (;;) {
      const name = t[j];
      if (!isIdent(name)) return j - 1; // destructuring and the like
      const eq = this.findInitializer(j + 1);
      if (eq < 0) return j;
      const callOpen = this.flowCallAt(eq + 1);
      if (callOpen < 0) return eq;
      if (exported) this.found.push({ exportName: name.value, callOpen });
      this.locals.set(name.value, { callOpen });
      const close = this.matching(callOpen);
      if (!isPunct(t[close + 1], ',')) return close;
      j = close + 2;
    }
  }

  /** Index of the `=` that starts a declarator's initializer (skipping a type annotation), or -1. */
  private findInitializer(j: number): number {
    const t = this.tokens;
    if (isPunct(t[j], '=')) return j;
    if (!isPunct(t[j], ':')) return -1;
    const base = this.depth[j] ?? 0;
    for (let k = j + 1; k < t.length; k++) {
      const tok = t[k];
      const d = this.depth[k] ?? 0;
      if (d < base) return -1;
      if (d > base) continue;
      if (isPunct(tok, ';')) return -1;
      if (isPunct(tok, '=')) {
        const arrow = t[k + 1];
        if (arrow !== undefined && isPunct(arrow, '>') && arrow.pos === (tok as Token).pos + 1) continue;
        return k;
      }
    }
    return -1;
  }

  /** When a `flow(` call (direct or through a namespace) starts at `k`, the index of its `(`; else -1. */
  private flowCallAt(k: number): number {
    const t = this.tokens;
    const tok = t[k];
    if (!isIdent(tok)) return -1;
    let after: number;
    if (this.bindings.direct.has(tok.value)) after = k + 1;
    else if (this.bindings.namespaces.has(tok.value) && isPunct(t[k + 1], '.') && isWord(t[k + 2], 'flow')) after = k + 3;
    else return -1;
    if (isPunct(t[after], '<')) after = this.skipTypeArguments(after);
    return isPunct(t[after], '(') ? after : -1;
  }

  private skipTypeArguments(open: number): number {
    const t = this.tokens;
    let angle = 0;
    for (let k = open; k < t.length; k++) {
      if (isPunct(t[k], '<')) angle++;
      else if (isPunct(t[k], '>')) {
        angle--;
        if (angle === 0) return k + 1;
      } else if (isPunct(t[k], ';')) return -1;
    }
    return -1;
  }

  /** Index of the token closing the bracket opened at `open`. */
  private matching(open: number): number {
    const base = this.depth[open] ?? 0;
    for (let k = open + 1; k < this.tokens.length; k++) {
      if ((this.depth[k] ?? 0) === base) return k;
    }
    return this.tokens.length - 1;
  }

  /** The `name: '…'` option of `flow({ … }, fn)` when it is a literal string. */
  private literalName(callOpen: number): string | null {
    const t = this.tokens;
    const brace = callOpen + 1;
    if (!isPunct(t[brace], '{')) return null;
    const inner = (this.depth[brace] ?? 0) + 1;
    for (let k = brace + 1; k < t.length; k++) {
      const d = this.depth[k] ?? 0;
      if (d < inner) return null;
      if (d !== inner) continue;
      const key = t[k];
      const startsProperty = isPunct(t[k - 1], '{') || isPunct(t[k - 1], ',');
      if (!startsProperty || !(key?.kind === 'ident' || key?.kind === 'string') || key.value !== 'name') continue;
      if (!isPunct(t[k + 1], ':')) continue;
      const value = t[k + 2];
      const end = t[k + 3];
      if (!(isPunct(end, ',') || isPunct(end, '}'))) return null;
      if (value?.kind === 'string') return value.value;
      if (value?.kind === 'template' && value.value !== null) return value.value;
      return null;
    }
    return null;
  }
}

/**
 * Bracket depth of every token: an opening bracket has the depth outside it, its contents one
 * more, and its closing bracket the same depth as the opening one.
 */
function depthsOf(tokens: Token[]): number[] {
  const depths = new Array<number>(tokens.length);
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'punct' && (t.value === ')' || t.value === ']' || t.value === '}')) depth = Math.max(0, depth - 1);
    depths[i] = depth;
    if (t.kind === 'punct' && (t.value === '(' || t.value === '[' || t.value === '{')) depth++;
  }
  return depths;
}
