import {
  classifyPlan,
  classifyWorkload,
  compareHostingLevels,
  HOSTING_LEVELS,
  qualificationNeedsForZone,
  qualificationSatisfied,
  renderStoredMessage,
  SENSITIVE_CATEGORIES,
  type ClassificationReport,
  type CustomerType,
  type WorkloadClassification,
} from '../../domain';
import { plan, workload } from './support/plans';

function entry(report: ClassificationReport, id: string): WorkloadClassification {
  const found = report.workloads.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no workload ${id} in the report`);
  return found;
}

function approvalIds(report: ClassificationReport): string[] {
  return report.approvals.map((approval) => approval.id);
}

describe('rule R1: classified data and industrial control stay out of the cloud', () => {
  it('makes a workload with CLASSIFIED data NOT_ELIGIBLE with the IGI 1300 reason', () => {
    const report = classifyPlan(plan([workload('archives', { dataCategories: ['CLASSIFIED', 'HEALTH', 'DIFFUSION_RESTREINTE'] })], 'STATE'));
    expect(entry(report, 'archives')).toEqual({
      id: 'archives',
      kind: 'app',
      level: 'NOT_ELIGIBLE',
      hds: false,
      migrates: false,
      rules: ['R1'],
      inheritedFrom: [],
      reason: 'classified information stays off the cloud (IGI 1300)',
      reasonMessage: { code: 'NOT_ELIGIBLE', params: { causes: ['CLASSIFIED'] } },
    });
  });

  it('makes an ot workload NOT_ELIGIBLE because industrial control systems stay on site', () => {
    const report = classifyPlan(plan([workload('gtc', { kind: 'ot', dataCategories: ['INTERNAL'] })]));
    expect(entry(report, 'gtc')).toMatchObject({
      level: 'NOT_ELIGIBLE',
      migrates: false,
      rules: ['R1'],
      reason: 'industrial control systems stay on site',
    });
  });

  it('gives both reasons when an ot workload also holds classified data', () => {
    const own = classifyWorkload({ kind: 'ot', dataCategories: ['CLASSIFIED'] }, 'OIV');
    expect(own.reason).toBe('classified information stays off the cloud (IGI 1300); industrial control systems stay on site');
  });
});

describe('rules R2 and R3: dedicated SecNumCloud', () => {
  it('puts DIFFUSION_RESTREINTE on SECNUMCLOUD_DEDICATED (R2) whatever the customer', () => {
    expect(classifyWorkload({ kind: 'storage', dataCategories: ['DIFFUSION_RESTREINTE'] }, 'PRIVATE')).toEqual({
      level: 'SECNUMCLOUD_DEDICATED',
      hds: false,
      rules: ['R2'],
    });
  });

  it("puts an OIV's SIIV on SECNUMCLOUD_DEDICATED (R3)", () => {
    expect(classifyWorkload({ kind: 'vm', dataCategories: ['SIIV'] }, 'OIV')).toEqual({ level: 'SECNUMCLOUD_DEDICATED', hds: false, rules: ['R3'] });
  });
});

describe('rule R4: State administrations host sensitive data on SecNumCloud', () => {
  it.each(SENSITIVE_CATEGORIES)('puts a STATE workload holding %s on SECNUMCLOUD', (category) => {
    const own = classifyWorkload({ kind: 'app', dataCategories: [category] }, 'STATE');
    expect(own.level).toBe('SECNUMCLOUD');
    expect(own.rules).toContain('R4');
    expect(own.rules).not.toContain('R7');
  });

  it('leaves a STATE workload without sensitive data on STANDARD (R7)', () => {
    expect(classifyWorkload({ kind: 'app', dataCategories: ['PERSONAL', 'IDENTITY', 'INTERNAL', 'PUBLIC'] }, 'STATE')).toEqual({
      level: 'STANDARD',
      hds: false,
      rules: ['R7'],
    });
  });
});

describe('rule R5: OIV, OSE and hospitals host sensitive data on SecNumCloud', () => {
  it.each<CustomerType>(['OIV', 'OSE', 'HOSPITAL'])('puts sensitive data of a %s customer on SECNUMCLOUD', (customerType) => {
    expect(classifyWorkload({ kind: 'app', dataCategories: ['BUSINESS_SECRET'] }, customerType)).toEqual({
      level: 'SECNUMCLOUD',
      hds: false,
      rules: ['R5'],
    });
  });

  it.each<CustomerType>(['LOCAL_AUTHORITY', 'PRIVATE'])('leaves sensitive data of a %s customer on STANDARD', (customerType) => {
    expect(classifyWorkload({ kind: 'app', dataCategories: ['ESSENTIAL_MISSION', 'PERSONAL_SPECIAL'] }, customerType).level).toBe('STANDARD');
  });
});

describe('rule R6: health data needs an HDS-certified host', () => {
  it('lists R5 and R6 for a hospital workload holding HEALTH data', () => {
    expect(classifyWorkload({ kind: 'app', dataCategories: ['HEALTH', 'PERSONAL'] }, 'HOSPITAL')).toEqual({
      level: 'SECNUMCLOUD',
      hds: true,
      rules: ['R5', 'R6'],
    });
  });

  it('sets hds on a STANDARD workload of a private customer, with R6 and R7', () => {
    expect(classifyWorkload({ kind: 'app', dataCategories: ['HEALTH'] }, 'PRIVATE')).toEqual({ level: 'STANDARD', hds: true, rules: ['R6', 'R7'] });
  });
});

describe('rule R7: everything else is STANDARD', () => {
  it('puts ordinary data on STANDARD', () => {
    expect(classifyWorkload({ kind: 'vm', dataCategories: ['PUBLIC'] }, 'OIV')).toEqual({ level: 'STANDARD', hds: false, rules: ['R7'] });
  });
});

describe('the highest level applies and every rule that applied is listed', () => {
  it('lists R2, R4 and R6 for restricted State health data and keeps the dedicated level', () => {
    expect(classifyWorkload({ kind: 'database', dataCategories: ['HEALTH', 'DIFFUSION_RESTREINTE'] }, 'STATE')).toEqual({
      level: 'SECNUMCLOUD_DEDICATED',
      hds: true,
      rules: ['R2', 'R4', 'R6'],
    });
  });

  it('lists R2, R3 and R5 for an OIV workload that is both SIIV and restricted', () => {
    const own = classifyWorkload({ kind: 'vm', dataCategories: ['SIIV', 'DIFFUSION_RESTREINTE', 'BUSINESS_SECRET'] }, 'OIV');
    expect(own.rules).toEqual(['R2', 'R3', 'R5']);
  });
});

describe('rule R8: a dependency is at least as trusted as what relies on it', () => {
  it('raises a direct dependency to the level and hds flag of its dependent and names it', () => {
    const report = classifyPlan(
      plan([workload('dpi', { dataCategories: ['HEALTH'], dependsOn: ['ad'] }), workload('ad', { dataCategories: ['IDENTITY'] })], 'HOSPITAL'),
    );
    expect(entry(report, 'ad')).toEqual({
      id: 'ad',
      kind: 'app',
      level: 'SECNUMCLOUD',
      hds: true,
      migrates: true,
      rules: ['R7', 'R8'],
      inheritedFrom: ['dpi'],
    });
  });

  it('raises dependencies transitively, through workloads that inherited themselves', () => {
    const report = classifyPlan(
      plan([
        workload('front', { dataCategories: ['DIFFUSION_RESTREINTE'], dependsOn: ['middle'] }),
        workload('middle', { dependsOn: ['back'] }),
        workload('back'),
      ]),
    );
    expect(entry(report, 'middle')).toMatchObject({ level: 'SECNUMCLOUD_DEDICATED', rules: ['R7', 'R8'], inheritedFrom: ['front'] });
    expect(entry(report, 'back')).toMatchObject({ level: 'SECNUMCLOUD_DEDICATED', rules: ['R7', 'R8'], inheritedFrom: ['middle'] });
  });

  it('passes on the hds flag alone when the level is already high enough', () => {
    const report = classifyPlan(
      plan(
        [workload('care', { dataCategories: ['HEALTH'], dependsOn: ['files'] }), workload('files', { dataCategories: ['BUSINESS_SECRET'] })],
        'OSE',
      ),
    );
    expect(entry(report, 'files')).toMatchObject({ level: 'SECNUMCLOUD', hds: true, rules: ['R5', 'R8'], inheritedFrom: ['care'] });
  });

  it('names only the dependents that carried the final level down', () => {
    const report = classifyPlan(
      plan([
        workload('restricted', { dataCategories: ['DIFFUSION_RESTREINTE'], dependsOn: ['ad'] }),
        workload('secret', { dataCategories: ['BUSINESS_SECRET'], dependsOn: ['ad'] }),
        workload('public', { dataCategories: ['PUBLIC'], dependsOn: ['ad'] }),
        workload('ad', { dataCategories: ['IDENTITY'] }),
      ], 'OIV'),
    );
    expect(entry(report, 'ad')).toMatchObject({ level: 'SECNUMCLOUD_DEDICATED', inheritedFrom: ['restricted'] });
  });

  it('leaves a dependency that already meets the requirement untouched, without R8', () => {
    const report = classifyPlan(plan([workload('web', { dependsOn: ['vault'] }), workload('vault', { dataCategories: ['DIFFUSION_RESTREINTE'] })]));
    expect(entry(report, 'vault')).toMatchObject({ level: 'SECNUMCLOUD_DEDICATED', rules: ['R2'], inheritedFrom: [] });
    expect(entry(report, 'web')).toMatchObject({ level: 'STANDARD', rules: ['R7'], inheritedFrom: [] });
  });

  it('never propagates NOT_ELIGIBLE to dependencies', () => {
    const report = classifyPlan(plan([workload('scada', { kind: 'ot', dependsOn: ['historian'] }), workload('historian')]));
    expect(entry(report, 'historian')).toMatchObject({ level: 'STANDARD', migrates: true, rules: ['R7'], inheritedFrom: [] });
  });

  it('does not pull a NOT_ELIGIBLE workload up because something relies on it', () => {
    const report = classifyPlan(
      plan(
        [
          workload('records', { dataCategories: ['DIFFUSION_RESTREINTE'], dependsOn: ['vault'] }),
          workload('vault', { dataCategories: ['CLASSIFIED'] }),
        ],
        'STATE',
      ),
    );
    expect(entry(report, 'vault')).toMatchObject({ level: 'NOT_ELIGIBLE', hds: false, rules: ['R1'], inheritedFrom: [] });
  });

});

describe('rule R8 through workloads that stay on site', () => {
  it('passes the level and hds flag through a NOT_ELIGIBLE workload and names the workload it came from', () => {
    const report = classifyPlan(
      plan([
        workload('records', { dataCategories: ['DIFFUSION_RESTREINTE', 'HEALTH'], dependsOn: ['plc'] }),
        workload('plc', { kind: 'ot', dependsOn: ['logs'] }),
        workload('logs'),
      ]),
    );
    expect(entry(report, 'logs')).toEqual({
      id: 'logs',
      kind: 'app',
      level: 'SECNUMCLOUD_DEDICATED',
      hds: true,
      migrates: true,
      rules: ['R7', 'R8'],
      inheritedFrom: ['records'],
      inheritedThrough: ['plc'],
    });
    expect(entry(report, 'plc')).toEqual({
      id: 'plc',
      kind: 'ot',
      level: 'NOT_ELIGIBLE',
      hds: false,
      migrates: false,
      rules: ['R1'],
      inheritedFrom: [],
      reason: 'industrial control systems stay on site',
      reasonMessage: { code: 'NOT_ELIGIBLE', params: { causes: ['INDUSTRIAL_CONTROL'] } },
    });
  });

  it('crosses a chain of several on-site workloads and keeps raising beyond it', () => {
    const report = classifyPlan(
      plan(
        [
          workload('care', { dataCategories: ['HEALTH'], dependsOn: ['plc'] }),
          workload('plc', { kind: 'ot', dependsOn: ['vault'] }),
          workload('vault', { dataCategories: ['CLASSIFIED'], dependsOn: ['gateway'] }),
          workload('gateway', { dependsOn: ['store'] }),
          workload('store'),
        ],
        'HOSPITAL',
      ),
    );
    expect(entry(report, 'gateway')).toMatchObject({
      level: 'SECNUMCLOUD',
      hds: true,
      rules: ['R7', 'R8'],
      inheritedFrom: ['care'],
      inheritedThrough: ['plc', 'vault'],
    });
    // Beyond the on-site chain, inheritance is ordinary again: store names gateway, crossing nothing.
    expect(entry(report, 'store')).toEqual(expect.objectContaining({ level: 'SECNUMCLOUD', hds: true, inheritedFrom: ['gateway'] }));
    expect(entry(report, 'store').inheritedThrough).toBeUndefined();
    expect(report.workloads.filter((workload) => !workload.migrates).map((workload) => [workload.id, workload.level])).toEqual([
      ['plc', 'NOT_ELIGIBLE'],
      ['vault', 'NOT_ELIGIBLE'],
    ]);
  });

  it('warns about the direct dependency on site only, not about what lies beyond it', () => {
    const report = classifyPlan(
      plan([
        workload('records', { dataCategories: ['DIFFUSION_RESTREINTE'], dependsOn: ['plc'] }),
        workload('plc', { kind: 'ot', dependsOn: ['logs'] }),
        workload('logs', { dependsOn: ['archive'] }),
        workload('archive'),
      ]),
    );
    expect(report.warnings.map(({ code, workloadId, dependsOn }) => ({ code, workloadId, dependsOn }))).toEqual([
      { code: 'HYBRID_DEPENDENCY', workloadId: 'records', dependsOn: 'plc' },
    ]);
  });

  it('joins a diamond: both branches through on-site workloads reach the same dependency', () => {
    const report = classifyPlan(
      plan(
        [
          workload('restricted', { dataCategories: ['DIFFUSION_RESTREINTE'], dependsOn: ['plc-a', 'plc-b'] }),
          workload('plc-a', { kind: 'ot', dependsOn: ['db'] }),
          workload('plc-b', { kind: 'ot', dependsOn: ['db'] }),
          workload('db'),
        ],
        'OIV',
      ),
    );
    expect(entry(report, 'db')).toMatchObject({
      level: 'SECNUMCLOUD_DEDICATED',
      inheritedFrom: ['restricted'],
      inheritedThrough: ['plc-a', 'plc-b'],
    });
  });

  it('joins a mixed diamond: one branch migrates, the other stays on site, each carrying a different requirement', () => {
    const report = classifyPlan(
      plan(
        [
          workload('top', { dataCategories: ['DIFFUSION_RESTREINTE'], dependsOn: ['care', 'plc'] }),
          workload('care', { dataCategories: ['HEALTH'], dependsOn: ['db'] }),
          workload('plc', { kind: 'ot', dependsOn: ['db'] }),
          workload('db'),
        ],
        'PRIVATE',
      ),
    );
    // top passes the dedicated level through plc and down care; care's hds comes directly.
    expect(entry(report, 'care')).toMatchObject({ level: 'SECNUMCLOUD_DEDICATED', hds: true, inheritedFrom: ['top'] });
    expect(entry(report, 'db')).toMatchObject({
      level: 'SECNUMCLOUD_DEDICATED',
      hds: true,
      rules: ['R7', 'R8'],
      inheritedFrom: ['care', 'top'],
      inheritedThrough: ['plc'],
    });
  });

  it('fans out: one on-site workload passes the requirement to every dependency it has', () => {
    const report = classifyPlan(
      plan(
        [
          workload('dpi', { dataCategories: ['HEALTH'], dependsOn: ['bms'] }),
          workload('bms', { kind: 'ot', dependsOn: ['sensors', 'badge', 'video'] }),
          workload('sensors'),
          workload('badge', { dataCategories: ['PERSONAL'] }),
          workload('video', { dataCategories: ['PERSONAL_SPECIAL'] }),
        ],
        'HOSPITAL',
      ),
    );
    for (const id of ['sensors', 'badge', 'video']) {
      expect(entry(report, id)).toMatchObject({ level: 'SECNUMCLOUD', hds: true, inheritedFrom: ['dpi'], inheritedThrough: ['bms'] });
    }
    // video was SECNUMCLOUD on its own (R5): it inherits only the hds flag.
    expect(entry(report, 'video').rules).toEqual(['R5', 'R8']);
  });

  it('fans in: several migrating workloads through one on-site workload, naming only those that carried the final level', () => {
    const report = classifyPlan(
      plan(
        [
          workload('restricted', { dataCategories: ['DIFFUSION_RESTREINTE'], dependsOn: ['plc'] }),
          workload('secret', { dataCategories: ['BUSINESS_SECRET'], dependsOn: ['plc'] }),
          workload('public', { dataCategories: ['PUBLIC'], dependsOn: ['plc'] }),
          workload('plc', { kind: 'ot', dependsOn: ['historian'] }),
          workload('historian'),
        ],
        'OIV',
      ),
    );
    expect(entry(report, 'historian')).toMatchObject({
      level: 'SECNUMCLOUD_DEDICATED',
      inheritedFrom: ['restricted'],
      inheritedThrough: ['plc'],
    });
  });

  it('passes nothing when no migrating workload relies on the on-site one', () => {
    const report = classifyPlan(plan([workload('plc', { kind: 'ot', dependsOn: ['historian'] }), workload('historian')]));
    expect(entry(report, 'historian')).toEqual({
      id: 'historian',
      kind: 'app',
      level: 'STANDARD',
      hds: false,
      migrates: true,
      rules: ['R7'],
      inheritedFrom: [],
    });
  });

  it('classifies a long on-site chain of ten thousand workloads without overflowing the stack', () => {
    const chain = Array.from({ length: 9_998 }, (_, index) =>
      workload(`plc-${index}`, { kind: 'ot', dependsOn: [index + 1 < 9_998 ? `plc-${index + 1}` : 'historian'] }),
    );
    const report = classifyPlan(
      plan([workload('records', { dataCategories: ['DIFFUSION_RESTREINTE'], dependsOn: ['plc-0'] }), ...chain, workload('historian')]),
    );
    expect(entry(report, 'historian')).toMatchObject({ level: 'SECNUMCLOUD_DEDICATED', inheritedFrom: ['records'] });
    expect(entry(report, 'historian').inheritedThrough).toHaveLength(9_998);
  });
});

describe('HYBRID_DEPENDENCY warnings', () => {
  it('warns when a migrating workload depends directly on a NOT_ELIGIBLE one', () => {
    const report = classifyPlan(
      plan([
        workload('historian', { dependsOn: ['scada'] }),
        workload('dashboard', { dependsOn: ['historian'] }),
        workload('scada', { kind: 'ot' }),
        workload('plc', { kind: 'ot', dependsOn: ['scada'] }),
      ]),
    );
    expect(report.warnings).toEqual([
      {
        code: 'HYBRID_DEPENDENCY',
        workloadId: 'historian',
        dependsOn: 'scada',
        message: 'historian depends on scada, which stays out of the cloud (industrial control systems stay on site): it will reach back on-premises',
        description: { code: 'WARNING_HYBRID_DEPENDENCY', params: { workloadId: 'historian', dependsOn: 'scada', causes: ['INDUSTRIAL_CONTROL'] } },
      },
    ]);
  });

  it('sorts warnings by workload, then dependency', () => {
    const report = classifyPlan(
      plan([
        workload('b', { dependsOn: ['y', 'x'] }),
        workload('a', { dependsOn: ['y'] }),
        workload('x', { kind: 'ot' }),
        workload('y', { dataCategories: ['CLASSIFIED'] }),
      ]),
    );
    expect(report.warnings.map((warning) => `${warning.workloadId}->${warning.dependsOn}`)).toEqual(['a->y', 'b->x', 'b->y']);
  });
});

describe('approvals', () => {
  it('always asks the RSSI', () => {
    const report = classifyPlan(plan([workload('web', { dataCategories: ['PUBLIC'] })]));
    expect(report.approvals).toEqual([
      {
        id: 'rssi',
        role: 'RSSI',
        rules: ['always'],
        basis: expect.any(String) as unknown,
        reasons: [{ code: 'APPROVAL_NEEDED_ALWAYS', params: {} }],
        basisMessage: { code: 'APPROVAL_BASIS', params: { approvalId: 'rssi' } },
      },
    ]);
  });

  it('asks the DPO when a migrating workload holds PERSONAL data, and says where', () => {
    const report = classifyPlan(plan([workload('payroll', { dataCategories: ['PERSONAL'] })]));
    expect(report.approvals[1]).toMatchObject({ id: 'dpo', role: 'DPO', rules: ['PERSONAL in payroll'] });
    expect(approvalIds(report)).toEqual(['rssi', 'dpo']);
  });

  it.each(['PERSONAL_SPECIAL', 'HEALTH'] as const)('asks the DPO for an impact assessment when a migrating workload holds %s', (category) => {
    const report = classifyPlan(plan([workload('care', { dataCategories: [category] })]));
    expect(approvalIds(report)).toEqual(['rssi', 'dpo', 'dpia']);
    expect(report.approvals[2]).toMatchObject({ id: 'dpia', role: 'DPO', rules: [`${category} in care`] });
  });

  it('asks for homologation when a migrating workload is SECNUMCLOUD or higher, counting inherited levels', () => {
    const report = classifyPlan(plan([workload('vault', { dataCategories: ['DIFFUSION_RESTREINTE'], dependsOn: ['ad'] }), workload('ad')]));
    expect(report.approvals.find((approval) => approval.id === 'homologation')).toMatchObject({
      role: 'HOMOLOGATION_AUTHORITY',
      rules: ['SECNUMCLOUD_DEDICATED in ad, vault'],
    });
  });

  it.each<CustomerType>(['STATE', 'LOCAL_AUTHORITY'])('asks for homologation for any %s customer (RGS / PSSIE)', (customerType) => {
    const report = classifyPlan(plan([workload('web', { dataCategories: ['PUBLIC'] })], customerType));
    expect(report.approvals.find((approval) => approval.id === 'homologation')?.rules).toEqual([`customer type ${customerType}`]);
  });

  it('does not ask for homologation for a private customer whose workloads are all STANDARD', () => {
    expect(approvalIds(classifyPlan(plan([workload('web')])))).toEqual(['rssi']);
  });

  it('asks the RSSI to notify ANSSI when a migrating workload holds SIIV data', () => {
    const report = classifyPlan(plan([workload('control', { dataCategories: ['SIIV'] })], 'OIV'));
    expect(approvalIds(report)).toEqual(['rssi', 'homologation', 'anssi-notification']);
    expect(report.approvals[2]).toMatchObject({ id: 'anssi-notification', role: 'RSSI', rules: ['SIIV in control'] });
  });

  it('counts migrating workloads only', () => {
    const report = classifyPlan(
      plan([workload('web'), workload('vault', { kind: 'ot', dataCategories: ['SIIV', 'HEALTH', 'PERSONAL', 'DIFFUSION_RESTREINTE'] })], 'OIV'),
    );
    expect(approvalIds(report)).toEqual(['rssi']);
  });

  it('gives every approval its reasons and basis as message codes, naming at most five workloads and the count', () => {
    const many = Array.from({ length: 8 }, (_, index) => workload(`hr-${index}`, { dataCategories: ['PERSONAL'] }));
    const report = classifyPlan(plan([...many, workload('vault', { dataCategories: ['BUSINESS_SECRET'] })], 'STATE'));
    expect(report.approvals.find((approval) => approval.id === 'dpo')?.reasons).toEqual([
      { code: 'APPROVAL_NEEDED_FOR_CATEGORY', params: { category: 'PERSONAL', workloadIds: ['hr-0', 'hr-1', 'hr-2', 'hr-3', 'hr-4'], workloadCount: 8 } },
    ]);
    expect(report.approvals.find((approval) => approval.id === 'homologation')).toMatchObject({
      reasons: [
        { code: 'APPROVAL_NEEDED_FOR_LEVEL', params: { level: 'SECNUMCLOUD', workloadIds: ['vault'], workloadCount: 1 } },
        { code: 'APPROVAL_NEEDED_FOR_CUSTOMER_TYPE', params: { customerType: 'STATE' } },
      ],
      basisMessage: { code: 'APPROVAL_BASIS', params: { approvalId: 'homologation' } },
    });
    for (const approval of report.approvals) expect(approval.reasons).toHaveLength(approval.rules.length);
  });

  it('lists every approval in the order of the rules table, with readable reasons for large plans', () => {
    const workloads = Array.from({ length: 8 }, (_, index) => workload(`w${index}`, { dataCategories: ['PERSONAL', 'HEALTH', 'SIIV'] }));
    const report = classifyPlan(plan(workloads, 'OIV'));
    expect(approvalIds(report)).toEqual(['rssi', 'dpo', 'dpia', 'homologation', 'anssi-notification']);
    expect(report.approvals[1]?.rules).toEqual(['PERSONAL in w0, w1, w2, w3, w4 and 3 more', 'HEALTH in w0, w1, w2, w3, w4 and 3 more']);
  });
});

describe('landing zones and the Microsoft 365 tenant', () => {
  it('plans one zone per level and hds pair of migrating non-m365 workloads, sorted by level then hds', () => {
    const report = classifyPlan(
      plan([
        workload('dr-health', { dataCategories: ['DIFFUSION_RESTREINTE', 'HEALTH'] }),
        workload('dr', { dataCategories: ['DIFFUSION_RESTREINTE'] }),
        workload('care', { dataCategories: ['HEALTH'] }),
        workload('web'),
        workload('secret', { dataCategories: ['BUSINESS_SECRET'] }),
        workload('mail', { kind: 'm365', dataCategories: ['HEALTH'] }),
        workload('plc', { kind: 'ot' }),
      ], 'OSE'),
    );
    expect(report.landingZones).toEqual([
      { id: 'standard', level: 'STANDARD', hds: false, workloadIds: ['web'] },
      { id: 'secnumcloud', level: 'SECNUMCLOUD', hds: false, workloadIds: ['secret'] },
      { id: 'secnumcloud-hds', level: 'SECNUMCLOUD', hds: true, workloadIds: ['care'] },
      { id: 'secnumcloud-dedicated', level: 'SECNUMCLOUD_DEDICATED', hds: false, workloadIds: ['dr'] },
      { id: 'secnumcloud-dedicated-hds', level: 'SECNUMCLOUD_DEDICATED', hds: true, workloadIds: ['dr-health'] },
    ]);
    expect(report.m365Tenant).toBe(true);
  });

  it('needs no tenant when no migrating workload is m365', () => {
    expect(classifyPlan(plan([workload('web')])).m365Tenant).toBe(false);
  });
});

describe('qualification needs and the regulatory gate (R9)', () => {
  it('needs nothing for STANDARD zones alone', () => {
    const report = classifyPlan(plan([workload('web'), workload('mail', { kind: 'm365' })]));
    expect(report.qualificationNeeds).toEqual({ secnumcloud: false, hds: false, secnumcloudNeededBy: [], hdsNeededBy: [] });
    expect(qualificationSatisfied(report.qualificationNeeds, { secnumcloud: 'J0', hds: false })).toEqual({ satisfied: true, missing: [], texts: [] });
  });

  it('needs SecNumCloud for a SECNUMCLOUD zone and for an m365 workload at that level', () => {
    const workloads = [
      workload('secret', { dataCategories: ['BUSINESS_SECRET'] }),
      workload('mail', { kind: 'm365', dataCategories: ['ESSENTIAL_MISSION'] }),
    ];
    expect(classifyPlan(plan(workloads, 'STATE')).qualificationNeeds).toEqual({
      secnumcloud: true,
      hds: false,
      secnumcloudNeededBy: ['secnumcloud', 'm365-tenant'],
      hdsNeededBy: [],
    });
  });

  it('needs HDS for an hds zone', () => {
    const report = classifyPlan(plan([workload('care', { dataCategories: ['HEALTH'] })]));
    expect(report.qualificationNeeds).toEqual({ secnumcloud: false, hds: true, secnumcloudNeededBy: [], hdsNeededBy: ['standard-hds'] });
  });

  it.each(['J0', 'J1', 'J2'] as const)('does not count the %s milestone as a qualification in force', (milestone) => {
    const check = qualificationSatisfied(
      { secnumcloud: true, hds: false, secnumcloudNeededBy: ['secnumcloud'], hdsNeededBy: [] },
      { secnumcloud: milestone, hds: true },
    );
    expect(check).toEqual({
      satisfied: false,
      missing: [`SecNumCloud qualification in force (the provider is at milestone ${milestone}), needed by secnumcloud`],
      texts: [{ code: 'GATE_WAITS_FOR_SECNUMCLOUD', params: { milestone, neededBy: ['secnumcloud'], neededByCount: 1 } }],
    });
    // The same line, in the reader's language.
    expect(check.texts.map((text) => renderStoredMessage(text, 'en'))).toEqual(check.missing);
    expect(renderStoredMessage(check.texts[0], 'fr')).toBe(`Qualification SecNumCloud en vigueur (le fournisseur est au jalon ${milestone}), requise par secnumcloud`);
  });

  it('is satisfied by a SecNumCloud qualification in force and an HDS certificate', () => {
    const needs = { secnumcloud: true, hds: true, secnumcloudNeededBy: ['secnumcloud-hds'], hdsNeededBy: ['secnumcloud-hds'] };
    expect(qualificationSatisfied(needs, { secnumcloud: 'QUALIFIED', hds: true })).toEqual({ satisfied: true, missing: [], texts: [] });
    expect(qualificationSatisfied(needs, { secnumcloud: 'QUALIFIED', hds: false })).toEqual({
      satisfied: false,
      missing: ['HDS certificate, needed by secnumcloud-hds'],
      texts: [{ code: 'GATE_WAITS_FOR_HDS', params: { neededBy: ['secnumcloud-hds'], neededByCount: 1 } }],
    });
  });

  it('derives the needs of a single zone', () => {
    expect(qualificationNeedsForZone({ id: 'standard', level: 'STANDARD', hds: false })).toEqual({
      secnumcloud: false,
      hds: false,
      secnumcloudNeededBy: [],
      hdsNeededBy: [],
    });
    expect(qualificationNeedsForZone({ id: 'secnumcloud-hds', level: 'SECNUMCLOUD', hds: true })).toEqual({
      secnumcloud: true,
      hds: true,
      secnumcloudNeededBy: ['secnumcloud-hds'],
      hdsNeededBy: ['secnumcloud-hds'],
    });
  });
});

describe('the report as a whole', () => {
  it('orders hosting levels from the least trusted, with NOT_ELIGIBLE apart at the end', () => {
    expect([...HOSTING_LEVELS].reverse().sort(compareHostingLevels)).toEqual(['STANDARD', 'SECNUMCLOUD', 'SECNUMCLOUD_DEDICATED', 'NOT_ELIGIBLE']);
  });

  it('sorts workloads by id and counts them per level', () => {
    const report = classifyPlan(plan([workload('zeta'), workload('alpha', { kind: 'ot' }), workload('mid', { dataCategories: ['HEALTH'] })]));
    expect(report.workloads.map((classification) => classification.id)).toEqual(['alpha', 'mid', 'zeta']);
    expect(report.summary).toEqual({
      total: 3,
      migrating: 2,
      notEligible: 1,
      hds: 1,
      byLevel: { STANDARD: 2, SECNUMCLOUD: 0, SECNUMCLOUD_DEDICATED: 0, NOT_ELIGIBLE: 1 },
    });
  });
});
