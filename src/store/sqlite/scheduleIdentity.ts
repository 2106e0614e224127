/**
 * Which stored schedule each schedule of a new list continues, when a deployment's schedules are
 * replaced (a redeploy, a PATCH). A continued schedule keeps its row and id, so its runs in
 * flight still count against its `max_active_runs` and its runs keep naming it.
 *
 * Matched in this order: the same slug; else (neither has a slug) the same schedule; else the
 * schedules without a slug left on both sides, in order (an edited cron of the one schedule a
 * deployment has is the same schedule, changed).
 */
export interface ScheduleKey {
  slug: string | null;
  /** The schedule JSON as stored. */
  schedule: string;
}

/** For each new schedule, the id of the stored one it continues, or null for a new schedule. */
export function continuedSchedules(old: readonly (ScheduleKey & { id: string })[], next: readonly ScheduleKey[]): (string | null)[] {
  const taken = new Set<string>();
  const result: (string | null)[] = next.map(() => null);
  const claim = (i: number, match: ((o: ScheduleKey) => boolean) | null): void => {
    if (result[i] !== null || match === null) return;
    const found = old.find((o) => !taken.has(o.id) && match(o));
    if (!found) return;
    taken.add(found.id);
    result[i] = found.id;
  };
  next.forEach((s, i) => claim(i, s.slug ? (o) => o.slug === s.slug : null));
  next.forEach((s, i) => claim(i, s.slug ? null : (o) => o.slug === null && o.schedule === s.schedule));
  next.forEach((s, i) => claim(i, s.slug ? null : (o) => o.slug === null));
  return result;
}
