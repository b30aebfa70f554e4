/**
 * `passerelle status|watch|timeline|audit|steps|workloads --lang fr|en`: what the run wrote
 * for people is rendered from its message codes in the chosen language, and the lines around
 * it too; a run started before message codes shows its English as it was written.
 */
import { formatPage, formatStatus } from '../../cli/format';
import { runCli } from '../../cli/main';
import { createStyle } from '../../cli/render';
import { AUDIT_TEXTS, message, type MigrationStatus, runPage } from '../../domain';
import { englishWordsIn } from '../support/languages';
import { runOverviewOf, runStatus, step } from '../support/statuses';
import { sendJson, startFakeApi } from './fake-api';

const plain = createStyle(false);

/** A run at the gate with a failed key vault, an approval pending, an audited decision and a wave undone: a little of everything the run writes. */
function runWithEverything(): MigrationStatus {
  return runStatus({
    phase: 'AWAITING_QUALIFICATION',
    status: 'NEEDS_ATTENTION',
    round: 1,
    approvals: [{ id: 'dpia', role: 'DPO', rules: ['HEALTH in dpi'], state: 'PENDING', round: 1, requestedAt: '2026-11-30T08:00:00.000Z', dueAt: '2026-12-14T08:00:00.000Z' }],
    gate: {
      waitingFor: ['SecNumCloud qualification in force (the provider is at milestone J2), needed by secnumcloud-hds'],
      waitingForText: [message('GATE_WAITS_FOR_SECNUMCLOUD', { milestone: 'J2', neededBy: ['secnumcloud-hds'], neededByCount: 1 })],
      checks: 2,
      credentials: { secnumcloud: 'J2', hds: true },
    },
    steps: [
      step('provisioning.key-vault.standard', 'PROVISIONING', { state: 'FAILED', error: { message: 'quota exceeded', attempts: 3, at: '2026-11-30T09:00:00.000Z' } }),
      step('cutover.wave-1.site.switch', 'CUTOVER', { state: 'COMPENSATED', workloadId: 'site', skippedReason: 'undone after smoke-test failed', note: message('STEP_UNDONE_AFTER_FAILURE', { failedStep: 'smoke-test' }) }),
    ],
    attention: [
      {
        stepId: 'provisioning.key-vault.standard',
        reason: 'STEP_FAILED',
        message: 'quota exceeded',
        text: message('ATTENTION_STEP_FAILED', { stepId: 'provisioning.key-vault.standard', error: 'quota exceeded' }),
        since: '2026-11-30T09:00:00.000Z',
      },
    ],
    timeline: [
      { at: '2026-11-30T08:00:00.000Z', kind: 'PHASE', message: 'Phase AWAITING_QUALIFICATION', text: message('PHASE_ENTERED', { phase: 'AWAITING_QUALIFICATION' }) },
      { at: '2026-11-30T08:30:00.000Z', kind: 'AUDIT', message: 'rssi@ght: APPROVE approval rssi', text: message('AUDIT_RECORDED', { actor: 'rssi@ght', action: 'APPROVE', target: 'approval rssi' }) },
    ],
    audit: [
      { at: '2026-11-30T08:30:00.000Z', actor: 'rssi@ght', roles: ['customer', 'RSSI'], action: 'APPROVE', target: AUDIT_TEXTS.approvalTarget('rssi') },
      { at: '2026-11-30T09:30:00.000Z', actor: 'ops-1', roles: ['ops'], action: 'EXTEND_DEADLINE', target: AUDIT_TEXTS.everyPendingApproval, comment: AUDIT_TEXTS.extensionComment('P7D') },
    ],
  });
}

/** The texts that people and other systems wrote, and the commands to type: shown as written in any language. */
const AS_WRITTEN = ['quota exceeded', 'GHT Rhône Nord', 'passerelle retry', 'passerelle skip'];

