import { describeLocation, type ImportLocation } from './location';

/** One reason why an import was refused, and where. */
export interface ImportProblem extends ImportLocation {
  message: string;
}

/**
 * The import was refused as a whole: nothing of it is kept. Carries every problem found (up
 * to the import's `maxProblems`), each naming file, sheet, line and column.
 */
export class DiscoveryImportError extends Error {
  override readonly name = 'DiscoveryImportError';
  readonly problems: readonly ImportProblem[];

  constructor(problems: readonly ImportProblem[]) {
    const first = problems[0];
    const summary = first === undefined ? 'the import was refused' : `${describeLocation(first)}: ${first.message}`;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length === 2 ? '' : 's'})` : '';
    super(`${summary}${more}`);
    this.problems = problems;
  }
}

/** Collects problems up to a bound, then throws them together. */
export class ProblemCollector {
  private readonly problems: ImportProblem[] = [];
  private dropped = 0;

  constructor(private readonly maxProblems: number) {}

  add(problem: ImportProblem): void {
    if (this.problems.length < this.maxProblems) this.problems.push(problem);
    else this.dropped += 1;
  }

  get count(): number {
    return this.problems.length + this.dropped;
  }

  /** Throws every problem collected so far, if any. */
  throwIfAny(): void {
    if (this.problems.length === 0) return;
    const problems = [...this.problems];
    if (this.dropped > 0) {
      const last = problems[problems.length - 1];
      problems.push({ file: last?.file ?? '', message: `${this.dropped} more problem${this.dropped === 1 ? '' : 's'} not listed` });
    }
    throw new DiscoveryImportError(problems);
  }

  /** Whether the bound is reached: parsers stop reading, since the import is refused anyway. */
  get full(): boolean {
    return this.problems.length >= this.maxProblems;
  }
}
