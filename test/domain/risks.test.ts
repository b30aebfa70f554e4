import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  acceptOpenRisksOnHomologation,
  acceptRisks,
  assessPlan,
  classifyPlan,
  deriveRisks,
  endDerogationsOnQualification,
  expireDerogations,
  grantDerogation,
  mayStartWave,
  renderMessage,
  requestDerogation,
  updateRiskRegister,
  type Derogation,
  type Plan,
  type RiskRegister,
  type RiskSources,
} from '../../domain';
import fc from 'fast-check';
import { validPlanInputArbitrary } from './support/arbitraries';
import { ESTATES, loadEstate } from './support/estates';
import { plan, validPlan, workload } from './support/plans';

const T0 = '2027-01-10T08:00:00.000Z';
const T1 = '2027-02-01T08:00:00.000Z';
const T2 = '2027-03-01T08:00:00.000Z';
const homologationAuthority = { subject: 'ha@ght', customerId: 'acme', approverRoles: ['HOMOLOGATION_AUTHORITY'] };
const dpo = { subject: 'dpo@ght', customerId: 'acme', approverRoles: ['DPO'] };
const rssi = { subject: 'rssi@ght', customerId: 'acme', approverRoles: ['RSSI'] };

function sourcesOf(estate: Plan, derogations: Derogation[] = []): RiskSources {
  const report = classifyPlan(estate);
  return { plan: estate, report, assessment: assessPlan(estate, report), derogations };
}

function registerOf(estate: Plan, at = T0): RiskRegister {
  return updateRiskRegister(undefined, deriveRisks(sourcesOf(estate)), at).register;
}

describe.each(ESTATES)('the residual-risk register of the %s estate', (name) => {
  const expected = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'estates', `${name}.risks.expected.json`), 'utf8')) as {
    risks: { id: string; code: string; ownerRole: string; workloadIds: string[] }[];
  };

  it('holds exactly the expected risks, open, owned by the roles the rules name', () => {
    const estate = loadEstate(name);
    const { register, openedIds } = updateRiskRegister(undefined, deriveRisks(estate), T0);
    expect(register.risks.map(({ id, code, ownerRole, workloadIds }) => ({ id, code, ownerRole, workloadIds }))).toEqual(expected.risks);
    expect(register.risks.every((risk) => risk.state === 'OPEN' && risk.openedAt === T0)).toBe(true);
    expect(openedIds).toEqual(expected.risks.map((risk) => risk.id));
  });

  it('is all accepted by the homologation decision, which records the ids', () => {
    const estate = loadEstate(name);
    const { register } = updateRiskRegister(undefined, deriveRisks(estate), T0);
    const accepted = acceptOpenRisksOnHomologation(register, homologationAuthority, T1);
    expect(accepted.acceptedIds).toEqual(expected.risks.map((risk) => risk.id));
    expect(accepted.register.risks.every((risk) => risk.state === 'ACCEPTED')).toBe(true);
    expect(accepted.register.risks[0]?.acceptance).toEqual({ by: 'ha@ght', at: T1, onHomologation: true });
  });
});

