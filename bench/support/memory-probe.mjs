// Preloaded into a benchmarked worker (NODE_OPTIONS=--import): answers the lab's IPC message
// {type: 'memory-probe'} with the V8 heaps of the main thread and of each worker thread (the
// SDK's workflow thread), which write theirs to MEMORY_PROBE_FILE.thread<id> every second.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';

const MiB = 1024 * 1024;
function heapOf() {
  const { heapTotal, heapUsed, external } = process.memoryUsage();
  return { heapTotalMiB: heapTotal / MiB, heapUsedMiB: heapUsed / MiB, externalMiB: external / MiB };
}

const file = process.env.MEMORY_PROBE_FILE;
if (file && !isMainThread) {
  setInterval(() => {
    fs.writeFileSync(`${file}.tmp${threadId}`, JSON.stringify(heapOf()));
    fs.renameSync(`${file}.tmp${threadId}`, `${file}.thread${threadId}`);
  }, 1000).unref();
} else if (file) {
  process.on('message', (message) => {
    if (message?.type !== 'memory-probe') return;
    const directory = path.dirname(file);
    const threads = fs
      .readdirSync(directory)
      .filter((name) => name.startsWith(`${path.basename(file)}.thread`))
      .map((name) => JSON.parse(fs.readFileSync(path.join(directory, name), 'utf8')));
    process.send?.({ type: 'memory-probe', main: heapOf(), threads, modules: Object.keys(createRequire(import.meta.url).cache).length });
  });
}
