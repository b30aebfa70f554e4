/**
 * The homologation file and the risk register of a real run: the hospital group's plan through
 * the API to COMPLETED (approvals decided with approver tokens), then its register, its PDF in
 * French and English read back with pdftotext (poppler-utils), page 1 rendered with pdftoppm,
 * and another customer answered 404 as for a run that does not exist.
 *
 * With PASSERELLE_DOSSIER_PICTURE set (npm run dossier:picture), page 1 is also written there:
 * that is how docs/dossier-page-1.png is made.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprintHistory } from '../../use-cases/history-fingerprint';
import type { StartMigrationResponse } from '../../api/validation';
import { type ApproverRole, migrationWorkflowId, type RunRiskRegister } from '../../domain';
import { fixturePlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
let consultant: string;
let dir: string;
const plan = fixturePlan('hospital-group', { planId: unique('ght') });
const runId = migrationWorkflowId(plan.planId!);

async function get(urlPath: string, token: string): Promise<Response> {
  return await fetch(`${stack.apiUrl}${urlPath}`, { headers: { authorization: `Bearer ${token}` } });
}

async function approverToken(role: string, customerId = plan.customer.id): Promise<string> {
  return await stack.token({ sub: `signataire-${role.toLowerCase()}`, roles: ['customer'], customerId, approverRoles: [role as ApproverRole] });
}

/** Downloads the file in `lang` and returns its text as pdftotext extracts it. */
async function dossierText(query: string, file: string): Promise<{ text: string; pdf: string }> {
  const response = await get(`/v1/migrations/${runId}/dossier${query}`, consultant);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  const pdf = path.join(dir, file);
  writeFileSync(pdf, Buffer.from(await response.arrayBuffer()));
  expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  return { text: execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }), pdf };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-dossier-'));
  stack = await startStack();
  consultant = await stack.token({ sub: 'consultante-marie', roles: ['consultant'] });
  const started = await fetch(`${stack.apiUrl}/v1/migrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${consultant}`, 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  expect(started.status).toBe(202);
  expect(((await started.json()) as StartMigrationResponse).id).toBe(runId);
  const handle = stack.client.workflow.getHandle(runId);
  const waiting = await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
  for (const approval of waiting.approvals) {
    const decided = await fetch(`${stack.apiUrl}/v1/migrations/${runId}/approvals/${approval.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await approverToken(approval.role)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'APPROVE', comment: `Validé par ${approval.role} après revue de l’analyse de risques` }),
    });
    expect(decided.status).toBe(200);
  }
  const final = await finalStatusOf(handle);
  expect(final.status).toBe('COMPLETED');
});

afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the residual-risk register of a run', () => {
  it('lists the risks of the hospital plan, accepted by the homologation decision with its decider', async () => {
    const response = await get(`/v1/migrations/${runId}/risks`, await approverToken('DPO'));
    expect(response.status).toBe(200);
    const register = (await response.json()) as RunRiskRegister;
    expect(register.derived).toBe(true);
    expect(register.risks.map((risk) => [risk.id, risk.code, risk.ownerRole, risk.state])).toEqual([
      ['extraterritorial-exposure.collab', 'EXTRATERRITORIAL_EXPOSURE', 'DPO', 'ACCEPTED'],
      ['extraterritorial-exposure.payroll', 'EXTRATERRITORIAL_EXPOSURE', 'DPO', 'ACCEPTED'],
    ]);
    for (const risk of register.risks) {
      expect(risk.acceptance).toMatchObject({ by: 'signataire-homologation_authority', onHomologation: true });
    }
    expect(register.acceptedOnHomologation?.riskIds).toEqual(['extraterritorial-exposure.collab', 'extraterritorial-exposure.payroll']);
  });

  it('answers another customer 404, as for a run that does not exist', async () => {
    const stranger = await approverToken('DPO', unique('autre'));
    expect((await get(`/v1/migrations/${runId}/risks`, stranger)).status).toBe(404);
    expect((await get(`/v1/migrations/${runId}/dossier`, stranger)).status).toBe(404);
    expect((await get(`/v1/migrations/${unique('absent')}/risks`, consultant)).status).toBe(404);
  });
});

describe('the homologation file', () => {
  it('is in French by default: customer, classification with legal bases, approvals, risks, provisioning, cutover, audit, fingerprint', async () => {
    const { text, pdf } = await dossierText('', 'dossier-fr.pdf');
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      'Dossier d’homologation',
      'GHT Rhône Nord',
      runId,
      'Classification des charges',
      'Dossier patient informatisé (dpi)',
      'Code de la santé publique L.1111-8',
      'Approbations',
      'approuvée par signataire-rssi',
      'Validé par RSSI après revue de l’analyse de risques',
      'Registre des risques résiduels',
      'Risques résiduels acceptés par cette décision : extraterritorial-exposure.collab,',
      'extraterritorial-exposure.payroll — accepté',
      'par la décision d’homologation',
      'Preuves de mise en service',
      'Garde des clés : clés gérées par le client, coffre en France',
      'Bascule',
      'Piste d’audit',
      'Empreinte de l’historique',
      'Décision de l’autorité d’homologation',
    ]) {
      expect(flat).toContain(expected);
    }
    expect(flat).not.toContain('Homologation file');

    // The printed fingerprint is the one of the run's history as Temporal holds it now (the run is closed).
    const description = await stack.client.workflow.getHandle(runId).describe();
    const history = await stack.client.workflow.getHandle(runId, description.runId).fetchHistory();
    const expected = fingerprintHistory(runId, description.runId, history);
    // The server encodes map fields in any order: the fingerprint must not depend on it.
    const again = fingerprintHistory(runId, description.runId, await stack.client.workflow.getHandle(runId, description.runId).fetchHistory());
    expect(again).toEqual(expected);
    expect(flat).toContain(expected.sha256);
    expect(flat).toContain(`des ${expected.eventCount} événements`);

    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(dir, 'page-1')]);
    const png = readFileSync(path.join(dir, 'page-1.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const target = process.env.PASSERELLE_DOSSIER_PICTURE;
    if (target) copyFileSync(path.join(dir, 'page-1.png'), path.resolve(target));
  });

  it('is in English with lang=en, and refuses a language it does not speak by name', async () => {
    const { text } = await dossierText('?lang=en', 'dossier-en.pdf');
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of ['Homologation file', 'Classification of the workloads', 'Residual-risk register', 'through the homologation decision', 'Audit trail']) {
      expect(flat).toContain(expected);
    }
    expect(flat).not.toContain('Dossier d’homologation');
    const refused = await get(`/v1/migrations/${runId}/dossier?lang=de`, consultant);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('lang');
  });
});
