import {
  checkCutoverWindows,
  classifyPlan,
  type CutoverWindowRule,
  nextCutoverWindow,
  switchoverEstimateMs,
  validatePlan,
  type ValidationIssue,
  windowIntervals,
  windowRuleForWave,
  zonedInstant,
} from '../../domain';
import { plan, planInput, workload } from './support/plans';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

const nights: CutoverWindowRule = {
  timeZone: 'Europe/Paris',
  weekly: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], start: '22:00', end: '06:00' }],
};

function intervalsOn(rule: CutoverWindowRule, fromIso: string, toIso: string) {
  return windowIntervals(rule, at(fromIso), at(toIso)).map((window) => ({ opensAt: iso(window.opensAt), closesAt: iso(window.closesAt), hours: (window.closesAt - window.opensAt) / HOUR }));
}

function errorsOf(input: unknown): ValidationIssue[] {
  const result = validatePlan(input);
  if (result.ok) throw new Error('expected the plan to be rejected');
  return result.errors;
}

describe('wall-clock times in Europe/Paris', () => {
  it('reads a time that does not exist (clocks go forward) with the offset before the change', () => {
    expect(iso(zonedInstant('Europe/Paris', { year: 2027, month: 3, day: 28 }, 2 * 60 + 30))).toBe('2027-03-28T01:30:00.000Z');
  });

  it('reads a time that occurs twice (clocks go back) as its first occurrence', () => {
    expect(iso(zonedInstant('Europe/Paris', { year: 2027, month: 10, day: 31 }, 2 * 60 + 30))).toBe('2027-10-31T00:30:00.000Z');
  });
});

describe('windowIntervals', () => {
  it('gives a night crossing midnight in winter time', () => {
    expect(intervalsOn(nights, '2027-01-13T12:00:00Z', '2027-01-14T12:00:00Z')).toEqual([
      { opensAt: '2027-01-13T21:00:00.000Z', closesAt: '2027-01-14T05:00:00.000Z', hours: 8 },
    ]);
  });

  it('shortens the night the clocks go forward to seven hours (Europe/Paris, 28 March 2027)', () => {
    expect(intervalsOn(nights, '2027-03-27T12:00:00Z', '2027-03-28T12:00:00Z')).toEqual([
      { opensAt: '2027-03-27T21:00:00.000Z', closesAt: '2027-03-28T04:00:00.000Z', hours: 7 },
    ]);
  });

  it('lengthens the night the clocks go back to nine hours (Europe/Paris, 31 October 2027)', () => {
    expect(intervalsOn(nights, '2027-10-30T12:00:00Z', '2027-10-31T12:00:00Z')).toEqual([
      { opensAt: '2027-10-30T20:00:00.000Z', closesAt: '2027-10-31T05:00:00.000Z', hours: 9 },
    ]);
  });

  it('gives half an hour to a slot 02:30–04:00 on the night 02:00–03:00 does not exist', () => {
    const rule: CutoverWindowRule = { timeZone: 'Europe/Paris', weekly: [{ days: ['SUN'], start: '02:30', end: '04:00' }] };
    expect(intervalsOn(rule, '2027-03-27T00:00:00Z', '2027-03-29T00:00:00Z')).toEqual([
      { opensAt: '2027-03-28T01:30:00.000Z', closesAt: '2027-03-28T02:00:00.000Z', hours: 0.5 },
    ]);
  });

  it('gives two hours to a slot 02:30–03:30 on the night 02:00–03:00 happens twice', () => {
    const rule: CutoverWindowRule = { timeZone: 'Europe/Paris', weekly: [{ days: ['SUN'], start: '02:30', end: '03:30' }] };
    expect(intervalsOn(rule, '2027-10-30T00:00:00Z', '2027-11-01T00:00:00Z')).toEqual([
      { opensAt: '2027-10-31T00:30:00.000Z', closesAt: '2027-10-31T02:30:00.000Z', hours: 2 },
    ]);
  });

  it('merges a weekend of two whole days into one window of 48 hours', () => {
    const weekend: CutoverWindowRule = { timeZone: 'Europe/Paris', weekly: [{ days: ['SAT'], start: '00:00', end: '24:00' }, { days: ['SUN'], start: '00:00', end: '24:00' }] };
    expect(intervalsOn(weekend, '2027-01-06T00:00:00Z', '2027-01-13T00:00:00Z')).toEqual([
      { opensAt: '2027-01-08T23:00:00.000Z', closesAt: '2027-01-10T23:00:00.000Z', hours: 48 },
    ]);
  });

  it('keeps weekly slots inside the rule’s start and end', () => {
    const bounded: CutoverWindowRule = { ...nights, start: '2027-01-14T00:00:00Z', end: '2027-01-15T03:00:00Z' };
    expect(intervalsOn(bounded, '2027-01-12T00:00:00Z', '2027-01-20T00:00:00Z')).toEqual([
      { opensAt: '2027-01-14T00:00:00.000Z', closesAt: '2027-01-14T05:00:00.000Z', hours: 5 },
      { opensAt: '2027-01-14T21:00:00.000Z', closesAt: '2027-01-15T03:00:00.000Z', hours: 6 },
    ]);
  });
});