describe('deriving residual risks', () => {
  it('describes the hospital payroll exposure in French and in English', () => {
    const risk = deriveRisks(loadEstate('hospital-group')).find((candidate) => candidate.id === 'extraterritorial-exposure.payroll');
    expect(risk).toMatchObject({ source: 'SecNumCloud 3.2 §19.6', description: { code: 'RISK_EXTRATERRITORIAL_EXPOSURE', params: { workloadId: 'payroll', categories: ['PERSONAL'] } } });
    if (risk?.description.code !== 'RISK_EXTRATERRITORIAL_EXPOSURE') throw new Error('unexpected description');
    expect(renderMessage(risk.description.code, risk.description.params, 'fr')).toBe(
      'payroll (données personnelles) est hébergée sur une offre standard, sans l’immunité aux lois extraterritoriales qu’exige SecNumCloud 3.2 §19.6',
    );
  });

  it('finds a hybrid dependency, a long transfer and exposure of health or identity data on STANDARD hosting', () => {
    const estate = plan(
      [
        workload('historian', { dependsOn: ['scada'], dataCategories: ['IDENTITY'] }),
        workload('scada', { kind: 'ot' }),
        workload('archive', { sizeGb: 100_000 }),
        workload('clinic', { dataCategories: ['HEALTH'] }),
        workload('brochure', { dataCategories: ['PUBLIC'] }),
      ],
      'PRIVATE',
      { settings: { bandwidthMbps: 1000 } },
    );
    const risks = deriveRisks(sourcesOf(estate));
    expect(risks.map(({ id, code, ownerRole, workloadIds }) => ({ id, code, ownerRole, workloadIds }))).toEqual([
      { id: 'extraterritorial-exposure.clinic', code: 'EXTRATERRITORIAL_EXPOSURE', ownerRole: 'DPO', workloadIds: ['clinic'] },
      { id: 'extraterritorial-exposure.historian', code: 'EXTRATERRITORIAL_EXPOSURE', ownerRole: 'DPO', workloadIds: ['historian'] },
      { id: 'hybrid-dependency.historian.scada', code: 'HYBRID_DEPENDENCY', ownerRole: 'RSSI', workloadIds: ['historian', 'scada'] },
      { id: 'long-transfer.archive', code: 'LONG_TRANSFER', ownerRole: 'RSSI', workloadIds: ['archive'] },
    ]);
    expect(risks.find((risk) => risk.code === 'LONG_TRANSFER')?.description).toEqual({
      code: 'RISK_LONG_TRANSFER',
      params: { workloadId: 'archive', sizeGb: 100_000, duration: 'P9DT6H13M20S' },
    });
  });

  it('does not count personal data hosted on SecNumCloud, nor workloads that stay on site', () => {
    const estate = plan([workload('care', { dataCategories: ['HEALTH', 'PERSONAL'] }), workload('plc', { kind: 'ot', dataCategories: ['PERSONAL'] })], 'HOSPITAL');
    expect(deriveRisks(sourcesOf(estate))).toEqual([]);
  });
});

