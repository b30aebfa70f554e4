import {
  classifyPlan,
  cutoverSchedule,
  CutoverScheduleSchema,
  estateGraph,
  EstateGraphSchema,
  MAX_EXPANDED_WORKLOADS,
  MAX_WAVE_GROUPS,
  type MigrationStatus,
  planWaves,
  type StepView,
  validatePlan,
} from '../../domain';
import { fixturePlan } from '../support/plans';
import { runStatus } from '../support/statuses';

/** A run of `plan` classified and planned in waves, the first `done` waves cut over. */
function plannedRun(plan: MigrationStatus['plan'], done = 0, overrides: Partial<MigrationStatus> = {}): MigrationStatus {
  const report = classifyPlan(plan);
  const waves = planWaves(plan, report).map((wave, index) => ({ ...wave, state: index < done ? ('SUCCEEDED' as const) : ('PENDING' as const) }));
  return runStatus({ plan, report, waves, phase: 'CUTOVER', ...overrides });
}

function syntheticPlan(count: number): MigrationStatus['plan'] {
  const validated = validatePlan({
    planId: `estate-${count}`,
    customer: { id: 'chu-synthetic', name: 'CHU synthétique', type: 'HOSPITAL' },
    workloads: Array.from({ length: count }, (_, index) => ({
      id: `w-${String(index).padStart(5, '0')}`,
      name: `Workload ${index}`,
      kind: index % 97 === 0 ? 'ot' : 'vm',
      sizeGb: 10,
      dataCategories: index % 3 === 0 ? ['HEALTH'] : ['INTERNAL'],
      dependsOn: index > 0 && index % 5 === 0 ? [`w-${String(index - 1).padStart(5, '0')}`] : [],
      criticality: 'MEDIUM',
    })),
    settings: { maxWaveSize: 50 },
  });
  if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
  return validated.plan;
}

/** The hospital group's plan with a historian that reads the building management system, which stays on site. */
function hospitalWithHistorian(): MigrationStatus['plan'] {
  const plan = fixturePlan('hospital-group');
  return { ...plan, workloads: [...plan.workloads, { id: 'historian', name: 'Historique GTC', kind: 'vm', sizeGb: 20, dataCategories: ['INTERNAL'], dependsOn: ['gtc'], criticality: 'LOW' }] };
}

describe('the estate graph', () => {
  const hospital = plannedRun(hospitalWithHistorian());

  it('groups the hospital by zone, keeps the workloads that stay on site apart and marks the hybrid dependencies', () => {
    const graph = EstateGraphSchema.parse(estateGraph(hospital, { groupBy: 'zone' }));
    const report = hospital.report!;
    expect(graph.groups.map((group) => group.id)).toEqual([...report.landingZones.map((zone) => zone.id), ...(report.m365Tenant ? ['m365-tenant'] : []), 'not-eligible']);
    const apart = graph.groups.find((group) => group.id === 'not-eligible')!;
    expect(apart.workloads).toBe(report.summary.notEligible);
    expect(apart.byLevel.NOT_ELIGIBLE).toBe(report.summary.notEligible);
    expect(graph.groups.reduce((sum, group) => sum + group.workloads, 0)).toBe(hospital.plan.workloads.length);
    const hybridWarnings = report.warnings.filter((warning) => warning.code === 'HYBRID_DEPENDENCY');
    expect(hybridWarnings.length).toBeGreaterThan(0);
    expect(graph.groups.reduce((sum, group) => sum + group.hybridWorkloads, 0)).toBe(new Set(hybridWarnings.map((warning) => warning.workloadId)).size);
    const hybridEdges = graph.edges.filter((edge) => edge.hybrid);
    expect(hybridEdges.length).toBeGreaterThan(0);
    for (const edge of hybridEdges) expect(edge.to).toBe('not-eligible');
    expect(graph.groups.find((group) => group.kind === 'zone' && group.hds)?.hdsWorkloads).toBeGreaterThan(0);
  });

  it('groups by wave, with the workloads not yet in a wave apart, and expands a group to its workloads', () => {
    const graph = estateGraph(hospital, { groupBy: 'wave', expand: 'wave-1' });
    expect(graph.groups.filter((group) => group.kind === 'wave').map((group) => group.id)).toEqual(hospital.waves.map((wave) => wave.id));
    expect(graph.expanded?.workloads.map((workload) => workload.id)).toEqual(hospital.plan.workloads.filter((workload) => hospital.waves[0]!.workloadIds.includes(workload.id)).map((workload) => workload.id));
    const before = estateGraph(runStatus({ plan: hospital.plan }), { groupBy: 'wave' });
    expect(before.groups.map((group) => [group.id, group.workloads])).toEqual([['unclassified', hospital.plan.workloads.length]]);
  });

  it('stays bounded at ten thousand workloads: wave groups merged, an expanded group cut at its limit', () => {
    const run = plannedRun(syntheticPlan(10_000));
    expect(run.waves.length).toBeGreaterThan(MAX_WAVE_GROUPS);
    const graph = estateGraph(run, { groupBy: 'wave', expand: 'not-eligible' });
    const waveGroups = graph.groups.filter((group) => group.kind === 'waves' || group.kind === 'wave');
    expect(waveGroups.length).toBeLessThanOrEqual(MAX_WAVE_GROUPS);
    expect(waveGroups[0]?.id).toMatch(/^waves-1-\d+$/);
    expect(waveGroups[0]?.firstWave).toBe(1);
    expect(graph.groups.reduce((sum, group) => sum + group.workloads, 0)).toBe(10_000);
    expect(graph.expanded?.total).toBe(Math.ceil(10_000 / 97));
    const big = estateGraph(run, { groupBy: 'zone', expand: graph.groups.find((group) => group.kind === 'waves')!.id });
    expect(big.expanded).toBeUndefined();
    const zone = estateGraph(run, { groupBy: 'zone', expand: 'secnumcloud-hds' });
    expect(zone.expanded?.workloads).toHaveLength(MAX_EXPANDED_WORKLOADS);
    expect(zone.expanded!.total).toBeGreaterThan(MAX_EXPANDED_WORKLOADS);
    expect(JSON.stringify(zone).length).toBeLessThan(100_000);
  });
});

