import { isStepSettled, percentComplete, STEP_STATES } from '../../domain';

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
