/**
 * The homologation file's derogations (R10), rendered by the PDF layer alone from a run's status
 * and read back with pdftotext (poppler-utils): each derogation with its zone, level, state and
 * expiry, the workloads it covers, its compensating measures and renewals, and its history of
 * decisions with their actors, dates and words, in French and in English.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classifyPlan, cutoverSchedule, type Derogation, estateGraph, type Language, type MigrationStatus, registerOfRun } from '../../domain';
import { renderDossierPdf } from '../../use-cases/dossier-pdf';
import { buildMigrationReport } from '../../use-cases/migration-report';
import { fixturePlan } from '../support/plans';
import { runStatus } from '../support/statuses';

const granted: Derogation = {
  id: 'derogation.secnumcloud-hds',
  zoneId: 'secnumcloud-hds',
  level: 'SECNUMCLOUD',
  workloadIds: ['dpi', 'dpi-db', 'pacs'],
  state: 'GRANTED',
  requestedBy: 'consultante-marie',
  requestedAt: '2026-11-02T08:00:00.000Z',
  reason: 'le site actuel ferme en mars',
  justification: 'continuité des soins',
  compensatingMeasures: ['clés détenues par le client', 'revue mensuelle'],
  grantedBy: 'autorite@ght',
  grantedAt: '2026-11-03T08:00:00.000Z',
  expiresAt: '2027-11-03T08:00:00.000Z',
  renewals: 1,
  history: [
    { action: 'REQUEST', by: 'consultante-marie', at: '2026-11-02T08:00:00.000Z', comment: 'le site actuel ferme en mars' },
    { action: 'GRANT', by: 'autorite@ght', at: '2026-11-03T08:00:00.000Z', comment: 'continuité des soins' },
    { action: 'RENEW', by: 'autorite@ght', at: '2027-04-03T08:00:00.000Z', comment: 'qualification attendue à l’automne' },
  ],
};

const lapsed: Derogation = {
  id: 'derogation.secnumcloud',
  zoneId: 'secnumcloud',
  level: 'SECNUMCLOUD',
  workloadIds: ['ad'],
  state: 'EXPIRED',
  requestedBy: 'consultante-marie',
  requestedAt: '2026-11-02T08:00:00.000Z',
  reason: 'annuaire commun',
  compensatingMeasures: ['journalisation renforcée'],
  grantedBy: 'autorite@ght',
  grantedAt: '2026-11-03T08:00:00.000Z',
  expiresAt: '2026-12-01T00:00:00.000Z',
  renewals: 0,
  closedAt: '2026-12-01T00:00:00.000Z',
  lapseAcknowledged: { by: 'ops-1', at: '2026-12-01T09:00:00.000Z', comment: 'la zone attend la qualification' },
  history: [
    { action: 'REQUEST', by: 'consultante-marie', at: '2026-11-02T08:00:00.000Z', comment: 'annuaire commun' },
    { action: 'GRANT', by: 'autorite@ght', at: '2026-11-03T08:00:00.000Z', comment: 'risque accepté' },
    { action: 'EXPIRE', by: 'system', at: '2026-12-01T00:00:00.000Z' },
    { action: 'ACKNOWLEDGE_LAPSE', by: 'ops-1', at: '2026-12-01T09:00:00.000Z', comment: 'la zone attend la qualification' },
  ],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-dossier-unit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The file of `status` in `language`, as pdftotext reads it, whitespace folded. */
async function dossierText(status: MigrationStatus, language: Language): Promise<string> {
  const generatedAt = '2026-12-01T10:00:00.000Z';
  const pdf = await renderDossierPdf(
    {
      status,
      report: buildMigrationReport(status),
      risks: registerOfRun(status),
      fingerprint: { workflowId: status.workflowId, runId: 'run-1', sha256: '0'.repeat(64), eventCount: 12 },
      graph: estateGraph(status, { groupBy: 'zone' }),
      schedule: cutoverSchedule(status, Date.parse(generatedAt)),
      generatedAt,
    },
    language,
  );
  const file = path.join(dir, `dossier-${language}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

function hospitalRun(derogations?: Derogation[]): MigrationStatus {
  const plan = fixturePlan('hospital-group');
  return runStatus({ plan, report: classifyPlan(plan), phase: 'AWAITING_QUALIFICATION', status: 'WAITING', customerName: 'GHT Rhône Nord', ...(derogations ? { derogations } : {}) });
}

describe('the derogations of the homologation file', () => {
  it('lists each derogation with its zone, state, expiry, workloads, measures and the history of its decisions, in French', async () => {
    const text = await dossierText(hospitalRun([granted, lapsed]), 'fr');
    for (const expected of [
      'Dérogations (R10)',
      'derogation.secnumcloud-hds — zone d’atterrissage secnumcloud-hds (SecNumCloud) — accordée, jusqu’au 3 novembre 2027 à 08:00 UTC',
      'Charges couvertes : dpi, dpi-db, pacs',
      'Mesures compensatoires : clés détenues par le client ; revue mensuelle',
      '1 renouvellement',
      // pdftotext may break a line after the zone id's hyphen.
      '2 novembre 2026 à 08:00 UTC — consultante-marie a demandé une dérogation pour secnumcloud',
      '« le site actuel ferme en mars »',
      '3 novembre 2026 à 08:00 UTC — autorite@ght a accordé une dérogation pour secnumcloud-hds — « continuité des soins »',
      'autorite@ght a renouvelé la dérogation de secnumcloud-hds — « qualification attendue à l’automne »',
      'derogation.secnumcloud — zone d’atterrissage secnumcloud (SecNumCloud) — expirée',
      '1er décembre 2026 à 00:00 UTC — expirée',
      'ops-1 a pris acte de la fin de la dérogation de secnumcloud — « la zone attend la qualification »',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('system');
  });

  it('lists them in English with lang=en, and says when there is none', async () => {
    const text = await dossierText(hospitalRun([granted, lapsed]), 'en');
    for (const expected of [
      'Derogations (R10)',
      'derogation.secnumcloud-hds — landing zone secnumcloud-hds (SecNumCloud) — granted, until 3 November 2027, 08:00 UTC',
      'Workloads covered: dpi, dpi-db, pacs',
      'Compensating measures: clés détenues par le client ; revue mensuelle',
      '1 renewal',
      'derogation.secnumcloud — landing zone secnumcloud (SecNumCloud) — expired',
    ]) {
      expect(text).toContain(expected);
    }
    expect(await dossierText(hospitalRun(), 'fr')).toContain('Dérogations (R10) Aucune dérogation demandée.');
  });
});
