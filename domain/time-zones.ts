/**
 * Wall-clock times in an IANA time zone, daylight-saving changes included, from the
 * platform's `Intl` time-zone data.
 *
 * Pure (no I/O, no clock) but not a safe source of determinism for workflow code: the
 * time-zone database changes between Node versions (a country abolishes DST, a zone moves), so
 * a workflow must receive what these functions compute from an activity, recorded in its
 * history, never call them itself.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Tells whether `timeZone` is an IANA time zone that this platform knows (`Europe/Paris`, `UTC`). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** A civil date: year, month 1–12, day 1–31. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (Paris in winter: +3,600,000). */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The civil date in `timeZone` at the instant `utcMs`. */
export function civilDateAt(timeZone: string, utcMs: number): CivilDate {
  const local = new Date(utcMs + zoneOffsetMs(timeZone, utcMs));
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/** The date `days` after `date` (negative: before). */
export function addDays(date: CivilDate, days: number): CivilDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The day of the week of a civil date, 0 for Monday to 6 for Sunday (ISO 8601 order). */
export function isoWeekday(date: CivilDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

/**
 * The instant at which the wall clock of `timeZone` reads `minuteOfDay` (0–1440) on `date`,
 * with the disambiguation of RFC 5545 and TC39 Temporal's `compatible`: a time that occurs
 * twice (clocks go back) is its first occurrence; a time that does not exist (clocks go
 * forward) is read with the offset before the change, so 02:30 on the night Paris moves to
 * summer time is 03:30 summer time.
 */
export function zonedInstant(timeZone: string, date: CivilDate, minuteOfDay: number): number {
  const wallClock = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  const offsetBefore = zoneOffsetMs(timeZone, wallClock - 86_400_000);
  const offsetAfter = zoneOffsetMs(timeZone, wallClock + 86_400_000);
  const candidates = [offsetBefore, offsetAfter]
    .map((offset) => wallClock - offset)
    .filter((instant) => instant + zoneOffsetMs(timeZone, instant) === wallClock);
  if (candidates.length > 0) return Math.min(...candidates);
  return wallClock - offsetBefore;
}
