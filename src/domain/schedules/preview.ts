/**
 * Rows for `baton schedule preview`: each fire time in UTC and in the schedule's zone, with a note
 * wherever DST changed something, so people can see the DST policy at work before they rely on it.
 */
import type { FireSlot } from './nextFireTimes.js';
import { formatOffset, formatWallClock, instantToWall, zoneOffsetMs } from './zonedTime.js';

export interface PreviewRow {
  /** 1-based. */
  index: number;
  /** `2026-03-08T07:00:00Z`. */
  utc: string;
  /** `Sun 2026-03-08 03:00:00 -04:00`. */
  local: string;
  /** Empty when nothing happened. */
  note: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `after` is the preview's start: the first row notes an offset different from the one then. */
export function previewRows(slots: readonly FireSlot[], timeZone: string, after: number): PreviewRow[] {
  let previousOffset = zoneOffsetMs(after, timeZone);
  return slots.map((slot, i) => {
    const offset = zoneOffsetMs(slot.at, timeZone);
    const wall = slot.at + offset;
    let note = '';
    if (slot.kind === 'gap' && slot.wall !== undefined) {
      note = `DST starts: ${formatWallClock(slot.wall)} does not exist, moved to ${formatWallClock(instantToWall(slot.at, timeZone))}`;
    } else if (slot.kind === 'ambiguous') {
      note = `DST ends: ${formatWallClock(wall)} occurs twice, first kept`;
    } else if (offset !== previousOffset) {
      note = `offset changes to ${formatOffset(offset)}`;
    }
    previousOffset = offset;
    return { index: i + 1, utc: formatUtc(slot.at), local: `${formatLocal(wall)} ${formatOffset(offset)}`, note };
  });
}

/** ISO-8601 UTC, without milliseconds when they are zero. */
export function formatUtc(instant: number): string {
  return new Date(instant).toISOString().replace('.000Z', 'Z');
}

function formatLocal(wall: number): string {
  const iso = new Date(wall).toISOString();
  const ms = iso.slice(19, 23);
  return `${WEEKDAYS[new Date(wall).getUTCDay()]} ${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === '.000' ? '' : ms}`;
}
