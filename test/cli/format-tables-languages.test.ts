/**
 * `passerelle validate|list|report|derogation …|risks|cleanup --lang fr|en`: the tables' headings
 * and the lines around them, and the names in their cells (levels, kinds, roles, states,
 * outcomes, undo kinds), come from the catalogue in the language asked; English reads as the
 * command line always has.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatCleanup, formatDerogation, formatDerogations, formatList, formatReportHead, formatRisks, formatValidation } from '../../cli/format';
import { runCli } from '../../cli/main';
import { createStyle } from '../../cli/render';
import { assessPlan, classifyPlan, type CleanupView, type Derogation, type MigrationListResponse, type Plan, type RunRiskRegister } from '../../domain';
import { englishWordsIn } from '../support/languages';
import { fixturePlan } from '../support/plans';
import { runOverviewOf, step } from '../support/statuses';
import { sendJson, startFakeApi } from './fake-api';

const plain = createStyle(false);

/** The hospital group's plan with a historian that reads the building management system, which stays on site. */
function hospitalPlan(): Plan {
  const plan = fixturePlan('hospital-group');
  return { ...plan, workloads: [...plan.workloads, { id: 'historian', name: 'Historique GTC', kind: 'vm', sizeGb: 20, dataCategories: ['INTERNAL'], dependsOn: ['gtc'], criticality: 'LOW' }] };
}

/** What people and other systems wrote (names, measures, reasons, details) and the ids the tables print: shown as written. */
const AS_WRITTEN = [
  ...hospitalPlan().workloads.flatMap((workload) => [workload.name, workload.id]),
  'GHT Rhône Nord',
  'passerelle status',
  'customer-held keys; monthly review',
  'kept by plan ght-2',
];

const derogation: Derogation = {
  id: 'derogation.secnumcloud-hds',
  zoneId: 'secnumcloud-hds',
  level: 'SECNUMCLOUD',
  workloadIds: ['dpi', 'pacs'],
  state: 'GRANTED',
  requestedBy: 'consultant@passerelle',
  requestedAt: '2026-11-02T08:00:00.000Z',
  reason: 'the old site closes',
  justification: 'continuity of care',
  compensatingMeasures: ['customer-held keys', 'monthly review'],
  grantedBy: 'autorite@ght',
  grantedAt: '2026-11-03T08:00:00.000Z',
  expiresAt: '2027-05-03T08:00:00.000Z',
  renewals: 1,
  history: [],
};

const cleanup: CleanupView = {
  workflowId: 'cleanup-migration-1',
  state: 'FAILED',
  requestedBy: 'ops-1',
  roles: ['ops'],
  requestedAt: '2026-11-30T10:00:00.000Z',
  endedAt: '2026-11-30T10:05:00.000Z',
  actions: [
    { stepId: 'cutover.wave-1.dpi.switch', kind: 'switch-back', target: 'dpi', state: 'SUCCEEDED' },
    { stepId: 'cutover.wave-1.dpi.freeze', kind: 'unfreeze', target: 'dpi', state: 'SUCCEEDED' },
    { stepId: 'provisioning.key-vault.standard', kind: 'delete', target: '/vaults/kv-1', state: 'FAILED', detail: 'kept by plan ght-2' },
  ],
};

const register: RunRiskRegister = {
  derived: true,
  risks: [
    {
      id: 'hybrid-dependency.historian.gtc',
      code: 'HYBRID_DEPENDENCY',
      source: 'R8: HYBRID_DEPENDENCY warning',
      workloadIds: ['gtc', 'historian'],
      description: { code: 'RISK_HYBRID_DEPENDENCY', params: { workloadId: 'historian', dependsOn: 'gtc' } },
      ownerRole: 'RSSI',
      state: 'ACCEPTED',
      openedAt: '2026-11-01T00:00:00.000Z',
      acceptance: { by: 'autorite@ght', at: '2026-11-02T10:00:00.000Z', onHomologation: true },
    },
  ],
  acceptedOnHomologation: { by: 'autorite@ght', at: '2026-11-02T10:00:00.000Z', riskIds: ['hybrid-dependency.historian.gtc'] },
};

