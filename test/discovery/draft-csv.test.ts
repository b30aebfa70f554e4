import { applyDraftEdit, type DraftPlan, type DraftWorkload } from '../../domain';
import { DiscoveryImportError, draftToCsv, type ImportProblem, readDraftCsv } from '../../discovery';

function workload(id: string, extra: Partial<DraftWorkload> = {}): DraftWorkload {
  return { id, name: id.toUpperCase(), kind: 'vm', sizeGb: 10, dataCategories: [], dependsOn: [], criticality: 'MEDIUM', source: { file: 'a.csv', line: 2 }, facts: {}, ...extra };
}

const draft: DraftPlan = {
  customer: { id: 'ght', name: 'GHT', type: 'HOSPITAL' },
  workloads: [
    workload('srv-dpi-sql01', { kind: 'database', application: 'Dossier patient', facts: { os: 'Windows Server 2022' } }),
    workload('srv-ad01', { name: '=HYPERLINK("http://x")', dataCategories: ['IDENTITY'] }),
    workload('srv-old-fs01', { excluded: { reason: 'powered off' } }),
  ],
};

function problems(action: () => unknown): readonly ImportProblem[] {
  try {
    action();
  } catch (error) {
    if (error instanceof DiscoveryImportError) return error.problems;
    throw error;
  }
  throw new Error('accepted');
}

describe('the draft as a CSV file', () => {
  it('writes one row per workload, formulas defused', () => {
    const lines = draftToCsv(draft).split('\r\n');
    expect(lines[0]).toBe('id,name,application,os,sizeGb,kind,criticality,dataCategories,excluded');
    expect(lines[1]).toBe('srv-dpi-sql01,SRV-DPI-SQL01,Dossier patient,Windows Server 2022,10,database,MEDIUM,,');
    expect(lines[2]).toBe(`srv-ad01,"'=HYPERLINK(""http://x"")",,,10,vm,MEDIUM,IDENTITY,`);
  });

  it('reads nothing to change back from an untouched export', () => {
    expect(readDraftCsv('draft.csv', draftToCsv(draft), draft)).toEqual([]);
  });

  it('reads the answers a spreadsheet user filled in as edits, which apply to the draft', () => {
    const filled = draftToCsv(draft)
      .replace('database,MEDIUM,,', 'database,HIGH,HEALTH PERSONAL,')
      .replace('srv-old-fs01,SRV-OLD-FS01,,,10,vm,MEDIUM,,powered off', 'srv-old-fs01,SRV-OLD-FS01,,,10,storage,MEDIUM,INTERNAL,');
    const edits = readDraftCsv('draft.csv', filled, draft);
    expect(edits).toEqual([
      { selection: { workloadIds: ['srv-dpi-sql01'] }, change: { criticality: 'HIGH', dataCategories: ['HEALTH', 'PERSONAL'] } },
      { selection: { workloadIds: ['srv-old-fs01'] }, change: { kind: 'storage', dataCategories: ['INTERNAL'], excluded: false } },
    ]);
    const applied = edits.reduce((current, edit) => applyDraftEdit(current, edit, { subject: 'rssi@ght' }, 'T').draft, draft);
    expect(applied.workloads[2]).toMatchObject({ kind: 'storage', dataCategories: ['INTERNAL'] });
    expect(applied.workloads[2]?.excluded).toBeUndefined();
  });

  it('refuses unknown workloads, values and categories, naming line and column, and applies nothing', () => {
    const broken = `${draftToCsv(draft).replace('database,MEDIUM,,', 'database,URGENT,SANTE,')}srv-nope,X,,,1,vm,LOW,,\r\n`;
    expect(problems(() => readDraftCsv('draft.csv', broken, draft))).toEqual([
      { file: 'draft.csv', line: 2, column: 'criticality', message: 'must be one of LOW, MEDIUM, HIGH, not "URGENT"' },
      { file: 'draft.csv', line: 2, column: 'dataCategories', message: expect.stringMatching(/^unknown data category SANTE: use PUBLIC, INTERNAL/) as unknown },
      { file: 'draft.csv', line: 5, column: 'id', message: 'unknown workload "srv-nope": the draft has no such workload' },
    ]);
  });
});
