import type { ServerResponse } from 'node:http';
import { EXIT_CODES, runCli } from '../../cli/main';
import { parseBatchQuery } from '../../cli/batch-commands';
import { batchView } from '../../domain';
import { type FakeApi, type FakeRoute, type RecordedRequest, sendJson, startFakeApi } from './fake-api';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function on(method: string, pattern: RegExp, answer: (request: RecordedRequest, res: ServerResponse) => void): FakeRoute {
  return (request, res) => {
    if (request.method !== method || !pattern.test(request.url)) return false;
    answer(request, res);
  };
}

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: { PASSERELLE_TOKEN: 't', PASSERELLE_API_URL: api?.url ?? 'http://127.0.0.1:9' }, cwd: '/' });
  return { code, stdout, stderr };
}

const ID = 'batch:0b5c1e8e-8f53-4c8e-9a53-3c1a9d0c2f11';
const order = { id: ID, action: 'retry-failed-steps' as const, selection: { customer: 'ght-rhone-nord', operation: 'switch' as const }, reason: 'outage over', requestedBy: 'ops-1', requestedAt: '2026-11-30T20:00:00.000Z' };

describe('passerelle batch', () => {
  it('reads a query of key=value pairs, and names what it cannot read', () => {
    expect(parseBatchQuery('customer=ght-rhone-nord,phase=CUTOVER operation=switch needsAttention=true')).toEqual({ customer: 'ght-rhone-nord', phase: 'CUTOVER', operation: 'switch', needsAttention: true });
    expect(() => parseBatchQuery('tenant=x')).toThrow(/"tenant" is not a selection key: use customer, phase, status, needsAttention, operation/);
    expect(() => parseBatchQuery('phase')).toThrow(/"phase" is not key=value/);
    expect(() => parseBatchQuery('needsAttention=yes')).toThrow(/true or false/);
  });

  it('previews a retry with --dry-run, listing the runs it would touch', async () => {
    api = await startFakeApi(
      on('POST', /^\/v1\/batches$/, (_request, res) =>
        sendJson(res, 202, { dryRun: true, action: 'retry-failed-steps', selection: order.selection, runs: [{ id: 'migration-a', customerId: 'ght-rhone-nord', phase: 'CUTOVER', status: 'NEEDS_ATTENTION' }] }),
      ),
    );
    const result = await run(['batch', 'retry', '--query', 'customer=ght-rhone-nord,operation=switch', '--reason', 'outage over', '--dry-run']);
    expect(result).toMatchObject({ code: EXIT_CODES.ok, stderr: '' });
    expect(result.stdout).toContain('Dry run: would retry the failed steps of 1 run (nothing was touched).');
    expect(result.stdout).toContain('migration-a  ght-rhone-nord  CUTOVER  NEEDS_ATTENTION');
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ action: 'retry-failed-steps', selection: { customer: 'ght-rhone-nord', operation: 'switch' }, reason: 'outage over', dryRun: true });
  });

  it('starts an extension of deadlines, then shows the batch’s progress and each run’s outcome', async () => {
    const view = batchView(order, [
      { id: 'migration-a', outcome: 'DONE', steps: ['cutover.wave-1.db.switch'] },
      { id: 'migration-b', outcome: 'REFUSED', detail: 'The run has ended (COMPLETED).' },
    ], '2026-11-30T20:01:00.000Z');
    api = await startFakeApi(
      on('POST', /^\/v1\/batches$/, (_request, res) => sendJson(res, 202, { id: ID, statusUrl: `/v1/batches/${ID}`, batch: view })),
      on('GET', /^\/v1\/batches\/batch%3A/, (_request, res) => sendJson(res, 200, view)),
    );
    const started = await run(['batch', 'extend-deadline', '--query', 'phase=AWAITING_APPROVAL', '--extend-by', 'P7D', '--reason', 'ministry closed', '--runs', 'migration-a,migration-b']);
    expect(started.stdout).toBe(`Batch ${ID} started on 2 runs. Follow it with: passerelle batch status ${ID}\n`);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ action: 'extend-deadlines', selection: { phase: 'AWAITING_APPROVAL' }, reason: 'ministry closed', extendBy: 'P7D', runIds: ['migration-a', 'migration-b'] });
    const status = await run(['batch', 'status', ID]);
    expect(status.stdout).toContain(`Batch ${ID}: retry-failed-steps, COMPLETED (2/2): DONE 1, REFUSED 1`);
    expect(status.stdout).toContain('migration-a  DONE  cutover.wave-1.db.switch');
    expect(status.stdout).toContain('migration-b  REFUSED  The run has ended (COMPLETED).');
  });

  it('exits 2 on a query it cannot read, before calling the API', async () => {
    api = await startFakeApi();
    const result = await run(['batch', 'pause', '--query', 'tenant=x', '--reason', 'r']);
    expect(result.code).toBe(EXIT_CODES.usage);
    expect(result.stderr).toContain('--query: "tenant" is not a selection key');
    expect(api.requests).toEqual([]);
  });
});
