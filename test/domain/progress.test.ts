import { CUTOVER_STEPS_PER_WORKLOAD, isStepSettled, percentComplete, type RunProgress, runPercentComplete, STEP_STATES, stepCompletion, type StepState } from '../../domain';

describe('percentComplete', () => {
  it('is 0 for no steps and for steps that have not started', () => {
    expect(percentComplete([])).toBe(0);
    expect(percentComplete([{ state: 'PENDING' }, { state: 'PENDING' }])).toBe(0);
  });

  it('is 100 once every step succeeded or was skipped', () => {
    expect(percentComplete([{ state: 'SUCCEEDED' }, { state: 'SKIPPED' }])).toBe(100);
  });

  it('counts running, waiting and failed steps by their fraction', () => {
    const steps = [{ state: 'SUCCEEDED' }, { state: 'RUNNING', fraction: 0.5 }, { state: 'WAITING' }, { state: 'FAILED', fraction: 0.5 }] as const;
    expect(percentComplete(steps)).toBe(50);
  });

  it('counts compensated steps as undone', () => {
    expect(percentComplete([{ state: 'SUCCEEDED' }, { state: 'COMPENSATED' }])).toBe(50);
  });

  it('weighs steps by their weight', () => {
    expect(percentComplete([{ state: 'SUCCEEDED', weight: 3 }, { state: 'PENDING', weight: 1 }])).toBe(75);
  });

  it('never reaches 100 before every step is settled', () => {
    expect(percentComplete([{ state: 'SUCCEEDED', weight: 1e9 }, { state: 'RUNNING', fraction: 0.999 }])).toBe(99);
  });

  it('ignores nonsensical fractions and weights', () => {
    const steps = [{ state: 'RUNNING', fraction: Number.NaN }, { state: 'RUNNING', fraction: 7 }, { state: 'SUCCEEDED', weight: -2 }] as const;
    expect(percentComplete(steps)).toBe(50);
  });

  it('settles only succeeded and skipped steps', () => {
    expect(STEP_STATES.filter(isStepSettled)).toEqual(['SUCCEEDED', 'SKIPPED']);
  });
});

describe('runPercentComplete', () => {
  const run = (overrides: Partial<RunProgress>): RunProgress => ({ phase: 'ASSESSMENT', status: 'RUNNING', steps: [], waves: [], ...overrides });
  const provisioning = (state: StepState, progress?: number) => ({ phase: 'PROVISIONING' as const, state, ...(progress !== undefined ? { progress } : {}) });

  it('counts every passed phase in full and nothing of the phases to come', () => {
    expect(runPercentComplete(run({}))).toBe(0);
    expect(runPercentComplete(run({ phase: 'AWAITING_QUALIFICATION' }))).toBe(20);
    expect(runPercentComplete(run({ phase: 'PROVISIONING' }))).toBe(25);
  });

  it('counts the current step phase by its steps, a running one by its progress', () => {
    const steps = [provisioning('SUCCEEDED'), provisioning('RUNNING', 0.5), provisioning('PENDING'), provisioning('SKIPPED')];
    expect(runPercentComplete(run({ phase: 'PROVISIONING', steps }))).toBe(25 + Math.floor((25 * 2.5) / 4));
  });

  it('counts a compensated step as undone, exactly as percentComplete does', () => {
    const done = runPercentComplete(run({ phase: 'PROVISIONING', steps: [provisioning('SUCCEEDED'), provisioning('SUCCEEDED')] }));
    const undone = runPercentComplete(run({ phase: 'PROVISIONING', steps: [provisioning('SUCCEEDED'), provisioning('COMPENSATED')] }));
    expect(undone).toBeLessThan(done);
    expect(undone).toBe(25 + Math.floor(25 / 2));
    expect(stepCompletion({ state: 'COMPENSATED' })).toBe(0);
    expect(percentComplete([{ state: 'SUCCEEDED' }, { state: 'COMPENSATED' }])).toBe(50);
  });

  it('counts the steps of every planned wave from the outset of the cutover', () => {
    const waves = [{ workloadIds: ['a'] }, { workloadIds: ['b'] }];
    const steps = Array.from({ length: CUTOVER_STEPS_PER_WORKLOAD }, () => ({ phase: 'CUTOVER' as const, state: 'SUCCEEDED' as const }));
    expect(runPercentComplete(run({ phase: 'CUTOVER', steps, waves }))).toBe(50 + 25);
  });

  it('reaches 100 only once the run has completed', () => {
    const steps = [{ phase: 'CUTOVER' as const, state: 'SUCCEEDED' as const }];
    expect(runPercentComplete(run({ phase: 'CUTOVER', steps }))).toBe(99);
    expect(runPercentComplete(run({ phase: 'DONE', status: 'COMPLETED', steps }))).toBe(100);
  });
});
