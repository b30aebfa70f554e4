/**
 * `npx tsx bench/profile.ts <dir> [benchmark]`: summarises the CPU profiles that
 * BENCH_CPU_PROF_DIR=<dir> left (`BENCH_CPU_PROF_DIR=/tmp/prof npm run bench -- smoke` profiles
 * the throughput and read cases: our worker, the baseline's, sim-cloud, the API, and each one's
 * worker threads, the workflow thread first) into bench/results/profile.json, then rewrites
 * bench/RESULTS.md: each process's or thread's CPU time by where it goes, and its top functions.
 * `benchmark` names the benchmark profiled (smoke when absent).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeResultsFile } from './report';
import { BENCHMARKS } from './support/benchmarks';
import { describeMachine } from './support/machine';
import { writeResult } from './support/result';
import { round } from './support/stats';
import { ensureTemporalCli } from '../scripts/lib/temporal-cli';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: an npm package, a folder of the project, Node itself, or V8's pseudo-frames. */
export function categoryOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'native';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const project = url.replace(/^file:\/\//, '').split('/');
  for (const folder of ['workflows', 'activities', 'api', 'sim-cloud', 'domain', 'codec', 'config', 'worker', 'provider', 'use-cases', 'bench']) {
    if (project.includes(folder)) return `project: ${folder}/`;
  }
  return url.includes('workflow-bundle') ? 'project: workflow bundle' : 'other';
}

/** The process (or thread) a profile file is of: `worker-0.<time>.cpuprofile` and `worker-0-thread-2.<segment>.cpuprofile` (thread-profiler.mjs). */
export function profiledOf(file: string): string {
  return path.basename(file).split('.')[0]!;
}

/** One process's or thread's CPU time, from its profile files (a thread's come in segments). */
function summarise(files: string[]) {
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let busyUs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
    for (const [id, us] of selfUs) {
      const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
      if (functionName === '(idle)') continue;
      busyUs += us;
      const category = categoryOf(url, functionName);
      categories.set(category, (categories.get(category) ?? 0) + us);
      const label = `${functionName || '(anonymous)'} ${url ? `${category === 'project: workflow bundle' ? 'workflow-bundle.js' : path.basename(url)}:${lineNumber + 1}` : ''}`.trim();
      functions.set(label, (functions.get(label) ?? 0) + us);
    }
  }
  const top = (entries: Map<string, number>, count: number) =>
    [...entries].sort((left, right) => right[1] - left[1]).slice(0, count).map(([name, us]) => `${name} ${round((us / busyUs) * 100)} %`);
  return { process: profiledOf(files[0]!), busySeconds: round(busyUs / 1e6, 2), categories: top(categories, 6), functions: top(functions, 6) };
}

async function main(directory: string | undefined, benchmark = 'smoke'): Promise<void> {
  if (!directory) throw new Error('Name the folder of the .cpuprofile files: npx tsx bench/profile.ts <dir> [benchmark].');
  const known = ['smoke', ...BENCHMARKS.map((candidate) => candidate.name)];
  if (!known.includes(benchmark)) throw new Error(`Unknown benchmark "${benchmark}": name the one that left the profiles, among ${known.join(', ')}.`);
  const files = readdirSync(directory).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`${directory} holds no .cpuprofile file: run a benchmark with BENCH_CPU_PROF_DIR=${directory} first.`);
  const byProcess = new Map<string, string[]>();
  for (const file of files) {
    const profiled = profiledOf(file);
    const group = byProcess.get(profiled);
    if (group) group.push(file);
    else byProcess.set(profiled, [file]);
  }
  const summaries = [...byProcess.values()].map((group) => summarise(group.map((file) => path.join(directory, file)))).sort((left, right) => right.busySeconds - left.busySeconds);
  const cli = await ensureTemporalCli();
  writeResult({
    benchmark: 'profile',
    title: `Where the CPU goes: profiles of the ${benchmark} benchmark`,
    measuredAt: new Date().toISOString(),
    durationSeconds: 0,
    machine: describeMachine(cli),
    parameters: { command: `BENCH_CPU_PROF_DIR=dir npm run bench -- ${benchmark}, then npx tsx bench/profile.ts dir ${benchmark}`, processes: summaries.length },
    table: {
      columns: ['process', 'CPU busy (s)', 'where the time goes (self time by package or folder)', 'top functions (self time)'],
      rows: summaries.map((summary) => [summary.process, summary.busySeconds, summary.categories.join('; '), summary.functions.join('; ')]),
    },
    findings: [],
    data: summaries,
  });
  writeResultsFile();
  process.stdout.write(`${summaries.map((summary) => `${summary.process}: ${summary.busySeconds} s\n  ${summary.categories.join('\n  ')}\n  ${summary.functions.join('\n  ')}`).join('\n')}\n`);
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
