import { assessPlan, classifyPlan, TRANSFER_WARNING_THRESHOLD_SECONDS, transferSeconds } from '../../domain';
import { plan, workload } from './support/plans';

describe('assessPlan', () => {
  it('sizes a transfer in decimal units: 1000 GB at 1000 Mbit/s takes 8000 seconds', () => {
    expect(transferSeconds(1000, 1000)).toBe(8000);
    const report = assessPlan(plan([workload('files', { sizeGb: 1000 })], 'PRIVATE', { settings: { bandwidthMbps: 1000 } }));
    expect(report.workloads[0]).toEqual({
      id: 'files',
      migrates: true,
      sizeGb: 1000,
      transferSeconds: 8000,
      transferDuration: 'PT2H13M20S',
      ready: true,
      blockers: [],
      warnings: [],
    });
  });

  it('warns about a transfer that takes more than a week at the plan bandwidth', () => {
    // 45 TB at 500 Mbit/s is 720,000 s, a little over eight days.
    const report = assessPlan(plan([workload('pacs', { sizeGb: 45_000 })], 'PRIVATE', { settings: { bandwidthMbps: 500 } }));
    expect(report.workloads[0]?.transferSeconds).toBeGreaterThan(TRANSFER_WARNING_THRESHOLD_SECONDS);
    expect(report.workloads[0]?.warnings).toEqual([
      {
        code: 'TRANSFER_OVER_A_WEEK',
        message: expect.stringMatching(/^copying 45000 GB at 500 Mbit\/s takes P8DT8H, more than a week/) as unknown,
        description: { code: 'WARNING_TRANSFER_OVER_A_WEEK', params: { sizeGb: 45_000, bandwidthMbps: 500, duration: 'P8DT8H' } },
      },
    ]);
  });

  it('does not warn about a transfer of exactly a week', () => {
    const sizeGb = (TRANSFER_WARNING_THRESHOLD_SECONDS * 1000) / 8000;
    expect(assessPlan(plan([workload('big', { sizeGb })])).workloads[0]?.warnings).toEqual([]);
  });

  it('blocks a NOT_ELIGIBLE workload with its reason and moves nothing for it', () => {
    const report = assessPlan(plan([workload('plc', { kind: 'ot', sizeGb: 500 })]));
    expect(report.workloads[0]).toMatchObject({
      migrates: false,
      ready: false,
      transferSeconds: 0,
      blockers: [
        {
          code: 'NOT_ELIGIBLE',
          message: 'stays out of the cloud: industrial control systems stay on site',
          description: { code: 'NOT_ELIGIBLE', params: { causes: ['INDUSTRIAL_CONTROL'] } },
        },
      ],
    });
  });

  it('carries the HYBRID_DEPENDENCY warning over from classification', () => {
    const report = assessPlan(plan([workload('historian', { dependsOn: ['scada'] }), workload('scada', { kind: 'ot' })]));
    expect(report.workloads.find((entry) => entry.id === 'historian')?.warnings).toEqual([
      {
        code: 'HYBRID_DEPENDENCY',
        dependsOn: 'scada',
        message: expect.stringMatching(/reach back on-premises/) as unknown,
        description: { code: 'WARNING_HYBRID_DEPENDENCY', params: { workloadId: 'historian', dependsOn: 'scada', causes: ['INDUSTRIAL_CONTROL'] } },
      },
    ]);
  });

  it('totals the migrating workloads only and reuses a report it is given', () => {
    const workloads = [workload('a', { sizeGb: 100 }), workload('b', { sizeGb: 300 }), workload('c', { kind: 'ot', sizeGb: 1_000 })];
    const validPlan = plan(workloads, 'PRIVATE', { settings: { bandwidthMbps: 800 } });
    const report = assessPlan(validPlan, classifyPlan(validPlan));
    expect(report.totals).toEqual({
      workloads: 3,
      migrating: 2,
      blocked: 1,
      withWarnings: 0,
      sizeGb: 400,
      transferSeconds: 4000,
      transferDuration: 'PT1H6M40S',
      longestTransferSeconds: 3000,
    });
    expect(report).toEqual(assessPlan(validPlan));
  });
});
