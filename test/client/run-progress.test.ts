import { phaseProgress, waveProgress } from '../../client/run-progress';
import { runOverview, wavesPage } from '../../domain';
import { runStatus, step } from '../support/statuses';

const approval = (id: string, state: 'PENDING' | 'APPROVED', round = 1) => ({
  id,
  role: 'RSSI',
  rules: ['always'],
  state,
  round,
  requestedAt: '2030-01-01T10:00:00.000Z',
  dueAt: '2030-01-31T10:00:00.000Z',
});

describe('run progress', () => {
  it('fills passed phases, leaves upcoming ones empty and measures the current one by its steps', () => {
    const status = runStatus({
      phase: 'PROVISIONING',
      steps: [
        step('assessment', 'ASSESSMENT', { state: 'SUCCEEDED' }),
        step('provisioning.tenant', 'PROVISIONING', { state: 'SUCCEEDED' }),
        step('provisioning.landing-zone.standard', 'PROVISIONING', { state: 'FAILED' }),
        step('provisioning.key-vault.standard', 'PROVISIONING'),
        step('provisioning.policies.standard', 'PROVISIONING'),
      ],
    });
    const phases = phaseProgress(runOverview(status));
    expect(phases.map((phase) => [phase.id, phase.position, phase.percent])).toEqual([
      ['ASSESSMENT', 'done', 100],
      ['CLASSIFICATION', 'done', 100],
      ['AWAITING_APPROVAL', 'done', 100],
      ['AWAITING_QUALIFICATION', 'done', 100],
      ['PROVISIONING', 'current', 25],
      ['CUTOVER', 'upcoming', 0],
      ['DONE', 'upcoming', 0],
    ]);
    expect(phases[4]).toMatchObject({ settled: 1, total: 4, failed: true });
  });

  it('measures the approvals phase by the approvals of the current round', () => {
    const status = runStatus({
      phase: 'AWAITING_APPROVAL',
      round: 2,
      approvals: [approval('rssi', 'APPROVED', 1), approval('rssi', 'APPROVED', 2), approval('dpo', 'PENDING', 2), approval('dpia', 'PENDING', 2)],
    });
    expect(phaseProgress(runOverview(status))[2]).toMatchObject({ id: 'AWAITING_APPROVAL', position: 'current', percent: 33, settled: 1, total: 3 });
  });

  it('marks every phase done once the run has completed', () => {
    const phases = phaseProgress(runOverview(runStatus({ phase: 'DONE', status: 'COMPLETED' })));
    expect(phases.every((phase) => phase.position === 'done' && phase.percent === 100)).toBe(true);
  });

  it('measures each wave by its own steps, replication by its progress, in wave order', () => {
    const status = runStatus({
      phase: 'CUTOVER',
      waves: [
        { id: 'wave-2', index: 2, workloadIds: ['web'], state: 'PENDING' },
        { id: 'wave-1', index: 1, workloadIds: ['db'], state: 'RUNNING' },
      ],
      steps: [
        step('cutover.wave-1.db.replicate', 'CUTOVER', { state: 'SUCCEEDED', waveId: 'wave-1' }),
        step('cutover.wave-1.db.freeze', 'CUTOVER', { state: 'RUNNING', progress: 0.5, waveId: 'wave-1' }),
        step('cutover.wave-2.web.replicate', 'CUTOVER', { waveId: 'wave-2' }),
      ],
    });
    expect(waveProgress(wavesPage(status, { limit: 10 }).items).map((wave) => [wave.id, wave.percent, wave.settled, wave.total, wave.state])).toEqual([
      ['wave-1', 75, 1, 2, 'RUNNING'],
      ['wave-2', 0, 0, 1, 'PENDING'],
    ]);
  });
});
