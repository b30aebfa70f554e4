import { classifyPlan, planWaves, type Plan } from '../../domain';
import { plan, workload } from './support/plans';

function wavesOf(validPlan: Plan): string[][] {
  return planWaves(validPlan, classifyPlan(validPlan)).map((wave) => wave.workloadIds);
}

describe('planWaves', () => {
  it('puts a workload in a strictly later wave than its dependencies', () => {
    expect(wavesOf(plan([workload('app', { dependsOn: ['db'] }), workload('db', { dependsOn: ['storage'] }), workload('storage')]))).toEqual([
      ['storage'],
      ['db'],
      ['app'],
    ]);
  });

  it('numbers waves from 1 with stable URL-safe ids', () => {
    const validPlan = plan([workload('app', { dependsOn: ['db'] }), workload('db')]);
    expect(planWaves(validPlan, classifyPlan(validPlan))).toEqual([
      { index: 1, id: 'wave-1', workloadIds: ['db'] },
      { index: 2, id: 'wave-2', workloadIds: ['app'] },
    ]);
  });

  it('splits independent workloads into waves of at most maxWaveSize, by id', () => {
    const workloads = ['e', 'c', 'a', 'd', 'b'].map((id) => workload(id));
    expect(wavesOf(plan(workloads, 'PRIVATE', { settings: { maxWaveSize: 2 } }))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('fills the earliest wave with room that comes after every dependency', () => {
    const workloads = [workload('base'), workload('solo'), workload('top', { dependsOn: ['base'] }), workload('extra')];
    expect(wavesOf(plan(workloads, 'PRIVATE', { settings: { maxWaveSize: 3 } }))).toEqual([['base', 'extra', 'solo'], ['top']]);
  });

  it('leaves NOT_ELIGIBLE workloads out and ignores dependencies on them', () => {
    const workloads = [workload('historian', { dependsOn: ['scada'] }), workload('scada', { kind: 'ot' })];
    expect(wavesOf(plan(workloads))).toEqual([['historian']]);
  });

  it('returns no wave when nothing migrates', () => {
    expect(wavesOf(plan([workload('plc', { kind: 'ot' })]))).toEqual([]);
  });

  it('refuses a plan whose dependencies form a cycle, which validation would have rejected', () => {
    const unvalidated = plan([workload('a'), workload('b')]);
    unvalidated.workloads[0]?.dependsOn.push('b');
    unvalidated.workloads[1]?.dependsOn.push('a');
    expect(() => planWaves(unvalidated, classifyPlan(unvalidated))).toThrow(/cycle/);
  });

  it('plans five thousand workloads, deep and wide, one wave per link of the chain', () => {
    const idOf = (index: number): string => `w${String(index).padStart(4, '0')}`;
    // A chain (each on the previous one) plus a binary tree (each on its half): deep and wide.
    const workloads = Array.from({ length: 5_000 }, (_, index) =>
      workload(idOf(index), { dependsOn: index === 0 ? [] : [...new Set([idOf(index - 1), idOf(Math.floor(index / 2))])] }),
    );
    const validPlan = plan(workloads, 'PRIVATE', { settings: { maxWaveSize: 50 } });
    const report = classifyPlan(validPlan);
    // Timing belongs in bench/ (a shared machine makes a timed assertion flaky); this proves the scale and the order.
    const waves = planWaves(validPlan, report);
    expect(waves).toHaveLength(5_000);
    expect(waves.map((wave) => wave.workloadIds)).toEqual(workloads.map((entry) => [entry.id]));
  });
});