const runs: MigrationListResponse = {
  items: [
    { id: 'migration-ght-1', customerId: 'ght-rhone-nord', phase: 'CUTOVER', status: 'NEEDS_ATTENTION', needsAttention: true, startedAt: '2026-11-30T08:00:00.000Z', closedAt: null },
    { id: 'migration-ght-2', customerId: 'ght-rhone-nord', phase: 'DONE', status: 'COMPLETED', needsAttention: false, startedAt: '2026-11-29T08:00:00.000Z', closedAt: '2026-11-30T08:00:00.000Z' },
  ],
  nextCursor: 'c2',
};

function overview() {
  return runOverviewOf({
    workflowId: 'migration-ght-1',
    customerName: 'GHT Rhône Nord',
    status: 'NEEDS_ATTENTION',
    phase: 'CUTOVER',
    plan: hospitalPlan(),
    report: classifyPlan(hospitalPlan()),
    steps: [step('provisioning.key-vault.standard', 'PROVISIONING', { state: 'SUCCEEDED' }), step('cutover.wave-1.dpi.switch', 'CUTOVER', { state: 'FAILED' })],
    derogations: [derogation],
    cleanup,
  });
}

/** Every table and line these commands print, in `language`. */
function everything(language: 'fr' | 'en'): string {
  const plan = hospitalPlan();
  return [
    formatValidation({ valid: true, report: classifyPlan(plan), assessment: assessPlan(plan) }, plan, plain, language),
    formatList(runs, plain, language),
    formatList({ items: [], nextCursor: null }, plain, language),
    formatReportHead(overview(), plain, language),
    formatDerogations(overview(), language),
    formatDerogation(derogation, language),
    formatDerogations(runOverviewOf({ workflowId: 'migration-ght-2' }), language),
    formatRisks(register, language),
    formatRisks({ derived: false, risks: [] }, language),
    formatCleanup(cleanup, language),
  ].join('\n\n');
}

