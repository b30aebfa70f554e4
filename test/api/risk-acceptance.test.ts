/**
 * `POST /v1/migrations/{id}/risks/{riskId}/accept` over the real stack: the hospital group's run
 * waits for its approvals with its two exposures OPEN (owner: the DPO). Only an approver of the
 * run's own customer holding the owner role accepts; the actor is the verified token's subject,
 * never the body; staff and other customers are refused; the acceptance shows in the register
 * and the audit trail, and the homologation decision then records only the risk still open.
 */
import type { StartMigrationResponse } from '../../api/validation';
import { type ApprovalView, type ApproverRole, migrationWorkflowId, type ResidualRisk, type RunRiskRegister } from '../../domain';
import { fixturePlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';

let stack: TestStack;
let consultant: string;
const plan = fixturePlan('hospital-group', { planId: unique('ght-risks') });
const runId = migrationWorkflowId(plan.planId!);
const PAYROLL = 'extraterritorial-exposure.payroll';

async function call(method: string, urlPath: string, token: string | undefined, body?: unknown): Promise<Response> {
  return await fetch(`${stack.apiUrl}${urlPath}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function approverToken(roles: ApproverRole[], customerId = plan.customer.id, sub = `signataire-${roles.join('-').toLowerCase()}`): Promise<string> {
  return await stack.token({ sub, roles: ['customer'], customerId, approverRoles: roles });
}

const accept = (riskId: string, token: string | undefined, body?: unknown) => call('POST', `/v1/migrations/${runId}/risks/${riskId}/accept`, token, body);

beforeAll(async () => {
  stack = await startStack();
  consultant = await stack.token({ sub: 'consultante-marie', roles: ['consultant'] });
  const started = await call('POST', '/v1/migrations', consultant, plan);
  expect(started.status).toBe(202);
  expect(((await started.json()) as StartMigrationResponse).id).toBe(runId);
  await stack.waitForStatus(stack.client.workflow.getHandle(runId), (status) => status.phase === 'AWAITING_APPROVAL');
});

afterAll(async () => {
  await stack?.stop();
});

describe('accepting a residual risk through the API', () => {
  it('refuses callers who do not own the risk, and the register stays as it was', async () => {
    expect((await accept(PAYROLL, undefined)).status).toBe(401);
    expect((await accept(PAYROLL, consultant)).status).toBe(403);
    expect((await accept(PAYROLL, await stack.token({ roles: ['ops'] }))).status).toBe(403);
    // Another customer's approver holding the owner role: as if the run did not exist.
    expect((await accept(PAYROLL, await approverToken(['DPO'], 'another-customer'))).status).toBe(404);
    // The run's own customer, but not the owner role (the DPO owns an exposure).
    const rssi = await accept(PAYROLL, await approverToken(['RSSI', 'HOMOLOGATION_AUTHORITY']));
    expect(rssi.status).toBe(403);
    expect(((await rssi.json()) as { detail: string }).detail).toContain('DPO');
    // The actor comes from the token: a body naming one is refused.
    expect((await accept(PAYROLL, await approverToken(['DPO']), { actor: { subject: 'someone-else' } })).status).toBe(400);
    expect((await accept('extraterritorial-exposure.nowhere', await approverToken(['DPO']))).status).toBe(404);
    expect((await accept('not an id', await approverToken(['DPO']))).status).toBe(400);

    const register = (await (await call('GET', `/v1/migrations/${runId}/risks`, consultant)).json()) as RunRiskRegister;
    expect(register.risks.map((risk) => [risk.id, risk.state])).toEqual([
      ['extraterritorial-exposure.collab', 'OPEN'],
      [PAYROLL, 'OPEN'],
    ]);
  });

  it('accepts the risk for its owner, as the token names it, audited; a second acceptance conflicts', async () => {
    const dpo = await approverToken(['DPO'], plan.customer.id, 'dpo-ght');
    const response = await accept(PAYROLL, dpo, { comment: 'clauses contractuelles signées' });
    expect(response.status).toBe(200);
    const risk = (await response.json()) as ResidualRisk;
    expect(risk).toMatchObject({ id: PAYROLL, state: 'ACCEPTED', ownerRole: 'DPO', acceptance: { by: 'dpo-ght', onHomologation: false } });
    expect((await accept(PAYROLL, dpo)).status).toBe(409);

    const audit = (await (await call('GET', `/v1/migrations/${runId}/audit`, consultant)).json()) as { items: { action: string; actor: string; comment?: string }[] };
    expect(audit.items.find((entry) => entry.action === 'ACCEPT_RISKS')).toMatchObject({ actor: 'dpo-ght', comment: 'clauses contractuelles signées' });

    // The homologation decision accepts what is still open, and records only that.
    const homologation = await call('POST', `/v1/migrations/${runId}/approvals/homologation`, await approverToken(['HOMOLOGATION_AUTHORITY'], plan.customer.id, 'ha-ght'), {
      decision: 'APPROVE',
    });
    expect(homologation.status).toBe(200);
    expect(((await homologation.json()) as ApprovalView).decision?.acceptedRiskIds).toEqual(['extraterritorial-exposure.collab']);
    const register = (await (await call('GET', `/v1/migrations/${runId}/risks`, await approverToken(['RSSI']))).json()) as RunRiskRegister;
    expect(register.risks.map((entry) => [entry.id, entry.state, entry.acceptance?.by])).toEqual([
      ['extraterritorial-exposure.collab', 'ACCEPTED', 'ha-ght'],
      [PAYROLL, 'ACCEPTED', 'dpo-ght'],
    ]);
    expect(register.acceptedOnHomologation).toMatchObject({ by: 'ha-ght', riskIds: ['extraterritorial-exposure.collab'] });
  });
});
