/**
 * The homologation file and the risk register of a real run: the hospital group's plan through
 * the API to COMPLETED (approvals decided with approver tokens), then its register, its PDF in
 * French and English read back with pdftotext (poppler-utils), page 1 and the pictures' page
 * rendered with pdftoppm (the pictures' colours counted), and another customer answered 404 as
 * for a run that does not exist.
 *
 * With PASSERELLE_DOSSIER_PICTURES set to a folder (npm run dossier:picture), page 1 and the
 * pictures' page are also written there: that is how docs/dossier-page-1.png and
 * docs/dossier-pictures.png are made.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprintHistory } from '../../use-cases/history-fingerprint';
import type { StartMigrationResponse } from '../../api/validation';
import { type ApproverRole, approverRoleLabel, migrationWorkflowId, type RunRiskRegister } from '../../domain';
import { englishWordsIn } from '../support/languages';
import { fixturePlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
let consultant: string;
let dir: string;
/** The hospital group's plan with a historian that reads the building management system, which stays on site: a hybrid dependency. */
const hospital = fixturePlan('hospital-group', { planId: unique('ght') });
const plan = {
  ...hospital,
  workloads: [...hospital.workloads, { id: 'historian', name: 'Historique GTC', kind: 'vm', sizeGb: 20, dataCategories: ['INTERNAL'], dependsOn: ['gtc'], criticality: 'LOW' }],
} satisfies typeof hospital;
const runId = migrationWorkflowId(plan.planId!);

async function get(urlPath: string, token: string): Promise<Response> {
  return await fetch(`${stack.apiUrl}${urlPath}`, { headers: { authorization: `Bearer ${token}` } });
}

async function approverToken(role: string, customerId = plan.customer.id): Promise<string> {
  return await stack.token({ sub: `signataire-${role.toLowerCase()}`, roles: ['customer'], customerId, approverRoles: [role as ApproverRole] });
}

/**
 * Renders page `page` of `pdf` to PNG with pdftoppm and counts its pixels: those that are not
 * white, and those in colour (the pictures' fills and strokes; the text is black or grey).
 */
function renderPage(pdf: string, page: number, resolution: number): { png: string; inked: number; coloured: number } {
  const base = path.join(dir, `${path.basename(pdf, '.pdf')}-page-${page}`);
  execFileSync('pdftoppm', ['-png', '-r', String(resolution), '-f', String(page), '-l', String(page), '-singlefile', pdf, base]);
  execFileSync('pdftoppm', ['-r', String(resolution), '-f', String(page), '-l', String(page), '-singlefile', pdf, base]);
  const ppm = readFileSync(`${base}.ppm`);
  // Binary PPM: "P6", width, height, maximum value, one whitespace, then RGB bytes.
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 40).toString('latin1'));
  expect(header).not.toBeNull();
  const pixels = ppm.subarray(header![0].length);
  expect(pixels.length).toBe(Number(header![1]) * Number(header![2]) * 3);
  let inked = 0;
  let coloured = 0;
  for (let index = 0; index < pixels.length; index += 3) {
    const [red, green, blue] = [pixels[index]!, pixels[index + 1]!, pixels[index + 2]!];
    if (red < 240 || green < 240 || blue < 240) inked += 1;
    if (Math.max(red, green, blue) - Math.min(red, green, blue) > 60) coloured += 1;
  }
  const png = `${base}.png`;
  expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  return { png, inked, coloured };
}

