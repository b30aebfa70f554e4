/**
 * ISO 8601 durations (`P30D`, `PT1H`, `P1Y2M3W4DT5H6M7.5S`) as milliseconds.
 *
 * Calendar units have no fixed length, so this module fixes them the way a deadline reader
 * expects and says so: a year is 365 days, a month 30 days, a week 7 days, a day 24 hours.
 * Pure and deterministic: it runs inside Temporal's workflow sandbox as well as in the API.
 */

const MILLISECONDS_PER_SECOND = 1000;
const MILLISECONDS_PER_MINUTE = 60 * MILLISECONDS_PER_SECOND;
const MILLISECONDS_PER_HOUR = 60 * MILLISECONDS_PER_MINUTE;
const MILLISECONDS_PER_DAY = 24 * MILLISECONDS_PER_HOUR;
const MILLISECONDS_PER_WEEK = 7 * MILLISECONDS_PER_DAY;
const MILLISECONDS_PER_MONTH = 30 * MILLISECONDS_PER_DAY;
const MILLISECONDS_PER_YEAR = 365 * MILLISECONDS_PER_DAY;

/** Designators in the only order ISO 8601 allows; fractions only on seconds. */
const ISO_DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

const UNIT_MILLISECONDS = [
  MILLISECONDS_PER_YEAR,
  MILLISECONDS_PER_MONTH,
  MILLISECONDS_PER_WEEK,
  MILLISECONDS_PER_DAY,
  MILLISECONDS_PER_HOUR,
  MILLISECONDS_PER_MINUTE,
  MILLISECONDS_PER_SECOND,
] as const;

/**
 * Parses an ISO 8601 duration into whole milliseconds, or returns `undefined` when the text is
 * not one (empty `P` or `PT`, unknown designators, negative or lower-case forms, or a duration
 * too long to count exactly in milliseconds).
 */
export function tryParseIsoDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.length > 100) return undefined;
  const match = ISO_DURATION.exec(text);
  if (!match) return undefined;
  const components = match.slice(1);
  if (components.every((component) => component === undefined)) return undefined;
  // "P1DT" has a time designator with nothing after it: ISO 8601 forbids it, like a bare "PT".
  if (text.endsWith('T')) return undefined;

  let milliseconds = 0;
  components.forEach((component, unitIndex) => {
    if (component === undefined) return;
    milliseconds += Number(component.replace(',', '.')) * (UNIT_MILLISECONDS[unitIndex] ?? 0);
  });
  const rounded = Math.round(milliseconds);
  return Number.isSafeInteger(rounded) ? rounded : undefined;
}

/** Tells whether `text` is an ISO 8601 duration that {@link parseIsoDuration} accepts. */
export function isIsoDuration(text: unknown): text is string {
  return tryParseIsoDuration(text) !== undefined;
}

/**
 * Parses an ISO 8601 duration (`PnYnMnWnDTnHnMnS`, fractional seconds allowed) into whole
 * milliseconds; years count 365 days and months 30 days.
 *
 * @throws RangeError when `text` is not such a duration.
 */
export function parseIsoDuration(text: string): number {
  const milliseconds = tryParseIsoDuration(text);
  if (milliseconds === undefined) {
    throw new RangeError(`not an ISO 8601 duration: ${JSON.stringify(String(text).slice(0, 100))}`);
  }
  return milliseconds;
}

/**
 * Formats milliseconds as a canonical ISO 8601 duration in exact units only (days, hours,
 * minutes, seconds with up to three decimals): `P6D`, `P4DT4H48M`, `PT0.5S`, `PT0S`.
 *
 * @throws RangeError when `milliseconds` is negative or not finite.
 */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) {
    throw new RangeError(`cannot format ${milliseconds} ms as an ISO 8601 duration`);
  }
  let remaining = Math.round(milliseconds);
  const days = Math.floor(remaining / MILLISECONDS_PER_DAY);
  remaining -= days * MILLISECONDS_PER_DAY;
  const hours = Math.floor(remaining / MILLISECONDS_PER_HOUR);
  remaining -= hours * MILLISECONDS_PER_HOUR;
  const minutes = Math.floor(remaining / MILLISECONDS_PER_MINUTE);
  remaining -= minutes * MILLISECONDS_PER_MINUTE;
  const wholeSeconds = Math.floor(remaining / MILLISECONDS_PER_SECOND);
  const fraction = remaining - wholeSeconds * MILLISECONDS_PER_SECOND;

  const datePart = days > 0 ? `${days}D` : '';
  let timePart = '';
  if (hours > 0) timePart += `${hours}H`;
  if (minutes > 0) timePart += `${minutes}M`;
  if (wholeSeconds > 0 || fraction > 0) {
    const fractionText = fraction > 0 ? `.${String(fraction).padStart(3, '0').replace(/0+$/, '')}` : '';
    timePart += `${wholeSeconds}${fractionText}S`;
  }
  if (datePart === '' && timePart === '') return 'PT0S';
  return `P${datePart}${timePart === '' ? '' : `T${timePart}`}`;
}
