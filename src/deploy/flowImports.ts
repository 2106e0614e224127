import { isIdent, isPunct, isWord, type Token } from './tokenize.js';

/** The package flow authors import `flow` from. */
export const SDK_MODULE = 'baton';

/** How `flow` from 'baton' can be called in this file. */
export interface FlowBindings {
  /** Local names of the imported `flow` (`import { flow as f }`). */
  direct: Set<string>;
  /** Namespaces that have `flow` as a property (`import * as baton`, `import baton`). */
  namespaces: Set<string>;
}

/** The local names under which this file can call the `flow` of 'baton'. */
export function findBindings(tokens: Token[]): FlowBindings {
  const bindings: FlowBindings = { direct: new Set(), namespaces: new Set() };
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'import')) continue;
    // `import(` and `import.meta` are expressions, not declarations.
    if (isPunct(tokens[i + 1], '(') || isPunct(tokens[i + 1], '.')) continue;
    let j = i + 1;
    const next = tokens[j];
    const after = tokens[j + 1];
    // `import type …` (but not `import type from 'x'`, a default import named `type`).
    if (isWord(next, 'type') && !isPunct(after, ',') && !isWord(after, 'from')) continue;
    const direct: string[] = [];
    const namespaces: string[] = [];
    while (j < tokens.length && !isWord(tokens[j], 'from')) {
      const t = tokens[j];
      if (t?.kind === 'string' || isPunct(t, ';')) break; // a side-effect import, or malformed
      if (isPunct(t, '*') && isWord(tokens[j + 1], 'as') && isIdent(tokens[j + 2])) {
        namespaces.push((tokens[j + 2] as { value: string }).value);
        j += 3;
        continue;
      }
      if (isPunct(t, '{')) {
        j = readSpecifiers(tokens, j + 1, direct);
        continue;
      }
      if (isIdent(t) && j === i + 1) namespaces.push(t.value); // default import
      j++;
    }
    const from = tokens[j + 1];
    if (isWord(tokens[j], 'from') && from?.kind === 'string' && from.value === SDK_MODULE) {
      for (const name of direct) bindings.direct.add(name);
      for (const name of namespaces) bindings.namespaces.add(name);
    }
    i = j;
  }
  return bindings;
}

/** Reads `a, b as c, type d }` and collects the local names `flow` is bound to; returns the index after `}`. */
function readSpecifiers(tokens: Token[], start: number, direct: string[]): number {
  let j = start;
  while (j < tokens.length && !isPunct(tokens[j], '}')) {
    let t = tokens[j];
    if (isWord(t, 'type') && (isIdent(tokens[j + 1]) || tokens[j + 1]?.kind === 'string') && !isWord(tokens[j + 1], 'as')) {
      // A type-only specifier: skip it.
      while (j < tokens.length && !isPunct(tokens[j], ',') && !isPunct(tokens[j], '}')) j++;
      continue;
    }
    if (t?.kind === 'ident' || t?.kind === 'string') {
      const imported = t.value;
      let local = imported;
      if (isWord(tokens[j + 1], 'as') && isIdent(tokens[j + 2])) {
        local = (tokens[j + 2] as { value: string }).value;
        j += 2;
      }
      if (imported === 'flow') direct.push(local);
    }
    j++;
    t = tokens[j];
  }
  return j + 1;
}
