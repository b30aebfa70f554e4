import { rmSync } from 'node:fs';

/** Stops the dev server that global setup started (none when TEMPORAL_ADDRESS was given). */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __temporalDevServer?: { stop(): Promise<void> } }).__temporalDevServer;
  await server?.stop();
  if (process.env.PASSERELLE_TEST_WORKFLOW_BUNDLE) rmSync(process.env.PASSERELLE_TEST_WORKFLOW_BUNDLE, { force: true });
}
