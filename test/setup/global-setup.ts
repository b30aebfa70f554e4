import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PRECISE_TIMERS, startTemporalDevServer } from '../../scripts/lib/dev-server';
import { findFreePort } from '../../scripts/lib/processes';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/worker';

/**
 * One ephemeral Temporal dev server per test run, from the pinned CLI, on a free loopback
 * port (or the server that TEMPORAL_ADDRESS names), and one workflow bundle that every test
 * worker loads. Test processes find both through environment variables, which they inherit.
 */
export default async function globalSetup(): Promise<void> {
  const bundling = bundleWorkflowCode({
    ...WORKFLOW_BUNDLE_OPTIONS,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (message) => process.stderr.write(`${message}\n`) },
  });
  if (!process.env.TEMPORAL_ADDRESS) {
    const cli = await ensureTemporalCli();
    const port = await findFreePort();
    const server = await startTemporalDevServer({ cli, host: '127.0.0.1', port, uiPort: port + 1000, headless: true, dynamicConfig: PRECISE_TIMERS });
    (globalThis as { __temporalDevServer?: typeof server }).__temporalDevServer = server;
    process.env.TEMPORAL_ADDRESS = server.address;
  }
  const bundlePath = path.join(os.tmpdir(), `passerelle-test-workflows-${process.pid}.js`);
  writeFileSync(bundlePath, (await bundling).code);
  process.env.PASSERELLE_TEST_WORKFLOW_BUNDLE = bundlePath;
}