describe('the register as the plan, the provider and the decisions change', () => {
  const statePlan = plan(
    [workload('case-files', { dataCategories: ['LEGALLY_PROTECTED'] }), workload('hr', { dataCategories: ['PERSONAL'] })],
    'STATE',
  );
  const provider = { secnumcloud: 'J2' as const, hds: false };

  function grantedDerogation(): Derogation {
    const report = classifyPlan(statePlan);
    const requested = requestDerogation(report, provider, [], { zoneId: 'secnumcloud', reason: 'urgent', actor: homologationAuthority, at: T0 });
    if (!requested.ok) throw new Error(requested.refusal.message);
    const granted = grantDerogation(
      requested.derogation,
      { customerId: 'acme', report, provider },
      { justification: 'continuity', compensatingMeasures: ['customer-held keys'], expiresAt: '2028-01-01T00:00:00.000Z', actor: homologationAuthority, at: T1 },
    );
    if (!granted.ok) throw new Error(granted.refusal.message);
    return granted.derogation;
  }

  it('opens a DEROGATION risk owned by the homologation authority when a derogation is granted, which holds its wave until accepted', () => {
    const accepted = acceptOpenRisksOnHomologation(registerOf(statePlan), homologationAuthority, T0).register;
    expect(mayStartWave(accepted, ['case-files', 'hr'])).toEqual({ mayStart: true, openRiskIds: [] });

    const derogation = grantedDerogation();
    const update = updateRiskRegister(accepted, deriveRisks(sourcesOf(statePlan, [derogation])), T1);
    expect(update.openedIds).toEqual(['derogation.secnumcloud']);
    expect(update.register.risks.find((risk) => risk.id === 'derogation.secnumcloud')).toMatchObject({
      code: 'DEROGATION',
      source: 'R10',
      ownerRole: 'HOMOLOGATION_AUTHORITY',
      workloadIds: ['case-files'],
      state: 'OPEN',
      openedAt: T1,
      expiresAt: '2028-01-01T00:00:00.000Z',
    });
    // The acceptance of the risk that persists is kept.
    expect(update.register.risks.find((risk) => risk.id === 'extraterritorial-exposure.hr')).toMatchObject({
      state: 'ACCEPTED',
      acceptance: { by: 'ha@ght', at: T0, onHomologation: true },
    });
    expect(mayStartWave(update.register, ['case-files'])).toEqual({ mayStart: false, openRiskIds: ['derogation.secnumcloud'] });
    expect(mayStartWave(update.register, ['hr'])).toEqual({ mayStart: true, openRiskIds: [] });

    const byOwner = acceptRisks(update.register, ['derogation.secnumcloud'], homologationAuthority, { customerId: 'acme', at: T2 });
    if (!byOwner.ok) throw new Error(byOwner.refusal.message);
    expect(byOwner.acceptedIds).toEqual(['derogation.secnumcloud']);
    expect(mayStartWave(byOwner.register, ['case-files'])).toEqual({ mayStart: true, openRiskIds: [] });
  });

  it('keeps the derogation risk after an expiry and closes it when the qualification ends the derogation', () => {
    const derogation = grantedDerogation();
    const start = updateRiskRegister(undefined, deriveRisks(sourcesOf(statePlan, [derogation])), T1).register;
    const expired = expireDerogations([derogation], '2028-01-02T00:00:00.000Z');
    const afterExpiry = updateRiskRegister(start, deriveRisks(sourcesOf(statePlan, expired)), '2028-01-02T00:00:00.000Z');
    expect(afterExpiry.closedIds).toEqual([]);
    const ended = endDerogationsOnQualification(expired, { secnumcloud: 'QUALIFIED', hds: false }, '2028-03-01T00:00:00.000Z');
    const afterQualification = updateRiskRegister(afterExpiry.register, deriveRisks(sourcesOf(statePlan, ended)), '2028-03-01T00:00:00.000Z');
    expect(afterQualification.closedIds).toEqual(['derogation.secnumcloud']);
    expect(afterQualification.register.risks.find((risk) => risk.id === 'derogation.secnumcloud')).toMatchObject({
      state: 'CLOSED',
      closedAt: '2028-03-01T00:00:00.000Z',
    });
    expect(mayStartWave(afterQualification.register, ['case-files']).mayStart).toBe(true);
  });

  it('closes a risk whose cause an amended plan removed, and opens it again, unaccepted, if the cause comes back', () => {
    const accepted = acceptOpenRisksOnHomologation(registerOf(statePlan), homologationAuthority, T0).register;
    const amended = plan([workload('case-files', { dataCategories: ['LEGALLY_PROTECTED'] }), workload('hr', { dataCategories: ['INTERNAL'] })], 'STATE');
    const withoutCause = updateRiskRegister(accepted, deriveRisks(sourcesOf(amended)), T1);
    expect(withoutCause.closedIds).toEqual(['extraterritorial-exposure.hr']);
    expect(withoutCause.register.risks).toEqual([
      expect.objectContaining({ id: 'extraterritorial-exposure.hr', state: 'CLOSED', closedAt: T1, acceptance: { by: 'ha@ght', at: T0, onHomologation: true } }),
    ]);
    const back = updateRiskRegister(withoutCause.register, deriveRisks(sourcesOf(statePlan)), T2);
    expect(back.openedIds).toEqual(['extraterritorial-exposure.hr']);
    expect(back.register.risks).toEqual([
      expect.objectContaining({ id: 'extraterritorial-exposure.hr', state: 'OPEN', openedAt: T2 }),
    ]);
    expect(back.register.risks[0]?.acceptance).toBeUndefined();
    expect(back.register.risks[0]?.closedAt).toBeUndefined();
  });

  it('changes nothing when nothing changed', () => {
    const register = registerOf(statePlan);
    const again = updateRiskRegister(register, deriveRisks(sourcesOf(statePlan)), T2);
    expect(again).toEqual({ register, openedIds: [], closedIds: [] });
  });
});

