import fc from 'fast-check';
import { formatDuration, isIsoDuration, parseIsoDuration, tryParseIsoDuration } from '../../domain';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

describe('parseIsoDuration', () => {
  it.each([
    ['P30D', 30 * DAY],
    ['PT1H', HOUR],
    ['P1W', 7 * DAY],
    ['P1Y', 365 * DAY],
    ['P1M', 30 * DAY],
    ['PT1M', 60 * SECOND],
    ['PT0.5S', 500],
    ['PT1,25S', 1250],
    ['P0D', 0],
    ['P1DT12H', DAY + 12 * HOUR],
    ['P1Y2M3W4DT5H6M7.5S', 365 * DAY + 60 * DAY + 21 * DAY + 4 * DAY + 5 * HOUR + 6 * 60 * SECOND + 7500],
  ])('reads %s as %d milliseconds', (text, expected) => {
    expect(parseIsoDuration(text)).toBe(expected);
  });

  const malformed = ['', 'P', 'PT', 'P1DT', '1D', 'p1d', 'P1d', '-P1D', 'P1.5D', 'PT1H30', 'P1S', 'P1H', 'PT1D', 'P1D ', ' P1D', 'P1M1Y'];
  it.each([...malformed, `P${'9'.repeat(30)}D`])(
    'rejects %j',
    (text) => {
      expect(tryParseIsoDuration(text)).toBeUndefined();
      expect(isIsoDuration(text)).toBe(false);
      expect(() => parseIsoDuration(text)).toThrow(RangeError);
    },
  );

  it('rejects values that are not strings without throwing', () => {
    for (const value of [null, undefined, 30, {}, [], true]) expect(tryParseIsoDuration(value)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, 'PT0S'],
    [500, 'PT0.5S'],
    [1, 'PT0.001S'],
    [90 * SECOND, 'PT1M30S'],
    [HOUR, 'PT1H'],
    [6 * DAY, 'P6D'],
    [(21 * DAY) / 5, 'P4DT4H48M'],
    [DAY + 1, 'P1DT0.001S'],
  ])('formats %d milliseconds as %s', (milliseconds, expected) => {
    expect(formatDuration(milliseconds)).toBe(expected);
  });

  it('refuses negative and infinite durations', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });

  it('round-trips through parseIsoDuration for any whole number of milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), (milliseconds) => {
        expect(parseIsoDuration(formatDuration(milliseconds))).toBe(milliseconds);
      }),
      { numRuns: 200 },
    );
  });
});
