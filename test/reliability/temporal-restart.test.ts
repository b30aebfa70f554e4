import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DevServer, startTemporalDevServer } from '../../scripts/lib/dev-server';
import { findFreePort } from '../../scripts/lib/processes';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';
import { type ProcessStack, startProcessStack } from './support/process-stack';
import { callApi, decideRssiApproval, expectedResourceCounts, freshPlanId, resourceCounts, standardPlan, startRunThroughApi } from './support/runs';

const CUSTOMER = 'temporal-restart';
let dataDir: string;
let cli: string;
let port: number;
let server: DevServer | undefined;
let stack: ProcessStack | undefined;

/** This file's own dev server, on a SQLite file that outlives it, unlike the run's shared one. */
async function startServer(): Promise<DevServer> {
  return await startTemporalDevServer({ cli, host: '127.0.0.1', port, uiPort: port, headless: true, dbFile: path.join(dataDir, 'temporal.db') });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-temporal-restart-'));
  cli = await ensureTemporalCli();
  port = await findFreePort();
  server = await startServer();
  stack = await startProcessStack({ temporalAddress: server.address, speedup: 1_000 });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('a restart of the Temporal server', () => {
  it('leaves the API answering 503 problem+json with Retry-After while it is down, and the run resumes where it was once it is back', async () => {
    const processes = stack!;
    const token = await processes.token({ roles: ['consultant'] });
    // 500 GB at 1 Gbit/s: 4 s of replication at this speed-up, so the server stops in the middle of the cutover.
    const id = await startRunThroughApi(processes, standardPlan({ planId: freshPlanId(CUSTOMER), customerId: CUSTOMER, workloads: 2, sizeGb: 500 }));
    await processes.waitForRun(id, (status) => status.phase === 'AWAITING_APPROVAL');
    await decideRssiApproval(processes, id, CUSTOMER);
    await processes.waitForRun(id, (status) => status.steps.some((step) => step.id.endsWith('.replicate') && step.state === 'RUNNING'));

    await server!.stop();
    server = undefined;
    const [statusWhileDown, listWhileDown, readinessWhileDown] = await Promise.all([
      callApi(processes, 'GET', `/v1/migrations/${id}`, token),
      callApi(processes, 'GET', '/v1/migrations', token),
      fetch(`${processes.apiUrl}/readyz`),
    ]);
    server = await startServer();

    for (const answer of [statusWhileDown, listWhileDown]) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
    }
    expect(readinessWhileDown.status).toBe(503);

    const final = await processes.waitForRun(id, (status) => status.status === 'COMPLETED', 120_000);
    expect(final.steps.filter((step) => step.phase === 'CUTOVER').every((step) => step.state === 'SUCCEEDED')).toBe(true);
    expect((await callApi(processes, 'GET', `/v1/migrations/${id}`, token)).body).toMatchObject({ status: 'COMPLETED', phase: 'DONE' });
    expect(await resourceCounts(processes.admin)).toEqual(expectedResourceCounts(1, 2));
  }, 180_000);
});