describe('nextCutoverWindow', () => {
  it('waits for tonight when called at noon', () => {
    expect(nextCutoverWindow({ rule: nights, nowMs: at('2027-01-13T11:00:00Z'), durationMs: 2 * HOUR })).toEqual({
      opensAt: '2027-01-13T21:00:00.000Z',
      closesAt: '2027-01-14T05:00:00.000Z',
      exceptional: false,
    });
  });

  it('lets a wave start at once inside a window that still holds its switchover', () => {
    const next = nextCutoverWindow({ rule: nights, nowMs: at('2027-01-14T02:00:00Z'), durationMs: 2 * HOUR });
    expect(next?.opensAt).toBe('2027-01-13T21:00:00.000Z');
  });

  it('skips what is left of a window too short for the switchover, to the next night', () => {
    const next = nextCutoverWindow({ rule: nights, nowMs: at('2027-01-14T04:00:00Z'), durationMs: 2 * HOUR });
    expect(next?.opensAt).toBe('2027-01-14T21:00:00.000Z');
  });

  it('skips the short spring-forward night for a switchover of seven and a half hours', () => {
    const next = nextCutoverWindow({ rule: nights, nowMs: at('2027-03-27T12:00:00Z'), durationMs: 7.5 * HOUR });
    expect(next).toEqual({ opensAt: '2027-03-28T20:00:00.000Z', closesAt: '2027-03-29T04:00:00.000Z', exceptional: false });
  });

  it('uses the long fall-back night for a switchover of eight and a half hours, and no other', () => {
    const next = nextCutoverWindow({ rule: nights, nowMs: at('2027-10-25T12:00:00Z'), durationMs: 8.5 * HOUR });
    expect(next).toEqual({ opensAt: '2027-10-30T20:00:00.000Z', closesAt: '2027-10-31T05:00:00.000Z', exceptional: false });
  });

  it('answers the one window of a plan without weekly slots, and nothing once it has passed', () => {
    const once: CutoverWindowRule = { start: '2027-03-06T22:00:00Z', end: '2027-03-07T05:00:00Z' };
    expect(nextCutoverWindow({ rule: once, nowMs: at('2027-03-01T00:00:00Z'), durationMs: HOUR })?.opensAt).toBe('2027-03-06T22:00:00.000Z');
    expect(nextCutoverWindow({ rule: once, nowMs: at('2027-03-07T04:30:00Z'), durationMs: HOUR })).toBeUndefined();
  });

  it('finds a window of a rule that starts months ahead', () => {
    const later: CutoverWindowRule = { ...nights, start: '2027-06-01T00:00:00Z' };
    expect(nextCutoverWindow({ rule: later, nowMs: at('2027-01-01T00:00:00Z'), durationMs: HOUR })?.opensAt).toBe('2027-06-01T00:00:00.000Z');
  });

  it('opens at once with an exceptional window, and joins it to a regular window it touches', () => {
    const nowMs = at('2027-01-13T11:00:00Z');
    const exceptional = [{ opensAt: '2027-01-13T11:00:00Z', closesAt: '2027-01-13T21:00:00Z' }];
    expect(nextCutoverWindow({ rule: nights, nowMs, durationMs: 2 * HOUR, exceptional })).toEqual({
      opensAt: '2027-01-13T11:00:00.000Z',
      closesAt: '2027-01-14T05:00:00.000Z',
      exceptional: true,
    });
    const once: CutoverWindowRule = { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' };
    expect(nextCutoverWindow({ rule: once, nowMs, durationMs: 2 * HOUR })).toBeUndefined();
    expect(nextCutoverWindow({ rule: once, nowMs, durationMs: 2 * HOUR, exceptional })?.exceptional).toBe(true);
  });
});

describe('switchover estimates and per-wave rules', () => {
  it('adds the longest final sync (2 % of the data) to half an hour of fixed steps', () => {
    // 2 % of 22,500 GB is 450 GB: 3,600 s at 1,000 Mbit/s.
    expect(switchoverEstimateMs([{ sizeGb: 100 }, { sizeGb: 22_500 }], 1000)).toBe(30 * 60_000 + HOUR);
    expect(switchoverEstimateMs([{ sizeGb: 22_500 }], 1000, 'PT4H')).toBe(4 * HOUR);
  });

  it('gives a wave its own rule, in the plan’s time zone unless it names one', () => {
    const window = { ...nights, waves: { 'wave-2': { weekly: [{ days: ['SAT' as const], start: '08:00', end: '20:00' }] } } };
    expect(windowRuleForWave(window, 'wave-2')).toEqual({ timeZone: 'Europe/Paris', weekly: [{ days: ['SAT'], start: '08:00', end: '20:00' }] });
    expect(windowRuleForWave(window, 'wave-1')).toEqual({ ...nights, start: undefined, end: undefined });
  });

  it('names a window too short for a wave and a wave the plan does not have', () => {
    const estate = plan([workload('big', { sizeGb: 90_000 }), workload('app', { dependsOn: ['big'] })], 'PRIVATE', {
      cutoverWindow: {
        timeZone: 'Europe/Paris',
        weekly: [{ days: ['SAT'], start: '22:00', end: '02:00' }],
        waves: { 'wave-2': { weekly: [{ days: ['SUN'], start: '00:00', end: '24:00' }] }, 'wave-7': { start: '2027-01-01T00:00:00Z', end: '2027-01-02T00:00:00Z' } },
      },
    });
    expect(checkCutoverWindows(estate, classifyPlan(estate), at('2027-01-01T00:00:00Z'))).toEqual([
      { path: 'cutoverWindow.waves["wave-7"]', message: 'names no wave of this plan, which has 2 (wave-1 to wave-2)' },
      { path: 'cutoverWindow', message: "is shorter than wave-1's switchover: its longest window lasts PT4H, and the freeze → switch sequence of wave-1 is expected to take PT4H30M" },
    ]);
  });
});

describe('validatePlan on cutover windows', () => {
  const withWindow = (cutoverWindow: unknown) => planInput([workload('web')], 'PRIVATE', { cutoverWindow } as never);

  it('accepts a hospital’s nights and a ministry’s weekend', () => {
    expect(validatePlan(withWindow(nights)).ok).toBe(true);
    expect(validatePlan(withWindow({ timeZone: 'America/Cayenne', weekly: [{ days: ['SAT', 'SUN'], start: '00:00', end: '24:00' }], switchoverDuration: 'PT6H' })).ok).toBe(true);
  });

  it('refuses an unknown time zone by name', () => {
    expect(errorsOf(withWindow({ ...nights, timeZone: 'Europe/Atlantis' }))).toEqual([
      { path: 'cutoverWindow.timeZone', message: 'must be an IANA time zone such as Europe/Paris, not "Europe/Atlantis"' },
    ]);
  });

  it('refuses an empty window, weekly slots without a time zone and a slot that ends when it starts', () => {
    expect(errorsOf(withWindow({}))).toEqual([{ path: 'cutoverWindow', message: 'is an empty window: give weekly slots (with a timeZone), or a start and an end' }]);
    expect(errorsOf(withWindow({ weekly: nights.weekly }))).toEqual([
      { path: 'cutoverWindow.timeZone', message: 'is required with weekly slots: their times are local to the customer' },
    ]);
    expect(errorsOf(withWindow({ timeZone: 'Europe/Paris', weekly: [{ days: ['MON'], start: '22:00', end: '22:00' }] }))).toEqual([
      { path: 'cutoverWindow.weekly[0].end', message: 'makes an empty slot: start and end are both 22:00 (a whole day is 00:00 to 24:00)' },
    ]);
    expect(errorsOf(withWindow({ timeZone: 'Europe/Paris', weekly: [{ days: [], start: '25:00', end: '06:00' }] }))).toEqual([
      { path: 'cutoverWindow.weekly[0].days', message: 'must list at least one day (MON … SUN)' },
      { path: 'cutoverWindow.weekly[0].start', message: 'must be a local time HH:MM from 00:00 to 24:00, such as 22:00' },
    ]);
  });

  it('refuses a window under a name that is no wave id, and half an absolute window', () => {
    expect(errorsOf(withWindow({ ...nights, waves: { second: { start: '2027-01-01T00:00:00Z' } } }))).toEqual([
      { path: 'cutoverWindow.waves.second', message: 'must be a wave id such as wave-2, not "second"' },
    ]);
    expect(errorsOf(withWindow({ ...nights, waves: { 'wave-2': { start: '2027-01-01T00:00:00Z' } } }))).toEqual([
      { path: 'cutoverWindow.waves["wave-2"].end', message: 'is required for a window without weekly slots' },
    ]);
  });
});