describe('passerelle status in the reader’s language', () => {
  it('prints the run in French with --lang fr, with no word only the English catalogue uses', () => {
    const status = runWithEverything();
    const french = formatStatus(runOverviewOf(status), plain, 200, 'fr');
    expect(french).toContain('En attente du fournisseur : Qualification SecNumCloud en vigueur (le fournisseur est au jalon J2), requise par secnumcloud-hds');
    expect(french).toContain('! provisioning.key-vault.standard: Coffre de clés standard (clés gérées par le client, en France) a échoué : quota exceeded');
    expect(french).toContain('En attente des approbations : analyse d’impact relative à la protection des données (AIPD) (DPO)');
    expect(french).toContain('rssi@ght a approuvé l’approbation « validation du RSSI »');
    expect(french).toContain('Phase : attente de la qualification');
    expect(englishWordsIn(french, AS_WRITTEN)).toEqual([]);
  });

  it('prints the same run in English with --lang en, as the command line always has around the run’s texts', () => {
    const english = formatStatus(runOverviewOf(runWithEverything()), plain, 200, 'en');
    expect(english).toContain('AWAITING_QUALIFICATION  NEEDS_ATTENTION');
    expect(english).toContain('  Waiting for the provider: SecNumCloud qualification in force (the provider is at milestone J2), needed by secnumcloud-hds');
    expect(english).toContain('  Waiting for approvals: dpia (DPO)');
    expect(english).toContain('rssi@ght approved the CISO sign-off');
    // The check finds English where there is English.
    expect(englishWordsIn(english, AS_WRITTEN).length).toBeGreaterThan(5);
  });

  it('shows a run started before message codes in the English it wrote, whatever the language', () => {
    const legacy = runWithEverything();
    delete legacy.gate!.waitingForText;
    legacy.timeline = [{ at: '2026-11-30T08:00:00.000Z', kind: 'PHASE', message: 'Phase AWAITING_QUALIFICATION' }];
    const french = formatStatus(runOverviewOf(legacy), plain, 200, 'fr');
    expect(french).toContain('En attente du fournisseur : SecNumCloud qualification in force (the provider is at milestone J2), needed by secnumcloud-hds');
    expect(french).toContain('Phase AWAITING_QUALIFICATION');
  });
});

describe('the pages of a run in the reader’s language', () => {
  it('renders the timeline, the audit trail and the steps’ notes in French', () => {
    const status = runWithEverything();
    const page = <C extends 'timeline' | 'audit' | 'steps'>(collection: C) => {
      const { items } = runPage(status, collection, { limit: 100 });
      return formatPage(collection, { items, nextCursor: null } as never, 'fr');
    };
    const timeline = page('timeline');
    expect(timeline).toContain('Phase : attente de la qualification');
    const audit = page('audit');
    expect(audit).toContain('a approuvé');
    expect(audit).toContain('l’approbation « validation du RSSI »');
    expect(audit).toContain('toutes les approbations en attente');
    expect(audit).toContain('de 7 jours');
    const steps = page('steps');
    expect(steps).toContain('défaite après l’échec de l’étape « test de fumée »');
    for (const text of [timeline, audit, steps]) expect(englishWordsIn(text, AS_WRITTEN)).toEqual([]);
  });

  it('takes --lang on the command line and keeps it out of the filters the API receives', async () => {
    const status = runWithEverything();
    const api = await startFakeApi((_request, res) => {
      const { items } = runPage(status, 'audit', { limit: 100 });
      sendJson(res, 200, { items, nextCursor: null });
    });
    try {
      let stdout = '';
      const code = await runCli(['audit', 'migration-1', '--lang', 'fr', '--limit', '5', '--api-url', api.url, '--token', 't'], {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: () => undefined },
        env: {},
        cwd: process.cwd(),
      });
      expect(code).toBe(0);
      expect(stdout).toContain('toutes les approbations en attente');
      expect(api.requests.map((request) => request.url)).toEqual(['/v1/migrations/migration-1/audit?limit=5']);
    } finally {
      await api.close();
    }
  });
});
