import { formatProgress } from '../../cli/format';
import { createStyle } from '../../cli/render';
import { type MigrationOverview, type RehearsalView, runOverview } from '../../domain';
import { smallPlan } from '../support/plans';

const plain = createStyle(false);

const launched: RehearsalView['launches'] = [
  {
    workloadId: 'db',
    launchId: 'tl-1',
    network: 'isolated-tl-1',
    smokeTest: { outcome: 'PASSED', checks: [{ name: 'instance-boots', outcome: 'PASSED' }] },
  },
  { workloadId: 'web', launchId: 'tl-2', network: 'isolated-tl-2', smokeTest: { outcome: 'PASSED', checks: [{ name: 'instance-boots', outcome: 'PASSED' }] } },
];

/** A town hall's run whose first wave rehearses, with the rehearsal given. */
function rehearsingRun(rehearsal: RehearsalView | undefined): MigrationOverview {
  return runOverview({
    workflowId: 'migration-mairie',
    customerId: 'mairie-test',
    customerName: 'Mairie de Test',
    phase: 'CUTOVER',
    status: rehearsal?.state === 'FAILED' ? 'NEEDS_ATTENTION' : 'WAITING',
    percentComplete: 60,
    startedAt: '2026-11-30T08:00:00.000Z',
    updatedAt: '2026-11-30T09:00:00.000Z',
    startedBy: 'consultant-1',
    round: 1,
    plan: smallPlan('mairie-lot-1'),
    approvals: [],
    steps: [],
    waves: [{ id: 'wave-1', index: 1, workloadIds: ['db', 'web'], state: 'RUNNING', workflowId: 'migration-mairie/wave-1', ...(rehearsal ? { rehearsal } : {}) }],
    attention: [],
    paused: false,
    timeline: [],
    audit: [],
    resources: {},
  });
}

const awaiting: RehearsalView = { state: 'AWAITING_DECISION', approvalId: 'rehearsal.wave-1', role: 'RSSI', attempt: 1, deadline: '2026-12-07T09:00:00.000Z', launches: launched };

describe('a wave’s rehearsal in passerelle status and watch', () => {
  it('says under the wave whose decision it awaits, until when, how many smoke tests passed and the command that decides it', () => {
    const lines = formatProgress(rehearsingRun(awaiting), plain, 200);
    const wave = lines.findIndex((line) => line.includes('wave 1'));
    expect(lines[wave + 1]).toBe(
      '    Rehearsal, attempt 1: AWAITING_DECISION (RSSI) until 2026-12-07 09:00:00Z; smoke tests passed: 2/2: passerelle rehearsal migration-mairie wave-1 --confirm | --problem --comment "…"',
    );
  });

  it('says it in French with --lang fr', () => {
    const lines = formatProgress(rehearsingRun(awaiting), plain, 240, 'fr');
    expect(lines).toContain(
      '    Répétition, tentative 1 : attend la décision du client (RSSI) jusqu’au 2026-12-07 09:00:00Z ; tests de fumée réussis : 2/2 : passerelle rehearsal migration-mairie wave-1 --confirm | --problem --comment "…"',
    );
  });

  it('shows a failed attempt and one still launching without the command, and nothing for a wave that does not rehearse', () => {
    const failed: RehearsalView = {
      ...awaiting,
      state: 'FAILED',
      attempt: 2,
      failure: 'the smoke test failed',
      launches: [{ ...launched[0]!, smokeTest: { outcome: 'FAILED', checks: [{ name: 'application-answers', outcome: 'FAILED' }] }, tornDown: true }, launched[1]!],
    };
    delete failed.deadline;
    expect(formatProgress(rehearsingRun(failed), plain, 200)).toContain('    Rehearsal, attempt 2: FAILED; smoke tests passed: 1/2');
    const launching: RehearsalView = { ...awaiting, state: 'LAUNCHING', launches: [{ workloadId: 'db' }, { workloadId: 'web' }] };
    delete launching.deadline;
    expect(formatProgress(rehearsingRun(launching), plain, 200)).toContain('    Rehearsal, attempt 1: LAUNCHING');
    expect(formatProgress(rehearsingRun(undefined), plain, 200).some((line) => line.includes('Rehearsal'))).toBe(false);
  });
});