describe('the command line’s tables in the reader’s language', () => {
  it('prints validate, list, the report’s head, derogations, risks and clean-ups in French with --lang fr, with no word only the English catalogue uses', () => {
    const french = everything('fr');
    for (const expected of [
      'CHARGE     NOM',
      'HÉBERGEMENT',
      'RÈGLES',
      'TRANSFERT',
      'machine virtuelle',
      'cloud standard (UE)',
      'reste sur site',
      'APPROBATION',
      'POURQUOI',
      'analyse d’impact relative à la protection des données (AIPD)',
      'Zones d’atterrissage : standard (3), secnumcloud-hds (5), plus le locataire Microsoft 365.',
      'Avertissement : historian',
      'Transfert : ',
      'CLIENT',
      'STATUT',
      'INTERVENTION',
      'intervention requise',
      'Suite : --cursor c2',
      'Aucune migration ne correspond.',
      'Charges : 11 (10 migrent, 1 reste sur site).',
      'Étapes : 2 (1 réussie, 1 en échec).',
      'DÉROGATION',
      'ACCORDÉE PAR',
      'RENOUVELLEMENTS',
      'accordée',
      'Dérogation derogation.secnumcloud-hds (charges dpi, pacs) : accordée, jusqu’au 2027-05-03 08:00:00Z, renouvelée.',
      'L’exécution migration-ght-2 n’a pas de dérogation.',
      'RISQUE',
      'RESPONSABLE',
      'accepté',
      'Acceptés avec l’homologation par autorite@ght le 2026-11-02 10:00:00Z : hybrid-dependency.historian.gtc.',
      'L’exécution n’a pas encore classé son plan : pas de registre.',
      'Nettoyage en échec, demandé par ops-1 le 2026-11-30 10:00:00Z, terminé le 2026-11-30 10:05:00Z.',
      'À DÉFAIRE',
      'retour sur site',
      'dégel',
      'suppression',
    ]) {
      expect(french).toContain(expected);
    }
    expect(englishWordsIn(french, AS_WRITTEN)).toEqual([]);
    for (const english of ['WORKLOAD', 'Landing zones', 'Warning', 'More:', 'GRANTED', 'ACCEPTED', 'switch-back', 'Clean-up', 'NEEDS_ATTENTION']) expect(french).not.toContain(english);
  });

  it('prints the same in English with --lang en, as the command line always has', () => {
    const english = everything('en');
    for (const expected of [
      'WORKLOAD   NAME',
      'Landing zones: standard (3), secnumcloud-hds (5), plus the Microsoft 365 tenant.',
      'Warning: historian depends on gtc',
      'CUSTOMER',
      'STATUS',
      'NEEDS_ATTENTION',
      'More: --cursor c2',
      'Workloads: 11 (10 migrate, 1 stay on site).',
      'Steps: 2 (1 SUCCEEDED, 1 FAILED).',
      'Derogation derogation.secnumcloud-hds (workloads dpi, pacs): GRANTED, until 2027-05-03 08:00:00Z, renewed.',
      'Run migration-ght-2 has no derogation.',
      'Accepted with the homologation by autorite@ght on 2026-11-02 10:00:00Z: hybrid-dependency.historian.gtc.',
      'Clean-up FAILED, asked by ops-1 2026-11-30 10:00:00Z, ended 2026-11-30 10:05:00Z.',
      'switch-back',
    ]) {
      expect(english).toContain(expected);
    }
    // The check finds English where there is English.
    expect(englishWordsIn(english, AS_WRITTEN).length).toBeGreaterThan(10);
  });

  it('takes --lang on validate, list, report, derogation list and cleanup, and keeps it out of what the API receives', async () => {
    const plan = hospitalPlan();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-cli-lang-'));
    writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan));
    const api = await startFakeApi((request, res) => {
      const url = request.url ?? '';
      if (url === '/v1/plans/validate') sendJson(res, 200, { valid: true, report: classifyPlan(plan), assessment: assessPlan(plan) });
      else if (url.startsWith('/v1/migrations?')) sendJson(res, 200, runs);
      else if (url === '/v1/migrations/migration-ght-1') sendJson(res, 200, overview());
      else if (url.startsWith('/v1/migrations/migration-ght-1/workloads')) sendJson(res, 200, { items: [], nextCursor: null });
      else if (url === '/v1/migrations/migration-ght-1/cleanup') sendJson(res, 202, { created: true, cleanup, statusUrl: '/v1/migrations/migration-ght-1' });
      else sendJson(res, 404, { title: 'Not Found' });
    });
    try {
      const run = async (...args: string[]) => {
        let stdout = '';
        const code = await runCli([...args, '--lang', 'fr', '--api-url', api.url, '--token', 't'], {
          stdout: { write: (text: string) => (stdout += text) },
          stderr: { write: () => undefined },
          env: {},
          cwd: dir,
        });
        expect(code).toBe(0);
        return stdout;
      };
      expect(await run('validate', 'plan.json')).toContain('Zones d’atterrissage : ');
      expect(await run('list', '--limit', '2')).toContain('Suite : --cursor c2');
      expect(await run('report', 'migration-ght-1')).toContain('Étapes : 2 (1 réussie, 1 en échec).');
      expect(await run('derogation', 'list', 'migration-ght-1')).toContain('RENOUVELLEMENTS');
      const cleaned = await run('cleanup', 'migration-ght-1');
      expect(cleaned).toContain('Nettoyage lancé pour migration-ght-1.');
      expect(cleaned).toContain('retour sur site');
      expect(api.requests.map((request) => request.url)).toEqual([
        '/v1/plans/validate',
        '/v1/migrations?limit=2',
        '/v1/migrations/migration-ght-1',
        '/v1/migrations/migration-ght-1/workloads?limit=500',
        '/v1/migrations/migration-ght-1',
        '/v1/migrations/migration-ght-1/cleanup',
      ]);
    } finally {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
