// Profiles the worker threads of a process the benchmark lab starts, above all the SDK's
// workflow thread, where every workflow of a worker runs: `--cpu-prof` profiles only the main
// thread, and the SDK ends its workflow thread without the exit that would write a profile.
// The lab preloads it (`--import`) when BENCH_CPU_PROF_DIR is set (bench/support/lab.ts); every
// 5 s it writes the thread's profile since the last one as
// `<process>-thread-<id>.<n>.cpuprofile` (12 files a minute per thread, each the size of its
// 5 s), and bench/profile.ts adds a thread's files up.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';

const directory = process.env.BENCH_THREAD_PROF_DIR;
const processName = process.env.BENCH_THREAD_PROF_NAME || String(process.pid);
const SEGMENT_MS = 5_000;
const SAMPLING_INTERVAL_US = 200;

if (!isMainThread && directory) {
  const session = new Session();
  session.connect();
  let segment = 0;
  session.post('Profiler.enable', () => {
    session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US }, () => session.post('Profiler.start'));
  });
  setInterval(() => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) {
        writeFileSync(path.join(directory, `${processName}-thread-${threadId}.${String(segment).padStart(4, '0')}.cpuprofile`), JSON.stringify(result.profile));
        segment += 1;
      }
      session.post('Profiler.start');
    });
  }, SEGMENT_MS).unref();
}
