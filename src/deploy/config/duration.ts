/** `P1DT2H30M`, `PT1H`, `PT0.5S`, `P2W`: fixed-length ISO-8601 durations (no years or months). */
const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
/** `01:00:00`, `1 day, 01:00:00`, `2 days 00:30:00.5`: Python's timedelta text, as Prefect accepts. */
const CLOCK_DURATION = /^(?:(\d+)\s+days?,?\s*)?(\d+):([0-5]?\d):([0-5]?\d(?:\.\d+)?)$/i;
const PLAIN_SECONDS = /^\d+(?:\.\d+)?$/;

/**
 * An interval schedule's period in seconds, from what prefect.yaml allows: a number of seconds,
 * an ISO-8601 duration (`PT1H`) or `HH:MM:SS`. Null when it is none of these or not > 0.
 */
export function parseIntervalSeconds(value: unknown): number | null {
  let seconds: number | null = null;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string') seconds = parseDurationText(value.trim());
  return seconds !== null && Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

function parseDurationText(text: string): number | null {
  if (PLAIN_SECONDS.test(text)) return Number(text);
  const iso = ISO_DURATION.exec(text);
  if (iso && text.length > 1 && !/T$/i.test(text)) {
    const [, w, d, h, m, s] = iso;
    return num(w) * 604_800 + num(d) * 86_400 + num(h) * 3600 + num(m) * 60 + num(s);
  }
  const clock = CLOCK_DURATION.exec(text);
  if (clock) {
    const [, d, h, m, s] = clock;
    return num(d) * 86_400 + num(h) * 3600 + num(m) * 60 + num(s);
  }
  return null;
}

function num(part: string | undefined): number {
  return part === undefined ? 0 : Number(part);
}
