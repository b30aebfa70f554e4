import { formatProgress } from '../../cli/format';
import { createStyle } from '../../cli/render';
import { type MigrationOverview, type MigrationStatus, runOverview, type ZoneGateView } from '../../domain';
import { smallPlan } from '../support/plans';

const plain = createStyle(false);

function zone(zoneId: string, state: ZoneGateView['state'], waitingFor: ZoneGateView['waitingFor'], heldWorkloads: number, workloads: number): ZoneGateView {
  return { zoneId, level: zoneId === 'standard' ? 'STANDARD' : 'SECNUMCLOUD', hds: zoneId.endsWith('-hds'), needs: waitingFor, waitingFor, state, workloads, heldWorkloads, provisioned: state === 'CLEAR' };
}

/** A hospital's run past its approvals: the STANDARD zone moves, the SecNumCloud/HDS zone waits at milestone J2. */
function hospitalRun(phase: MigrationStatus['phase'], status: MigrationStatus['status']): MigrationOverview {
  return runOverview({
    workflowId: 'migration-ght',
    customerId: 'ght-rhone-nord',
    customerName: 'GHT Rhône Nord',
    phase,
    status,
    percentComplete: 40,
    startedAt: '2026-11-30T08:00:00.000Z',
    updatedAt: '2026-11-30T09:00:00.000Z',
    startedBy: 'consultant-1',
    round: 1,
    plan: smallPlan('ght-lot-1', { customerId: 'ght-rhone-nord' }),
    approvals: [],
    gate: {
      waitingFor: ['SecNumCloud qualification in force (the provider is at milestone J2), needed by secnumcloud-hds'],
      checks: 3,
      zones: [zone('standard', 'CLEAR', [], 1, 2), zone('secnumcloud-hds', 'WAITING', ['SECNUMCLOUD_QUALIFICATION'], 6, 6)],
    },
    steps: [],
    waves: [],
    attention: [],
    paused: false,
    timeline: [],
    audit: [],
    resources: {},
  });
}

describe('the gate per zone in passerelle status', () => {
  it('names each waiting zone, what it lacks and how many of its workloads wait, also while other zones cut over', () => {
    for (const phase of ['AWAITING_QUALIFICATION', 'CUTOVER'] as const) {
      const lines = formatProgress(hospitalRun(phase, phase === 'CUTOVER' ? 'RUNNING' : 'WAITING'), plain, 200);
      expect(lines).toContain('  Waiting for the provider: SecNumCloud qualification in force (the provider is at milestone J2), needed by secnumcloud-hds');
      expect(lines).toContain('    zone secnumcloud-hds waits for SECNUMCLOUD_QUALIFICATION; 6 of 6 workload(s) wait');
      expect(lines.some((line) => line.includes('zone standard'))).toBe(false);
    }
  });

  it('says nothing of the gate once the run has ended', () => {
    const lines = formatProgress(hospitalRun('CUTOVER', 'CANCELLED'), plain, 200);
    expect(lines.some((line) => line.includes('Waiting for the provider'))).toBe(false);
  });
});
