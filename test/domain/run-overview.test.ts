import {
  applyOverviewChange,
  auditPage,
  classifyPlan,
  CUTOVER_STEPS,
  type MigrationStatus,
  MigrationOverviewSchema,
  OVERVIEW_ACTIVE_WAVES_LIMIT,
  OVERVIEW_ATTENTION_LIMIT,
  overviewChange,
  planWaves,
  runOverview,
  type StepView,
  stepIds,
  stepsPage,
  timelinePage,
  validatePlan,
  wavesPage,
  workloadsPage,
} from '../../domain';
import { runStatus } from '../support/statuses';

const CATEGORIES = [['PUBLIC'], ['PERSONAL'], ['HEALTH'], ['INTERNAL'], ['PERSONAL', 'HEALTH']];

/**
 * A hospital's run in cutover over `count` workloads: classified, in waves of 5, the first half
 * of its waves done, the next one running with a failure, timeline and audit full.
 */
function runOfEstate(count: number): MigrationStatus {
  const validated = validatePlan({
    planId: `estate-${count}`,
    customer: { id: 'chu-synthetic', name: 'CHU synthétique', type: 'HOSPITAL' },
    workloads: Array.from({ length: count }, (_, index) => ({
      id: `w-${String(index).padStart(5, '0')}`,
      name: `Workload number ${index} of the synthetic estate`,
      kind: 'vm',
      sizeGb: 100 + index,
      dataCategories: CATEGORIES[index % CATEGORIES.length],
      dependsOn: index > 0 && index % 7 === 0 ? [`w-${String(index - 1).padStart(5, '0')}`] : [],
      criticality: 'MEDIUM',
    })),
  });
  if (!validated.ok) throw new Error('invalid synthetic plan');
  const plan = validated.plan;
  const report = classifyPlan(plan);
  const planned = planWaves(plan, report);
  const waves = planned.map((wave, index) => ({
    id: wave.id,
    index: wave.index,
    workloadIds: [...wave.workloadIds],
    state: index < planned.length / 2 ? ('SUCCEEDED' as const) : index === Math.ceil(planned.length / 2) ? ('RUNNING' as const) : ('PENDING' as const),
  }));
  const steps: StepView[] = [
    { id: stepIds.tenant, phase: 'PROVISIONING', title: 'Tenant', state: 'SUCCEEDED' },
    ...report.landingZones.map((zone): StepView => ({ id: stepIds.landingZone(zone.id), phase: 'PROVISIONING', title: `Landing zone ${zone.id}`, state: 'SUCCEEDED' })),
  ];
  for (const wave of waves) {
    if (wave.state === 'PENDING') continue;
    for (const workloadId of wave.workloadIds) {
      for (const [position, cutover] of CUTOVER_STEPS.entries()) {
        const state = wave.state === 'SUCCEEDED' ? 'SUCCEEDED' : position === 0 ? 'RUNNING' : 'PENDING';
        steps.push({ id: stepIds.cutover(wave.id, workloadId, cutover.name), phase: 'CUTOVER', title: cutover.title, state, workloadId, waveId: wave.id, startedAt: '2030-01-02T10:00:00.000Z' });
      }
    }
  }
  const failing = steps.find((candidate) => candidate.state === 'RUNNING')!;
  failing.state = 'FAILED';
  failing.error = { message: 'replication refused by the target', attempts: 5, at: '2030-01-02T11:00:00.000Z' };
  const at = (minute: number) => new Date(Date.UTC(2030, 0, 2, 10, minute)).toISOString();
  return runStatus({
    workflowId: `migration-estate-${count}`,
    planId: plan.planId,
    customerId: plan.customer.id,
    customerName: plan.customer.name,
    phase: 'CUTOVER',
    status: 'NEEDS_ATTENTION',
    percentComplete: 70,
    plan,
    report,
    steps,
    waves,
    attention: Array.from({ length: 3 * OVERVIEW_ATTENTION_LIMIT }, (_, index) => ({ stepId: failing.id, reason: 'STEP_FAILED' as const, message: `failure ${index}`, since: at(index) })),
    timeline: Array.from({ length: 500 }, (_, index) => ({ at: at(index), kind: 'STEP_SUCCEEDED', message: `entry ${index}`, stepId: steps[index % steps.length]!.id })),
    timelineTotal: 20_000,
    audit: Array.from({ length: 1000 }, (_, index) => ({ at: at(index), actor: 'ops@passerelle', roles: ['ops'], action: 'RETRY', target: steps[index % steps.length]!.id })),
    auditTotal: 1500,
    resources: Object.fromEntries(report.landingZones.map((zone) => [stepIds.landingZone(zone.id), `lz-${zone.id}`])),
  });
}

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('the overview of a run', () => {
  const large = runOfEstate(10_000);
  const small = runOfEstate(1_000);

  it('stays under 256 KiB for a run of 10,000 workloads, whose full status is megabytes', () => {
    const overview = runOverview(large);
    expect(bytesOf(large)).toBeGreaterThan(4 * 1024 ** 2);
    expect(bytesOf(overview)).toBeLessThanOrEqual(256 * 1024);
    expect(MigrationOverviewSchema.parse(overview)).toEqual(overview);
  });

  it('does not grow with the estate: 10,000 workloads read about as large as 1,000', () => {
    expect(bytesOf(runOverview(large))).toBeLessThan(1.1 * bytesOf(runOverview(small)));
  });

  it('counts every step by state and by phase, and the waves by state', () => {
    const overview = runOverview(large);
    expect(overview.steps.total).toBe(large.steps.length);
    expect(overview.steps.byState.FAILED).toBe(1);
    const cutover = overview.phases.find((phase) => phase.phase === 'CUTOVER')!;
    expect(cutover.total).toBe(large.steps.filter((step) => step.phase === 'CUTOVER').length);
    expect(cutover.percent).toBeLessThan(100);
    expect(overview.waves.total).toBe(large.waves.length);
    expect(overview.waves.byState.SUCCEEDED + overview.waves.byState.RUNNING + overview.waves.byState.PENDING).toBe(large.waves.length);
    expect(overview.waves.active.map((wave) => wave.state)).toEqual(['RUNNING']);
    expect(overview.workloads).toEqual({ total: 10_000, migrating: large.report!.summary.migrating, notEligible: large.report!.summary.notEligible });
  });

  it('lists at most 50 items needing attention and counts them all', () => {
    const overview = runOverview(large);
    expect(overview.attention).toHaveLength(OVERVIEW_ATTENTION_LIMIT);
    expect(overview.attentionTotal).toBe(3 * OVERVIEW_ATTENTION_LIMIT);
  });

  it('details at most 20 active waves', () => {
    const busy = runOfEstate(1_000);
    for (const wave of busy.waves) wave.state = 'RUNNING';
    expect(runOverview(busy).waves.active).toHaveLength(OVERVIEW_ACTIVE_WAVES_LIMIT);
  });

  it('carries the newest timeline and audit entries with their totals', () => {
    const overview = runOverview(large);
    expect(overview.timeline.at(-1)).toEqual(large.timeline.at(-1));
    expect(overview.timelineTotal).toBe(20_000);
    expect(overview.auditTotal).toBe(1500);
  });
});

