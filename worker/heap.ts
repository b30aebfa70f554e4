import v8 from 'node:v8';

/**
 * How far V8 lets a heap grow past what survived its last full collection before collecting
 * again, in percent. V8's own factor goes up to 4× when a heap has room (and Node gives every
 * isolate, the SDK's workflow thread included, a quarter of the machine's memory as room): the
 * workflow isolate then kept 100-170 MiB of garbage besides its 40-60 MiB of live objects, and
 * the main one about 40. 20 % holds a worker with 1,000 waiting runs to some 370-385 MiB
 * (bench/RESULTS.md, `memory`), with no ceiling that a large run could hit.
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Sets V8's heap growing factor for the whole process (its flags are process-wide): the main
 * isolate from its next collection, and the SDK's workflow thread, which Worker.create starts
 * after this call.
 */
export function limitHeapGrowth(percent: number = HEAP_GROWING_PERCENT): void {
  if (!(Number.isInteger(percent) && percent > 0)) throw new Error(`A heap growing percentage must be a positive whole number, not ${percent}.`);
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
