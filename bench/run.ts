/**
 * `npm run bench` runs every benchmark; `npm run bench -- throughput memory` runs those named.
 * Each writes bench/results/<name>.json; bench/RESULTS.md is then rewritten from all results.
 * Benchmarks start their own Temporal dev server and processes, on loopback, and stop them.
 * `npm run bench -- smoke [--summary file.json]` is the regression guard instead: the throughput
 * and read cases small, their ratios printed, exit code 1 when one is worse than twice its goal;
 * it writes no result (its figures are too small a sample for RESULTS.md).
 */
import { writeResultsFile } from './report';
import { runSmoke, writeSmokeSummary } from './smoke';
import { BENCHMARKS } from './support/benchmarks';
import { describeMachine } from './support/machine';
import { writeResult } from './support/result';
import { ensureTemporalCli } from '../scripts/lib/temporal-cli';

/** The regression guard; resolves to the process's exit code. */
async function smoke(args: string[]): Promise<number> {
  const summaryAt = args.indexOf('--summary');
  const summaryFile = summaryAt === -1 ? undefined : args[summaryAt + 1];
  const rest = args.filter((_, index) => index !== summaryAt && index !== summaryAt + 1);
  if ((summaryAt !== -1 && !summaryFile) || rest.length > 0) {
    throw new Error(`smoke takes only --summary <file>, not "${rest.join(' ') || '--summary without a file'}".`);
  }
  process.stdout.write('smoke: running the throughput and read cases, small…\n');
  const started = performance.now();
  const verdict = await runSmoke();
  process.stdout.write(`${verdict.lines.map((line) => `  ${line}`).join('\n')}\n`);
  if (summaryFile) writeSmokeSummary(summaryFile, verdict);
  process.stdout.write(`smoke: ${verdict.passed ? 'every ratio within twice its goal' : 'a ratio is worse than twice its goal'} (${Math.round((performance.now() - started) / 1000)} s)\n`);
  return verdict.passed ? 0 : 1;
}

async function main(names: string[]): Promise<number> {
  if (names[0] === 'smoke') return await smoke(names.slice(1));
  const unknown = names.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    throw new Error(`Unknown benchmark ${unknown.join(', ')}; choose among ${BENCHMARKS.map((benchmark) => benchmark.name).join(', ')}.`);
  }
  const selected = names.length > 0 ? BENCHMARKS.filter((benchmark) => names.includes(benchmark.name)) : BENCHMARKS;
  const cli = await ensureTemporalCli();
  for (const benchmark of selected) {
    process.stdout.write(`${benchmark.name}: running…\n`);
    const machine = describeMachine(cli);
    const measuredAt = new Date().toISOString();
    const started = performance.now();
    const measurement = await benchmark.measure();
    const file = writeResult(
      {
        benchmark: benchmark.name,
        title: benchmark.title,
        measuredAt,
        durationSeconds: Math.round((performance.now() - started) / 1000),
        machine,
        ...measurement,
      },
      benchmark.resultName,
    );
    process.stdout.write(`${benchmark.name}: ${measurement.findings.join(' ')}\n  → ${file}\n`);
    writeResultsFile();
  }
  process.stdout.write('bench/RESULTS.md rewritten.\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