describe('the cutover schedule', () => {
  const plan = { ...fixturePlan('hospital-group'), cutoverWindow: { timeZone: 'Europe/Paris', weekly: [{ days: ['SAT' as const], start: '22:00', end: '06:00' }], switchoverDuration: 'PT2H' } };
  const now = Date.parse('2026-11-30T12:00:00Z');

  it('shows a waiting wave’s planned span from its next window, and the windows as bands in the customer’s zone', () => {
    const run = plannedRun(plan);
    run.waves[0]!.window = { state: 'WAITING_FOR_WINDOW', opensAt: '2026-12-05T21:00:00.000Z', closesAt: '2026-12-06T05:00:00.000Z', timeZone: 'Europe/Paris', switchoverDuration: 'PT2H' };
    const schedule = CutoverScheduleSchema.parse(cutoverSchedule(run, now));
    expect(schedule.timeZone).toBe('Europe/Paris');
    expect(schedule.waves[0]).toMatchObject({ id: 'wave-1', planned: { start: '2026-12-05T21:00:00.000Z', end: '2026-12-05T23:00:00.000Z' } });
    expect(schedule.bands).toContainEqual({ opensAt: '2026-12-05T21:00:00.000Z', closesAt: '2026-12-06T05:00:00.000Z', exceptional: false });
    expect(Date.parse(schedule.from)).toBeLessThan(now);
    expect(Date.parse(schedule.to)).toBeGreaterThan(Date.parse('2026-12-05T23:00:00.000Z'));
  });

  it('shows the freeze → switch span a wave actually took, and exceptional windows', () => {
    const run = plannedRun(plan, 1, { exceptionalWindows: [{ waveId: 'wave-2', opensAt: '2026-11-30T13:00:00.000Z', closesAt: '2026-11-30T18:00:00.000Z', by: 'ops', reason: 'incident' }] });
    const steps: StepView[] = run.waves[0]!.workloadIds.flatMap((workloadId) => [
      { id: `cutover.wave-1.${workloadId}.freeze`, phase: 'CUTOVER', title: 'freeze', state: 'SUCCEEDED', startedAt: '2026-11-28T22:10:00.000Z', endedAt: '2026-11-28T22:11:00.000Z', waveId: 'wave-1', workloadId },
      { id: `cutover.wave-1.${workloadId}.switch`, phase: 'CUTOVER', title: 'switch', state: 'SUCCEEDED', startedAt: '2026-11-28T23:00:00.000Z', endedAt: '2026-11-28T23:30:00.000Z', waveId: 'wave-1', workloadId },
    ]);
    const schedule = cutoverSchedule({ ...run, steps }, now);
    expect(schedule.waves[0]).toMatchObject({ id: 'wave-1', state: 'SUCCEEDED', actual: { start: '2026-11-28T22:10:00.000Z', end: '2026-11-28T23:30:00.000Z' } });
    expect(schedule.bands).toContainEqual({ opensAt: '2026-11-30T13:00:00.000Z', closesAt: '2026-11-30T18:00:00.000Z', waveId: 'wave-2', exceptional: true });
    expect(schedule.totalWaves).toBe(run.waves.length);
  });

  it('has no bands for a plan without cutover windows', () => {
    const schedule = cutoverSchedule(plannedRun(fixturePlan('hospital-group')), now);
    expect(schedule).toMatchObject({ hasWindows: false, bands: [] });
    expect(schedule.timeZone).toBeUndefined();
  });
});
