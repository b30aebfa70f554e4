import {
  type Actor,
  applyDraftEdit,
  categoryEffects,
  type DraftEdit,
  draftEditRefusal,
  type DraftPlan,
  type DraftWorkload,
  previewDraft,
  selectDraftWorkloads,
} from '../../domain';

function workload(id: string, extra: Partial<DraftWorkload> = {}): DraftWorkload {
  return {
    id,
    name: id.toUpperCase(),
    kind: 'vm',
    sizeGb: 100,
    dataCategories: [],
    dependsOn: [],
    criticality: 'MEDIUM',
    source: { file: 'servers.csv', line: 2 },
    facts: {},
    ...extra,
  };
}

const draft: DraftPlan = {
  planId: 'ght-lot-1',
  customer: { id: 'ght', name: 'GHT', type: 'HOSPITAL' },
  workloads: [
    workload('srv-dpi-app01', { kind: 'app', application: 'Dossier patient', dependsOn: ['srv-dpi-sql01', 'srv-ad01'] }),
    workload('srv-dpi-sql01', { kind: 'database', application: 'Dossier patient' }),
    workload('srv-ad01', { application: 'Annuaire' }),
    workload('srv-old-fs01', { excluded: { reason: 'powered off' } }),
  ],
};

const consultant: Actor = { subject: 'consultant-1', roles: ['consultant'], approverRoles: [] };
const dpo: Actor = { subject: 'dpo@ght', roles: ['customer'], customerId: 'ght', approverRoles: ['DPO'] };
const otherCustomer: Actor = { subject: 'dpo@other', roles: ['customer'], customerId: 'other', approverRoles: ['DPO'] };

const tagApplication: DraftEdit = { selection: { application: 'dossier patient' }, change: { dataCategories: ['PERSONAL', 'HEALTH'] } };

describe('selecting workloads of a draft', () => {
  it('selects by application (any case), kind, name fragment and untagged, all criteria together', () => {
    expect(selectDraftWorkloads(draft, { application: 'DOSSIER PATIENT' })).toEqual(['srv-dpi-app01', 'srv-dpi-sql01']);
    expect(selectDraftWorkloads(draft, { application: 'Dossier patient', kind: 'database' })).toEqual(['srv-dpi-sql01']);
    expect(selectDraftWorkloads(draft, { nameContains: 'AD01' })).toEqual(['srv-ad01']);
    expect(selectDraftWorkloads(draft, { untagged: true })).toHaveLength(4);
  });
});

describe('refusing edits', () => {
  it('lets the customer’s approver tag its own draft, and not another customer’s', () => {
    expect(draftEditRefusal(draft, tagApplication, dpo)).toBeUndefined();
    expect(draftEditRefusal(draft, tagApplication, otherCustomer)).toEqual({ reason: 'not-found', message: 'No such draft.' });
  });

  it('keeps the kind for consultants to change', () => {
    const edit: DraftEdit = { selection: { workloadIds: ['srv-ad01'] }, change: { kind: 'ot' } };
    expect(draftEditRefusal(draft, edit, dpo)).toEqual({ reason: 'forbidden', message: 'Only a consultant may change a workload’s kind.' });
    expect(draftEditRefusal(draft, edit, consultant)).toBeUndefined();
  });

  it('refuses unknown workloads, empty selections, duplicate categories and SIIV outside an OIV', () => {
    expect(draftEditRefusal(draft, { selection: { workloadIds: ['srv-nope'] }, change: { criticality: 'HIGH' } }, consultant)?.message).toBe(
      'unknown workload srv-nope: the draft has no such workload',
    );
    expect(draftEditRefusal(draft, { selection: { application: 'Paie' }, change: { criticality: 'HIGH' } }, consultant)?.message).toBe(
      'the selection matches no workload of the draft',
    );
    expect(draftEditRefusal(draft, { selection: { untagged: true }, change: { dataCategories: ['PERSONAL', 'PERSONAL'] } }, consultant)?.message).toBe(
      'data category PERSONAL is listed twice',
    );
    expect(draftEditRefusal(draft, { selection: { untagged: true }, change: { dataCategories: ['SIIV'] } }, consultant)?.message).toMatch(/applies to OIV customers only/);
  });

  it('refuses callers whose roles do not allow editing drafts', () => {
    const ops: Actor = { subject: 'ops-1', roles: ['ops'], approverRoles: [] };
    expect(draftEditRefusal(draft, tagApplication, ops)).toEqual({ reason: 'forbidden', message: 'Your roles (ops) do not allow draft.edit.' });
  });
});

