import { startTemporalDevServer } from '../../scripts/lib/dev-server';
import { findFreePort } from '../../scripts/lib/processes';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';

/**
 * One ephemeral Temporal dev server per test run, from the pinned CLI, on a free loopback
 * port; or the server that TEMPORAL_ADDRESS names, when set. Workers in the test processes
 * find it through TEMPORAL_ADDRESS, which children inherit.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEMPORAL_ADDRESS) return;
  const cli = await ensureTemporalCli();
  const port = await findFreePort();
  const server = await startTemporalDevServer({ cli, host: '127.0.0.1', port, uiPort: port + 1000, headless: true });
  (globalThis as { __temporalDevServer?: typeof server }).__temporalDevServer = server;
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.PASSERELLE_TEST_OWN_SERVER = '1';
}
