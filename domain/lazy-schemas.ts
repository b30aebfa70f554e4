/**
 * Every schema of domain/ is built on its first use, not when its module loads: each is a
 * `z.lazy(() => …)`. The workflow bundle evaluates the domain's modules again for every run the
 * worker starts or replays (each workflow has its own module instances), and almost no run
 * parses anything: only the drafting workflow's edits and a plan amendment do. Built at load,
 * the schemas (thousands of zod objects) took most of a cached run's memory and of the module
 * evaluation an evicted run's replay pays, for nothing (README, Benchmarks: Memory). The
 * message catalogue's parameter schemas are builders for the same reason (messages.ts,
 * messageParamsSchema). A lazy schema parses, embeds and converts to JSON Schema like the one
 * it stands for; {@link builtSchema} reaches the built one for `.extend`, `.pick` or `.shape`.
 */
import type { z } from 'zod';

/**
 * The schema that a lazy one stands for, built on the first call and the same object afterwards,
 * so that derived schemas and the OpenAPI registry see one instance (zod's own `unwrap()` builds
 * it again at each call).
 */
export function builtSchema<T extends z.ZodType>(schema: z.ZodLazy<T>): T {
  return schema._zod.innerType;
}
