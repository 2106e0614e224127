/** Prefect's pagination answer: `{results, count, limit, pages, page}`. */
export async function page<T>(
  pageNumber: number,
  limit: number,
  count: number,
  fetch: (offset: number) => Promise<T[]>,
): Promise<{ results: T[]; count: number; limit: number; pages: number; page: number }> {
  const results = limit === 0 ? [] : await fetch((pageNumber - 1) * limit);
  return { results, count, limit, pages: limit === 0 ? 0 : Math.ceil(count / limit), page: pageNumber };
}
