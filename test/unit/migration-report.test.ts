import { assessPlan, classifyPlan, CUTOVER_STEPS, type MigrationStatus, planWaves, readReportSection, runOverview, runPage, stepIds, type StepView } from '../../domain';
import { buildMigrationReport, type ReportSource, streamMigrationReport } from '../../use-cases/migration-report';
import { smallPlan } from '../support/plans';
import { runStatus } from '../support/statuses';

/** A run in cutover: its first wave done, one step failed and one skipped in the second, audit kept. */
function runInCutover(): MigrationStatus {
  const plan = smallPlan('report-stream');
  const report = classifyPlan(plan);
  const waves = planWaves(plan, report).map((wave, index) => ({ id: wave.id, index: wave.index, workloadIds: [...wave.workloadIds], state: index === 0 ? ('SUCCEEDED' as const) : ('RUNNING' as const) }));
  const steps: StepView[] = [{ id: stepIds.tenant, phase: 'PROVISIONING', title: 'Tenant', state: 'SUCCEEDED' }];
  for (const [waveIndex, wave] of waves.entries()) {
    for (const workloadId of wave.workloadIds) {
      for (const [position, step] of CUTOVER_STEPS.entries()) {
        const state = waveIndex === 0 ? 'SUCCEEDED' : position === 0 ? 'FAILED' : position === 1 ? 'SKIPPED' : 'PENDING';
        steps.push({
          id: stepIds.cutover(wave.id, workloadId, step.name),
          phase: 'CUTOVER',
          title: step.title,
          state,
          workloadId,
          waveId: wave.id,
          ...(state === 'FAILED' ? { error: { message: 'refused', attempts: 3, at: '2030-01-01T11:00:00.000Z' } } : {}),
          ...(state === 'SKIPPED' ? { skippedReason: 'next lot' } : {}),
        });
      }
    }
  }
  return runStatus({
    phase: 'CUTOVER',
    status: 'NEEDS_ATTENTION',
    plan,
    report,
    assessment: assessPlan(plan, report),
    steps,
    waves,
    audit: Array.from({ length: 700 }, (_, index) => ({ at: '2030-01-01T10:00:00.000Z', actor: `ops-${index}`, roles: ['ops'], action: 'RETRY' })),
    resources: { [stepIds.tenant]: 'tenant-1' },
  });
}

async function textOf(pieces: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of pieces) text += piece;
  return text;
}

describe('the streamed report', () => {
  it('is the report built from the whole status, read from the overview and bounded pages', async () => {
    const status = runInCutover();
    const source: ReportSource = {
      overview: runOverview(status),
      page: (collection, request) => Promise.resolve(runPage(status, collection, request)),
      section: (ask) => Promise.resolve(readReportSection(status, ask)),
      failedStates: ['FAILED'],
    };
    const streamed = JSON.parse(await textOf(streamMigrationReport(source))) as unknown;
    expect(streamed).toEqual(JSON.parse(JSON.stringify(buildMigrationReport(status))));
  });

  it('writes null sections for a run not classified yet', async () => {
    const status = runStatus();
    const source: ReportSource = {
      overview: runOverview(status),
      page: (collection, request) => Promise.resolve(runPage(status, collection, request)),
      section: (ask) => Promise.resolve(readReportSection(status, ask)),
      failedStates: ['FAILED'],
    };
    expect(JSON.parse(await textOf(streamMigrationReport(source)))).toMatchObject({ assessment: null, classification: null, workloads: expect.any(Array) as unknown });
  });
});
