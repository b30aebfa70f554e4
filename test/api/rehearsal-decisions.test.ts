/**
 * `POST /v1/migrations/{id}/rehearsals/{waveId}` over the real stack: a town hall's plan
 * requires rehearsals and its first wave waits for the decision. Only the run's own customer's
 * RSSI decides: another customer gets 404 as if the run did not exist, the customer's DPO, ops
 * and the consultant 403; a problem needs a comment; the actor is the token's subject, never the
 * body; a decision on a rehearsal that no longer waits for one conflicts.
 */
import { type MigrationOverview, type RehearsalView, validatePlan } from '../../domain';
import { smallPlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';

let stack: TestStack;
let consultant: string;
const customerId = unique('mairie-rehearsal');
const base = smallPlan(unique('rehearsal-api'), { customerId });
const validated = validatePlan({ ...base, settings: { ...base.settings, rehearsal: 'REQUIRED' } });
if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
const plan = validated.plan;
let runId: string;

async function call(method: string, urlPath: string, token: string | undefined, body?: unknown): Promise<Response> {
  return await fetch(`${stack.apiUrl}${urlPath}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const customer = (approverRoles: ('RSSI' | 'DPO' | 'HOMOLOGATION_AUTHORITY')[], customer = customerId, sub = `${approverRoles.join('-').toLowerCase()}@${customer}`) =>
  stack.token({ sub, roles: ['customer'], customerId: customer, approverRoles });
const decide = (token: string | undefined, body: unknown, waveId = 'wave-1') => call('POST', `/v1/migrations/${runId}/rehearsals/${waveId}`, token, body);

async function rehearsalOfWave1(): Promise<RehearsalView | undefined> {
  const overview = (await (await call('GET', `/v1/migrations/${runId}`, consultant)).json()) as MigrationOverview;
  return overview.waves.active.find((wave) => wave.id === 'wave-1')?.rehearsal;
}

beforeAll(async () => {
  stack = await startStack();
  consultant = await stack.token({ sub: 'consultante-rehearsal', roles: ['consultant'] });
  const started = await call('POST', '/v1/migrations', consultant, plan);
  expect(started.status).toBe(202);
  runId = ((await started.json()) as { id: string }).id;
  const handle = stack.client.workflow.getHandle(runId);
  const awaiting = await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL' && status.approvals.length > 0);
  const signatory = await customer(['RSSI', 'DPO', 'HOMOLOGATION_AUTHORITY'], customerId, 'signataire');
  for (const approval of awaiting.approvals.filter((candidate) => candidate.state === 'PENDING')) {
    expect((await call('POST', `/v1/migrations/${runId}/approvals/${approval.id}`, signatory, { decision: 'APPROVE' })).status).toBe(200);
  }
  await stack.waitForStatus(handle, (status) => status.waves[0]?.rehearsal?.state === 'AWAITING_DECISION');
}, 120_000);

afterAll(async () => {
  if (runId) await call('POST', `/v1/migrations/${runId}/cancel`, await stack.token({ roles: ['ops'] }), { reason: 'test done' });
  await stack?.stop();
});

describe('deciding a rehearsal through the API', () => {
  it('refuses everyone but the run’s own customer’s RSSI, and the rehearsal still waits', async () => {
    expect((await decide(undefined, { decision: 'CONFIRM' })).status).toBe(401);
    // Another customer's RSSI: as if the run did not exist.
    const other = await decide(await customer(['RSSI'], unique('other-customer')), { decision: 'CONFIRM' });
    expect(other.status).toBe(404);
    // The run's own customer, but the DPO: the rehearsal is the RSSI's.
    const dpo = await decide(await customer(['DPO']), { decision: 'CONFIRM' });
    expect(dpo.status).toBe(403);
    expect(((await dpo.json()) as { detail: string }).detail).toBe('Rehearsal rehearsal.wave-1 is for the RSSI role, which your token does not hold.');
    expect((await decide(await stack.token({ roles: ['ops'] }), { decision: 'CONFIRM' })).status).toBe(403);
    expect((await decide(consultant, { decision: 'CONFIRM' })).status).toBe(403);
    // A wave with no rehearsal yet (wave-2 starts after wave-1), and a path that names no wave.
    const rssi = await customer(['RSSI']);
    expect((await decide(rssi, { decision: 'CONFIRM' }, 'wave-2')).status).toBe(404);
    expect((await decide(rssi, { decision: 'CONFIRM' }, 'not-a-wave')).status).toBe(400);

    expect(await rehearsalOfWave1()).toMatchObject({ state: 'AWAITING_DECISION', attempt: 1 });
    expect((await rehearsalOfWave1())?.decision).toBeUndefined();
  });

  it('needs a comment to report a problem, a known decision, and no actor in the body', async () => {
    const rssi = await customer(['RSSI']);
    const noComment = await decide(rssi, { decision: 'REPORT_PROBLEM' });
    expect(noComment.status).toBe(400);
    expect(((await noComment.json()) as { errors: { path: string; message: string }[] }).errors).toContainEqual({
      path: 'comment',
      message: 'is required when reporting a problem: say what went wrong',
    });
    expect((await decide(rssi, { decision: 'APPROVE' })).status).toBe(400);
    expect((await decide(rssi, { decision: 'CONFIRM', actor: { subject: 'someone-else' } })).status).toBe(400);
    expect(await rehearsalOfWave1()).toMatchObject({ state: 'AWAITING_DECISION', attempt: 1 });
  });

  it('records the RSSI’s report as the token names it, after which a decision conflicts', async () => {
    const rssi = await customer(['RSSI'], customerId, 'rssi@mairie');
    const reported = await decide(rssi, { decision: 'REPORT_PROBLEM', comment: 'la messagerie de test ne démarre pas' });
    expect(reported.status).toBe(200);
    expect((await reported.json()) as RehearsalView).toMatchObject({
      approvalId: 'rehearsal.wave-1',
      decision: { decision: 'REPORT_PROBLEM', by: 'rssi@mairie', comment: 'la messagerie de test ne démarre pas' },
    });
    await stack.waitForStatus(stack.client.workflow.getHandle(runId), (status) => status.waves[0]?.rehearsal?.state === 'FAILED');

    const late = await decide(rssi, { decision: 'CONFIRM' });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { detail: string }).detail).toBe('The rehearsal of wave-1 does not wait for a decision (FAILED).');
    const audit = (await (await call('GET', `/v1/migrations/${runId}/audit`, consultant)).json()) as { items: { action: string; actor: string; target?: string }[] };
    expect(audit.items.filter((entry) => entry.target === 'rehearsal.wave-1').map((entry) => [entry.action, entry.actor])).toEqual([['REPORT_REHEARSAL_PROBLEM', 'rssi@mairie']]);
  });
});
