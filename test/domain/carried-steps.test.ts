import { CUTOVER_STEPS, type PackedSteps, packSteps, stepIds, type StepView, unpackSteps } from '../../domain';
import { smallPlan } from '../support/plans';

const plan = smallPlan('carried');
const waves = [{ id: 'wave-1' }, { id: 'wave-2' }];
const frame = { plan, waves, startedAt: '2030-01-01T10:00:00.000Z' };

function cutoverStep(waveId: string, workloadIndex: number, position: number, overrides: Partial<StepView> = {}): StepView {
  const workload = plan.workloads[workloadIndex]!;
  const definition = CUTOVER_STEPS[position]!;
  return {
    id: stepIds.cutover(waveId, workload.id, definition.name),
    phase: 'CUTOVER',
    title: `${workload.name}: ${definition.title}`,
    state: 'SUCCEEDED',
    startedAt: '2030-01-01T10:05:00.123Z',
    endedAt: '2030-01-02T11:00:00.000Z',
    workloadId: workload.id,
    waveId,
    ...overrides,
  };
}

describe('the steps continue-as-new carries', () => {
  it('packs cutover steps as tuples and gives back every step as it was, in order', () => {
    const steps: StepView[] = [
      { id: stepIds.tenant, phase: 'PROVISIONING', title: 'Tenant', state: 'SUCCEEDED', startedAt: '2030-01-01T10:01:00.000Z' },
      cutoverStep('wave-1', 0, 0, { progress: 1 }),
      cutoverStep('wave-1', 0, 1),
      cutoverStep('wave-2', 1, 0, { state: 'RUNNING', endedAt: undefined, progress: 0.4 }),
      cutoverStep('wave-2', 1, 1, { state: 'PENDING', startedAt: undefined, endedAt: undefined }),
      cutoverStep('wave-2', 1, 2, { state: 'FAILED', error: { message: 'refused', attempts: 3, at: '2030-01-02T10:00:00.000Z' } }),
      cutoverStep('wave-2', 1, 3, { state: 'SKIPPED', skippedReason: 'moves next lot' }),
    ].map((step) => JSON.parse(JSON.stringify(step)) as StepView);
    const packed = packSteps(steps, frame);
    expect(packed.map((entry) => Array.isArray(entry))).toEqual([false, true, true, true, true, false, false]);
    expect(unpackSteps(JSON.parse(JSON.stringify(packed)) as PackedSteps, frame)).toEqual(steps);
  });

  it('keeps whole a cutover step whose title, id or time the tuple would not give back exactly', () => {
    const steps = [
      cutoverStep('wave-1', 0, 0, { title: 'renamed by an older run' }),
      cutoverStep('wave-9', 0, 0),
      cutoverStep('wave-1', 0, 0, { startedAt: '2030-01-01T10:05:00Z' }),
    ];
    expect(packSteps(steps, frame).every((entry) => !Array.isArray(entry))).toBe(true);
    expect(unpackSteps(packSteps(steps, frame), frame)).toEqual(steps);
  });

  it('carries cutover steps in a fifth of their size or less', () => {
    const steps = CUTOVER_STEPS.flatMap((_, position) => plan.workloads.map((__, index) => cutoverStep('wave-1', index, position)));
    expect(JSON.stringify(packSteps(steps, frame)).length * 5).toBeLessThan(JSON.stringify(steps).length);
  });

  it('refuses a tuple that names no wave of the run', () => {
    expect(() => unpackSteps([[7, 0, 0, 0, null, null]], frame)).toThrow(/names no wave, workload, step or state/);
  });
});