describe('accepting risks by their owner', () => {
  const estate = plan(
    [workload('historian', { dependsOn: ['scada'], dataCategories: ['PERSONAL'] }), workload('scada', { kind: 'ot' })],
    'PRIVATE',
  );
  const register = registerOf(estate);
  const context = { customerId: 'acme', at: T1 };

  it('lets each owner accept the risks it owns, all or nothing', () => {
    const byDpo = acceptRisks(register, ['extraterritorial-exposure.historian'], dpo, context);
    expect(byDpo).toMatchObject({ ok: true, acceptedIds: ['extraterritorial-exposure.historian'] });
    expect(acceptRisks(register, ['hybrid-dependency.historian.scada', 'extraterritorial-exposure.historian'], rssi, context)).toEqual({
      ok: false,
      refusal: {
        code: 'NOT_OWNER',
        kind: 'forbidden',
        message: 'risk "extraterritorial-exposure.historian" is accepted by its owner, the DPO, a role rssi@ght does not hold',
        params: { riskId: 'extraterritorial-exposure.historian', role: 'DPO', subject: 'rssi@ght' },
      },
    });
  });

  it('refuses unknown, already accepted or empty lists, and approvers of another customer', () => {
    expect(acceptRisks(register, ['long-transfer.nothing'], rssi, context)).toMatchObject({
      ok: false,
      refusal: { code: 'RISK_UNKNOWN', kind: 'notFound', message: 'the register has no risk "long-transfer.nothing"' },
    });
    const once = acceptRisks(register, ['hybrid-dependency.historian.scada'], rssi, context);
    if (!once.ok) throw new Error(once.refusal.message);
    expect(acceptRisks(once.register, ['hybrid-dependency.historian.scada'], rssi, context)).toMatchObject({
      ok: false,
      refusal: { code: 'RISK_NOT_OPEN', kind: 'conflict', message: 'risk "hybrid-dependency.historian.scada" is ACCEPTED: only an OPEN risk can be accepted' },
    });
    expect(acceptRisks(register, [], rssi, context)).toMatchObject({ ok: false, refusal: { code: 'NOTHING_TO_ACCEPT', kind: 'invalid' } });
    expect(acceptRisks(register, ['hybrid-dependency.historian.scada'], { ...rssi, customerId: 'other' }, context)).toMatchObject({
      ok: false,
      refusal: { code: 'OTHER_CUSTOMER', kind: 'forbidden', message: 'rssi@ght is not an approver of customer "acme"' },
    });
  });

  it('holds a wave that holds a workload of an open risk, and only such a wave', () => {
    expect(mayStartWave(register, ['historian'])).toEqual({
      mayStart: false,
      openRiskIds: ['extraterritorial-exposure.historian', 'hybrid-dependency.historian.scada'],
    });
    expect(mayStartWave(register, [])).toEqual({ mayStart: true, openRiskIds: [] });
  });
});

describe('properties of the register', () => {
  it('is a fixpoint once up to date, keeps every acceptance while causes persist, and then lets every wave start', () => {
    fc.assert(
      fc.property(validPlanInputArbitrary(20), (input) => {
        const estate = validPlan(input);
        const risks = deriveRisks(sourcesOf(estate));
        expect(new Set(risks.map((risk) => risk.id)).size).toBe(risks.length);
        const first = updateRiskRegister(undefined, risks, T0);
        expect(updateRiskRegister(first.register, risks, T1)).toEqual({ register: first.register, openedIds: [], closedIds: [] });
        const accepted = acceptOpenRisksOnHomologation(first.register, homologationAuthority, T1);
        expect(accepted.acceptedIds).toEqual(first.openedIds);
        const later = updateRiskRegister(accepted.register, deriveRisks(sourcesOf(estate)), T2).register;
        expect(later.risks.every((risk) => risk.state === 'ACCEPTED')).toBe(true);
        expect(mayStartWave(later, estate.workloads.map((entry) => entry.id)).mayStart).toBe(true);
        for (const risk of first.register.risks) expect(mayStartWave(first.register, risk.workloadIds).openRiskIds).toContain(risk.id);
      }),
      { numRuns: 100 },
    );
  });
});