/** The pages of `pdf` as pdftotext extracts them, one string per page. */
function pagesOf(pdf: string): string[] {
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
    .split('\f')
    .map((page) => page.replace(/\s+/g, ' '));
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
      body: JSON.stringify({ decision: 'APPROVE', comment: `Validé par ${approverRoleLabel(approval.role as ApproverRole, 'fr')} après revue de l’analyse de risques` }),
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
      ['hybrid-dependency.historian.gtc', 'HYBRID_DEPENDENCY', 'RSSI', 'ACCEPTED'],
    ]);
    for (const risk of register.risks) {
      expect(risk.acceptance).toMatchObject({ by: 'signataire-homologation_authority', onHomologation: true });
    }
    expect(register.acceptedOnHomologation?.riskIds).toEqual(['extraterritorial-exposure.collab', 'extraterritorial-exposure.payroll', 'hybrid-dependency.historian.gtc']);
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
      'Responsable : RSSI — Source : R8 : avertissement de dépendance hybride',
      'par la décision d’homologation',
      'signataire-homologation_authority [client, autorité d’homologation]',
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
    // No English: neither the words of the risks' sources and the token roles as the run stores them, nor any word only the English catalogue uses.
    for (const english of ['warning', 'assessment', 'HYBRID_DEPENDENCY', 'TRANSFER_OVER_A_WEEK', 'customer', 'HOMOLOGATION_AUTHORITY', 'operations']) {
      expect(flat).not.toContain(english);
    }
    const status = await finalStatusOf(stack.client.workflow.getHandle(runId));
    const asWritten = [status.customerName, ...status.plan.workloads.map((workload) => workload.name), ...status.audit.flatMap((entry) => (entry.comment ? [entry.comment] : []))];
    expect(englishWordsIn(flat, asWritten)).toEqual([]);

    // The printed fingerprint is the one of the run's history as Temporal holds it now (the run is closed).
    const description = await stack.client.workflow.getHandle(runId).describe();
    const history = await stack.client.workflow.getHandle(runId, description.runId).fetchHistory();
    const expected = fingerprintHistory(runId, description.runId, history);
    // The server encodes map fields in any order: the fingerprint must not depend on it.
    const again = fingerprintHistory(runId, description.runId, await stack.client.workflow.getHandle(runId, description.runId).fetchHistory());
    expect(again).toEqual(expected);
    expect(flat).toContain(expected.sha256);
    expect(flat).toContain(`des ${expected.eventCount} événements`);

    const firstPage = renderPage(pdf, 1, 80);
    expect(firstPage.inked).toBeGreaterThan(10_000);

    // The pictures' page: the dependency map by zone and the cutover schedule, with their legends and captions in French.
    const pages = pagesOf(pdf);
    const picturesPage = pages.findIndex((page) => page.includes('Figure 1 — Carte des dépendances')) + 1;
    expect(picturesPage).toBe(2);
    const picturesText = pages[picturesPage - 1]!;
    for (const expected of [
      'Carte des dépendances',
      'Cloud de confiance',
      'Reste sur site',
      'Non éligibles',
      'secnumcloud-hds',
      'HDS 5',
      '1 hybride',
      'Légende :',
      'hébergement de données de santé (HDS)',
      'dépendance hybride (vers une charge qui reste sur site)',
      'reste sur site (non éligible), à part',
      'Figure 1 — Carte des dépendances par zone d’hébergement : ',
      'Calendrier des bascules',
      'Heures de UTC',
      'Le plan ne restreint pas les bascules à des fenêtres.',
      'Vague 1 — réussie',
      'fenêtre de bascule',
      'gel → bascule réalisés',
      'maintenant',
      'Figure 2 — Calendrier des bascules : ',
    ]) {
      expect(picturesText).toContain(expected);
    }
    const pictures = renderPage(pdf, picturesPage, 100);
    // The boxes' level bars, the HDS frames and the schedule's bars are in colour: thousands of pixels, not a blank page.
    expect(pictures.inked).toBeGreaterThan(20_000);
    expect(pictures.coloured).toBeGreaterThan(3_000);

    const target = process.env.PASSERELLE_DOSSIER_PICTURES;
    if (target) {
      copyFileSync(firstPage.png, path.resolve(target, 'dossier-page-1.png'));
      copyFileSync(pictures.png, path.resolve(target, 'dossier-pictures.png'));
    }
  });

  it('is in English with lang=en, and refuses a language it does not speak by name', async () => {
    const { text, pdf } = await dossierText('?lang=en', 'dossier-en.pdf');
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of ['Homologation file', 'Classification of the workloads', 'Residual-risk register', 'through the homologation decision', 'Audit trail']) {
      expect(flat).toContain(expected);
    }
    expect(flat).not.toContain('Dossier d’homologation');
    const picturesText = pagesOf(pdf)[1]!;
    for (const expected of [
      'Dependency map',
      'Trusted cloud',
      'Stays on site',
      'Not eligible',
      'Legend:',
      'health data hosting (HDS)',
      'hybrid dependency (on a workload that stays on site)',
      'Figure 1 — Dependency map by hosting zone: ',
      'Cutover schedule',
      'Times in UTC',
      'Wave 1 — succeeded',
      'freeze → switch done',
      'Figure 2 — Cutover schedule: ',
    ]) {
      expect(picturesText).toContain(expected);
    }
    expect(picturesText).not.toContain('Vague');
    expect(renderPage(pdf, 2, 80).coloured).toBeGreaterThan(2_000);
    const refused = await get(`/v1/migrations/${runId}/dossier?lang=de`, consultant);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('lang');
  });
});
