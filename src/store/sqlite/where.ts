/**
 * Builds WHERE clauses from Prefect-style filters. Each filter object becomes a group of
 * conditions joined by its `operator` (and_ / or_); groups are ANDed together.
 */
export type Param = string | number | null;

export class Conditions {
  readonly parts: string[] = [];
  readonly params: Param[] = [];

  add(sql: string, ...params: Param[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }

  /** `column IN (?, ?, …)`; an empty list matches nothing, as in Prefect. */
  in(column: string, values: readonly Param[] | undefined, negate = false): this {
    if (values === undefined) return this;
    if (values.length === 0) return this.add(negate ? '1 = 1' : '1 = 0');
    return this.add(`${column} ${negate ? 'NOT IN' : 'IN'} (${values.map(() => '?').join(', ')})`, ...values);
  }

  /** Appends a nested group joined by `operator`. */
  group(inner: Conditions, operator: 'and_' | 'or_' = 'and_'): this {
    if (inner.parts.length === 0) return this;
    const joined = inner.parts.map((p) => `(${p})`).join(operator === 'or_' ? ' OR ' : ' AND ');
    return this.add(joined, ...inner.params);
  }

  sql(): string {
    return this.parts.length === 0 ? '' : `WHERE ${this.parts.map((p) => `(${p})`).join(' AND ')}`;
  }
}

/** Escapes a user string for `LIKE … ESCAPE '\'` substring matching (Prefect's ILIKE %x%). */
export function likePattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
