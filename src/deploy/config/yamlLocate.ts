import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { PathSegment } from './problems.js';

/**
 * The 1-based line a path points at in the parsed YAML, following aliases and `<<` merge keys
 * into the anchors they name (that is where the value is written, so where to fix it). A path
 * that goes further than the document (a missing key) gets the line of the deepest part that
 * exists.
 */
export function lineOf(doc: Document, lineCounter: LineCounter, path: readonly PathSegment[]): number | undefined {
  let node: unknown = doc.contents;
  let at: number | undefined = rangeStart(node);
  for (const seg of path) {
    node = resolveAlias(doc, node);
    let next: { node: unknown; keyStart: number | undefined } | undefined;
    if (isMap(node)) next = findInMap(doc, node, String(seg), new Set());
    else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item !== undefined) next = { node: item, keyStart: rangeStart(item) };
    }
    if (!next) break;
    node = next.node;
    at = next.keyStart ?? rangeStart(node) ?? at;
  }
  return at === undefined ? undefined : lineCounter.linePos(at).line;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}

function resolveAlias(doc: Document, node: unknown): unknown {
  const seen = new Set<unknown>();
  while (isAlias(node) && !seen.has(node)) {
    seen.add(node);
    node = node.resolve(doc);
  }
  return node;
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return v === '<<' || (typeof v === 'symbol' && v.description === '<<');
}

/** A key's own pair first; then, as YAML merging does, the maps merged in with `<<`, in order. */
function findInMap(doc: Document, map: YAMLMap, key: string, visited: Set<unknown>): { node: unknown; keyStart: number | undefined } | undefined {
  if (visited.has(map)) return undefined;
  visited.add(map);
  const merges: Pair[] = [];
  for (const pair of map.items) {
    if (!isPair(pair)) continue;
    if (isMergeKey(pair.key)) {
      merges.push(pair);
      continue;
    }
    const k = isScalar(pair.key) ? pair.key.value : pair.key;
    if (String(k) === key) return { node: pair.value, keyStart: rangeStart(pair.key) };
  }
  for (const pair of merges) {
    const source = resolveAlias(doc, pair.value);
    const sources = isSeq(source) ? source.items.map((item) => resolveAlias(doc, item)) : [source];
    for (const s of sources) {
      if (!isMap(s)) continue;
      const found = findInMap(doc, s, key, visited);
      if (found) return found;
    }
  }
  return undefined;
}
