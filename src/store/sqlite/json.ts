/** JSON columns: parse on read, stringify on write. */
export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  return JSON.parse(text) as T;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function toJsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export const bool = (v: number | null | undefined): boolean => v === 1;
export const bit = (v: boolean | null | undefined): number => (v ? 1 : 0);
