import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyPlan, planWaves, validatePlan } from '../../domain';

interface ExpectedClassification {
  workloads: Record<string, { level: string; hds: boolean; inherited?: boolean }>;
  approvals: string[];
  warnings: unknown[];
}

const estatesDirectory = join(__dirname, '..', 'fixtures', 'estates');
const estates = readdirSync(estatesDirectory)
  .filter((file) => file.endsWith('.plan.json'))
  .map((file) => file.replace(/\.plan\.json$/, ''))
  .sort();

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(estatesDirectory, file), 'utf8')) as unknown;
}

describe('the fixture estates', () => {
  it('include the hospital group and the regional council', () => {
    expect(estates).toEqual(expect.arrayContaining(['hospital-group', 'regional-council']));
  });

  describe.each(estates)('%s', (estate) => {
    const validation = validatePlan(readJson(`${estate}.plan.json`));
    const expected = readJson(`${estate}.expected.json`) as ExpectedClassification;

    it('is a valid plan', () => {
      expect(validation).toMatchObject({ ok: true });
    });

    if (!validation.ok) return;
    const report = classifyPlan(validation.plan);

    it('gives every workload the expected level and hds flag', () => {
      const actual = Object.fromEntries(report.workloads.map((workload) => [workload.id, { level: workload.level, hds: workload.hds }]));
      const wanted = Object.fromEntries(Object.entries(expected.workloads).map(([id, { level, hds }]) => [id, { level, hds }]));
      expect(actual).toEqual(wanted);
    });

    it('marks exactly the expected workloads as inherited through R8', () => {
      for (const workload of report.workloads) {
        const inherited = expected.workloads[workload.id]?.inherited === true;
        expect({ id: workload.id, r8: workload.rules.includes('R8') }).toEqual({ id: workload.id, r8: inherited });
        expect({ id: workload.id, named: workload.inheritedFrom.length > 0 }).toEqual({ id: workload.id, named: inherited });
      }
    });

    it('asks for the expected approvals in order', () => {
      expect(report.approvals.map((approval) => approval.id)).toEqual(expected.approvals);
    });

    it('raises the expected warnings', () => {
      expect(report.warnings.map(({ code, workloadId, dependsOn }) => ({ code, workloadId, dependsOn }))).toEqual(expected.warnings);
    });

    it('plans waves within the maximum size that respect every dependency', () => {
      const waves = planWaves(validation.plan, report);
      const waveOf = new Map(waves.flatMap((wave) => wave.workloadIds.map((id) => [id, wave.index] as const)));
      for (const wave of waves) expect(wave.workloadIds.length).toBeLessThanOrEqual(validation.plan.settings.maxWaveSize);
      for (const workload of validation.plan.workloads) {
        for (const dependency of workload.dependsOn) {
          if (waveOf.has(workload.id) && waveOf.has(dependency)) expect(waveOf.get(dependency)).toBeLessThan(waveOf.get(workload.id) ?? 0);
        }
      }
    });
  });
});

describe('the hospital group estate in detail', () => {
  const validation = validatePlan(readJson('hospital-group.plan.json'));
  if (!validation.ok) throw new Error('hospital-group.plan.json must be valid');
  const report = classifyPlan(validation.plan);

  it('says that the directory inherited from the patient record and the mail', () => {
    expect(report.workloads.find((workload) => workload.id === 'ad')).toEqual({
      id: 'ad',
      kind: 'vm',
      level: 'SECNUMCLOUD',
      hds: true,
      migrates: true,
      rules: ['R7', 'R8'],
      inheritedFrom: ['dpi', 'mail'],
    });
  });

  it('keeps building management on site with its reason', () => {
    expect(report.workloads.find((workload) => workload.id === 'gtc')).toMatchObject({
      level: 'NOT_ELIGIBLE',
      migrates: false,
      reason: 'industrial control systems stay on site',
    });
  });

  it('needs a SecNumCloud qualification and an HDS certificate before provisioning', () => {
    expect(report.landingZones.map((zone) => zone.id)).toEqual(['standard', 'secnumcloud-hds']);
    expect(report.qualificationNeeds).toMatchObject({ secnumcloud: true, hds: true });
  });

  it('plans three waves of at most four workloads', () => {
    expect(planWaves(validation.plan, report)).toEqual([
      { index: 1, id: 'wave-1', workloadIds: ['ad', 'dpi-db', 'website'] },
      { index: 2, id: 'wave-2', workloadIds: ['collab', 'dpi', 'lis', 'mail'] },
      { index: 3, id: 'wave-3', workloadIds: ['pacs', 'payroll'] },
    ]);
  });
});
