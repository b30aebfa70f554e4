import { SMOKE_GOALS } from '../../bench/smoke';
import { confirmed, SMOKE_TOLERANCE, smokeVerdict } from '../../bench/support/smoke-verdict';

describe('the smoke benchmark verdict', () => {
  it('passes ratios up to twice their goal, the limit included', () => {
    const verdict = smokeVerdict([
      { name: 'throughput', goal: 1.25, ratio: 1.9 },
      { name: 'status p50', goal: 1.1, ratio: 2.2 },
    ]);
    expect(verdict.passed).toBe(true);
    expect(verdict.results.map((result) => result.limit)).toEqual([2.5, 2.2]);
    expect(verdict.lines[0]).toBe('ok   throughput: 1.9× (goal ≤ 1.25×, fails above 2.5×)');
  });

  it('fails when one ratio is worse than twice its goal, and names it', () => {
    const verdict = smokeVerdict([
      { name: 'throughput', goal: 1.25, ratio: 1.3 },
      { name: 'list p99', goal: 1.2, ratio: 2.41 },
    ]);
    expect(verdict.passed).toBe(false);
    expect(verdict.results.map((result) => result.ok)).toEqual([true, false]);
    expect(verdict.lines[1]).toBe('FAIL list p99: 2.41× (goal ≤ 1.2×, fails above 2.4×)');
  });

  it('fails a ratio that is not a positive number rather than passing it', () => {
    for (const ratio of [Number.NaN, Number.POSITIVE_INFINITY, 0, -1]) {
      expect(smokeVerdict([{ name: 'status p99', goal: 1.2, ratio }]).passed).toBe(false);
    }
  });

  it('refuses to decide on no ratio, a goal that is not positive or a tolerance below 1', () => {
    expect(() => smokeVerdict([])).toThrow('measured no ratio');
    expect(() => smokeVerdict([{ name: 'throughput', goal: 0, ratio: 1 }])).toThrow('The goal of "throughput" must be a positive number, not 0.');
    expect(() => smokeVerdict([{ name: 'throughput', goal: 1.25, ratio: 1 }], 0.5)).toThrow('at least 1');
  });

  it('holds the goals of issue 12 to twice their value', () => {
    expect(SMOKE_TOLERANCE).toBe(2);
    expect(SMOKE_GOALS).toEqual({ throughput: 1.25, statusP50: 1.1, statusP99: 1.2, listP99: 1.2 });
  });

  it('fails a case measured again only when both measurements failed', () => {
    const burst = [{ name: 'throughput', goal: 1.25, ratio: 3.1 }];
    expect(smokeVerdict(confirmed(burst, [{ name: 'throughput', goal: 1.25, ratio: 1.4 }])).passed).toBe(true);
    expect(smokeVerdict(confirmed(burst, [{ name: 'throughput', goal: 1.25, ratio: 2.6 }])).passed).toBe(false);
    expect(confirmed(burst, [{ name: 'throughput', goal: 1.25, ratio: 2.6 }])[0]!.ratio).toBe(2.6);
    expect(smokeVerdict(confirmed(burst, [{ name: 'throughput', goal: 1.25, ratio: Number.NaN }])).passed).toBe(false);
    expect(() => confirmed(burst, [{ name: 'status p50', goal: 1.1, ratio: 1 }])).toThrow('name different checks');
  });
});
