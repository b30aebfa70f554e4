/**
 * The regression guard's decision (`npm run bench -- smoke`): each measured ratio against its
 * goal from issue 12. A ratio fails when it is worse than `tolerance` times its goal: the smoke
 * benchmark is small and runs on a shared machine, so it catches a regression (a ratio doubling),
 * not a miss of the goal by a few per cent, which the full benchmarks measure.
 */

/** One ratio ours / raw (lower is better) and the goal it is held to. */
export interface SmokeCheck {
  name: string;
  goal: number;
  ratio: number;
}

export interface SmokeVerdict {
  passed: boolean;
  /** Each check with its limit and whether it held, in the order given. */
  results: (SmokeCheck & { limit: number; ok: boolean })[];
  /** One line per check, for people: `ok   throughput 1.31× (goal ≤ 1.25×, fails above 2.5×)`. */
  lines: string[];
}

/** How many times its goal a ratio may reach before the smoke benchmark fails. */
export const SMOKE_TOLERANCE = 2;

function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value * 100) / 100}×` : String(value);
}

/** The verdict on `checks`: failed when any ratio exceeds tolerance × its goal, or is not a finite positive number. */
export function smokeVerdict(checks: readonly SmokeCheck[], tolerance = SMOKE_TOLERANCE): SmokeVerdict {
  if (!(Number.isFinite(tolerance) && tolerance >= 1)) throw new Error(`The smoke tolerance must be a number of at least 1, not ${tolerance}.`);
  if (checks.length === 0) throw new Error('The smoke benchmark measured no ratio: nothing to decide on.');
  const results = checks.map((check) => {
    if (!(Number.isFinite(check.goal) && check.goal > 0)) throw new Error(`The goal of "${check.name}" must be a positive number, not ${check.goal}.`);
    const limit = Math.round(check.goal * tolerance * 1000) / 1000;
    // A ratio that is not a positive number (NaN from no sample, Infinity from a zero baseline) is a failure, never a pass.
    const ok = Number.isFinite(check.ratio) && check.ratio > 0 && check.ratio <= limit;
    return { ...check, limit, ok };
  });
  const lines = results.map((result) => `${result.ok ? 'ok  ' : 'FAIL'} ${result.name}: ${formatRatio(result.ratio)} (goal ≤ ${formatRatio(result.goal)}, fails above ${formatRatio(result.limit)})`);
  return { passed: results.every((result) => result.ok), results, lines };
}

/**
 * The checks of a case measured twice: each ratio the better (lower) of its two measurements, so
 * that a check fails only when both failed. Both lists name the same checks in the same order.
 */
export function confirmed(first: readonly SmokeCheck[], second: readonly SmokeCheck[]): SmokeCheck[] {
  if (first.length !== second.length || first.some((check, index) => check.name !== second[index]?.name)) {
    throw new Error(`The two measurements name different checks: ${first.map((check) => check.name).join(', ')} against ${second.map((check) => check.name).join(', ')}.`);
  }
  return first.map((check, index) => {
    const again = second[index]!.ratio;
    const usable = (ratio: number) => Number.isFinite(ratio) && ratio > 0;
    const ratio = usable(check.ratio) && usable(again) ? Math.min(check.ratio, again) : usable(again) ? again : check.ratio;
    return { ...check, ratio };
  });
}
