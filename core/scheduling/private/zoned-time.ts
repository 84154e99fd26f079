/** Wall-clock arithmetic in IANA time zones with `Intl.DateTimeFormat` (no date library needed). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/**
 * Whether `timezone` is an IANA zone name this runtime knows. Offsets such as "+05:00", which newer
 * runtimes accept, are refused: EventBridge Scheduler takes zone names.
 */
export function isValidTimeZone(timezone: string): boolean {
  if (typeof timezone !== 'string' || timezone === '' || /^[+-]/.test(timezone)) return false;
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

interface WallParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallParts(instant: Date, timezone: string): WallParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The local date and time of an instant, `yyyy-mm-ddThh:mm:ss`. */
export function wallClock(instant: Date, timezone: string): string {
  const w = wallParts(instant, timezone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** Offset of the zone from UTC at an instant, in milliseconds (New York in winter: -5 h). */
function offsetAt(instant: number, timezone: string): number {
  const w = wallParts(new Date(instant), timezone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local `yyyy-mm-ddThh:mm:ss` names in a zone. A repeated local time (fall-back) gives its
 * first occurrence; a skipped one (spring-forward) is read with the offset in force before the gap.
 */
export function zonedTimeToUtc(localTime: string, timezone: string): Date {
  const [date, time] = localTime.split('T');
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s] = time.split(':').map(Number);
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  // Try the offsets in force a day either side of the wall time; keep the earliest that reads back right.
  const candidates = [offsetAt(guess - 86_400_000, timezone), offsetAt(guess + 86_400_000, timezone)]
    .map((offset) => guess - offset)
    .sort((a, b) => a - b);
  for (const instant of candidates) {
    if (wallClock(new Date(instant), timezone) === localTime) return new Date(instant);
  }
  return new Date(guess - offsetAt(guess - 86_400_000, timezone));
}
