/** Times as people read them: relative ("3 s ago") with the absolute time kept for hovering. */

export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

export function relative(ms: number, now: number): string {
  const diff = ms - now;
  const s = Math.abs(diff) / 1000;
  let text: string;
  if (s < 1) return 'just now';
  if (s < 60) text = `${Math.floor(s)} s`;
  else if (s < 3600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86_400) text = `${Math.floor(s / 3600)} h`;
  else if (s < 30 * 86_400) text = `${Math.floor(s / 86_400)} d`;
  else return new Date(ms).toLocaleDateString();
  return diff < 0 ? `${text} ago` : `in ${text}`;
}

/** Local date and time with seconds, then the UTC instant the API uses. */
export function absolute(ms: number): string {
  const d = new Date(ms);
  return `${d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })} (${d.toISOString()})`;
}

/** A short local time for log lines and timelines: 14:03:07.123. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(seconds < 1 ? 2 : 1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return pair(m, 'min', Math.round(seconds % 60), 's');
  const h = Math.floor(m / 60);
  if (h < 24) return pair(h, 'h', m % 60, 'min');
  return pair(Math.floor(h / 24), 'd', h % 24, 'h');
}

/** "3 min 4 s", or "1 h" when the smaller unit is zero. */
function pair(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}