describe('applying edits', () => {
  it('tags every workload of an application, in the rules’ order, and says who and when', () => {
    const { draft: edited, changed } = applyDraftEdit(draft, tagApplication, dpo, '2026-11-30T10:00:00.000Z');
    expect(changed).toEqual(['srv-dpi-app01', 'srv-dpi-sql01']);
    expect(edited.workloads[0]).toMatchObject({ dataCategories: ['PERSONAL', 'HEALTH'], tagged: { by: 'dpo@ght', at: '2026-11-30T10:00:00.000Z' } });
    expect(edited.workloads[2]?.dataCategories).toEqual([]);
  });

  it('excludes and includes again, and reports only what changed', () => {
    const excluded = applyDraftEdit(draft, { selection: { workloadIds: ['srv-ad01', 'srv-old-fs01'] }, change: { excluded: { reason: 'decommissioned' } } }, consultant, 'T');
    expect(excluded.changed).toEqual(['srv-ad01', 'srv-old-fs01']);
    const included = applyDraftEdit(excluded.draft, { selection: { workloadIds: ['srv-old-fs01'] }, change: { excluded: false } }, consultant, 'T');
    expect(included.draft.workloads[3]?.excluded).toBeUndefined();
    expect(applyDraftEdit(included.draft, { selection: { workloadIds: ['srv-old-fs01'] }, change: { excluded: false } }, consultant, 'T').changed).toEqual([]);
  });
});

describe('previewing a draft', () => {
  it('counts what is left to tag and classifies nothing before the first tag', () => {
    const preview = previewDraft(draft);
    expect(preview).toMatchObject({ complete: false, counts: { workloads: 4, included: 3, excluded: 1, tagged: 0, untagged: 3 } });
    expect(preview.classification).toBeUndefined();
  });

  it('classifies the tagged part and names the approvals it already needs', () => {
    const { draft: edited } = applyDraftEdit(draft, tagApplication, dpo, 'T');
    const preview = previewDraft(edited);
    expect(preview.untaggedIds).toEqual(['srv-ad01']);
    expect(preview.classification?.approvals.map((approval) => approval.id)).toEqual(['rssi', 'dpo', 'dpia', 'homologation']);
    expect(preview.classification?.workloads.find((item) => item.id === 'srv-dpi-sql01')).toMatchObject({ level: 'SECNUMCLOUD', hds: true });
    expect(preview.complete).toBe(false);
  });

  it('is complete once every included workload is tagged, dependencies on them followed (R8)', () => {
    const tagged = applyDraftEdit(applyDraftEdit(draft, tagApplication, dpo, 'T').draft, { selection: { untagged: true }, change: { dataCategories: ['IDENTITY'] } }, dpo, 'T');
    // The excluded server is untagged too, but it does not migrate.
    expect(tagged.changed).toEqual(['srv-ad01', 'srv-old-fs01']);
    const preview = previewDraft(tagged.draft, ['srv-ad01']);
    expect(preview.complete).toBe(true);
    expect(preview.classification?.workloads).toEqual([expect.objectContaining({ id: 'srv-ad01', level: 'SECNUMCLOUD', hds: true, rules: ['R7', 'R8'] })]);
  });
});

describe('explaining data categories', () => {
  it('gives each category the rules and approvals the classification derives from it, for the customer’s type', () => {
    const hospital = new Map(categoryEffects('HOSPITAL').map((effect) => [effect.category, effect]));
    expect(hospital.get('HEALTH')).toEqual({ category: 'HEALTH', allowed: true, level: 'SECNUMCLOUD', hds: true, rules: ['R5', 'R6'], approvals: ['rssi', 'dpo', 'dpia', 'homologation'] });
    expect(hospital.get('INTERNAL')).toMatchObject({ level: 'STANDARD', rules: ['R7'], approvals: ['rssi'] });
    expect(hospital.get('CLASSIFIED')).toMatchObject({ level: 'NOT_ELIGIBLE', rules: ['R1'] });
    expect(hospital.get('SIIV')).toMatchObject({ allowed: false, refusal: expect.stringContaining('applies to OIV customers only') as unknown, rules: [], approvals: [] });
    const oiv = new Map(categoryEffects('OIV').map((effect) => [effect.category, effect]));
    expect(oiv.get('SIIV')).toMatchObject({ allowed: true, level: 'SECNUMCLOUD_DEDICATED', rules: ['R3'], approvals: ['rssi', 'homologation', 'anssi-notification'] });
    // The same sensitive category decides differently for a private company (R7) and the State (R4).
    expect(categoryEffects('PRIVATE').find((effect) => effect.category === 'BUSINESS_SECRET')).toMatchObject({ level: 'STANDARD', rules: ['R7'] });
    expect(categoryEffects('STATE').find((effect) => effect.category === 'BUSINESS_SECRET')).toMatchObject({ level: 'SECNUMCLOUD', rules: ['R4'] });
  });
});