describe('pages of a run', () => {
  const run = runOfEstate(1_000);

  it('walks every step once, page after page, in run order', () => {
    const seen: string[] = [];
    let after: number | undefined;
    for (;;) {
      const page = stepsPage(run, { limit: 500, ...(after !== undefined ? { after } : {}) });
      seen.push(...page.items.map((step) => step.id));
      if (page.next === null) break;
      after = page.next;
    }
    expect(seen).toEqual(run.steps.map((step) => step.id));
  });

  it('filters steps on state, wave, workload and zone', () => {
    expect(stepsPage(run, { limit: 10, state: 'FAILED' }).items.map((step) => step.state)).toEqual(['FAILED']);
    const wave = run.waves[0]!;
    const ofWave = stepsPage(run, { limit: 500, wave: wave.id });
    expect(ofWave.items).toHaveLength(wave.workloadIds.length * CUTOVER_STEPS.length);
    expect(stepsPage(run, { limit: 500, workload: wave.workloadIds[0] }).items).toHaveLength(CUTOVER_STEPS.length);
    const zone = run.report!.landingZones[0]!;
    const ofZone = stepsPage(run, { limit: 500, zone: zone.id });
    expect(ofZone.items.map((step) => step.id)).toContain(stepIds.landingZone(zone.id));
    expect(ofZone.items.every((step) => step.workloadId === undefined || zone.workloadIds.includes(step.workloadId))).toBe(true);
  });

  it('gives workloads their zone, wave and outcome, filtered on the outcome', () => {
    const page = workloadsPage(run, { limit: 1000 });
    expect(page.items).toHaveLength(1000);
    expect(page.next).toBeNull();
    const migrated = workloadsPage(run, { limit: 1000, state: 'MIGRATED' }).items;
    expect(migrated.length).toBeGreaterThan(0);
    expect(migrated.every((workload) => workload.outcome === 'MIGRATED' && workload.zone !== null && workload.waveId !== null)).toBe(true);
    expect(workloadsPage(run, { limit: 5, state: 'FAILED' }).items).toHaveLength(1);
    const leftOut = workloadsPage(run, { limit: 1000, state: 'LEFT_OUT' }).items;
    expect(leftOut).toHaveLength(run.report!.summary.notEligible);
  });

  it('pages waves with their steps counted', () => {
    const first = wavesPage(run, { limit: 2 });
    expect(first.items.map((wave) => wave.id)).toEqual(run.waves.slice(0, 2).map((wave) => wave.id));
    expect(first.items[0]).toMatchObject({ percent: 100, total: run.waves[0]!.workloadIds.length * CUTOVER_STEPS.length });
    expect(wavesPage(run, { limit: 2, after: first.next! }).items[0]?.id).toBe(run.waves[2]!.id);
    expect(wavesPage(run, { limit: 5, state: 'RUNNING' }).items).toHaveLength(1);
  });

  it('pages the timeline and the audit trail newest first, to the oldest entry kept', () => {
    const first = timelinePage(run, { limit: 300 });
    expect(first.items[0]).toEqual(run.timeline.at(-1));
    const second = timelinePage(run, { limit: 300, after: first.next! });
    expect(second.next).toBeNull();
    expect([...first.items, ...second.items].reverse()).toEqual(run.timeline);
    expect(auditPage(run, { limit: 10 }).items[0]).toEqual(run.audit.at(-1));
  });

  it('keeps a timeline cursor valid while newer entries arrive and older ones leave', () => {
    const grown = structuredClone(run);
    const first = timelinePage(grown, { limit: 10 });
    grown.timeline.push({ at: '2030-01-03T00:00:00.000Z', kind: 'NEW', message: 'newer' });
    grown.timeline.shift();
    grown.timelineTotal! += 1;
    expect(timelinePage(grown, { limit: 1, after: first.next! }).items[0]).toEqual(run.timeline.at(-11));
  });
});

describe('changes of an overview', () => {
  it('says only what changed, with the new timeline entries, and applying it gives the newer overview', () => {
    const before = runOfEstate(200);
    const after = structuredClone(before);
    after.steps[10]!.state = 'FAILED';
    after.updatedAt = '2030-01-03T00:00:00.000Z';
    after.timeline.push({ at: after.updatedAt, kind: 'STEP_FAILED', message: 'failed' });
    after.timelineTotal! += 1;
    after.endedAt = after.updatedAt;
    const change = overviewChange(runOverview(before), runOverview(after))!;
    expect(Object.keys(change.changed).sort()).toEqual(['endedAt', 'phases', 'steps', 'timelineTotal', 'updatedAt']);
    expect(change.timeline).toEqual([after.timeline.at(-1)]);
    expect(change.timelineGap).toBe(false);
    expect(applyOverviewChange(runOverview(before), change)).toEqual(runOverview(after));
    expect(overviewChange(runOverview(after), runOverview(after))).toBeUndefined();
  });

  it('names optional fields that went away', () => {
    const ended = runOfEstate(50);
    ended.endedAt = '2030-01-03T00:00:00.000Z';
    const reopened = structuredClone(ended);
    delete reopened.endedAt;
    const change = overviewChange(runOverview(ended), runOverview(reopened))!;
    expect(change.removed).toEqual(['endedAt']);
    expect(applyOverviewChange(runOverview(ended), change)).toEqual(runOverview(reopened));
  });
});
