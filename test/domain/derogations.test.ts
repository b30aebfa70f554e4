import {
  acknowledgeDerogationLapse,
  addCalendarMonths,
  classifyPlan,
  derogationEligibility,
  derogationsNeedingAttention,
  endDerogationsOnQualification,
  expireDerogations,
  grantDerogation,
  isDerogationInForce,
  nextDerogationExpiry,
  refuseDerogation,
  renewDerogation,
  requestDerogation,
  revokeDerogation,
  type Derogation,
  type DerogationContext,
  type DerogationResult,
  type ProviderCredentials,
} from '../../domain';
import { plan, workload } from './support/plans';

const J2: ProviderCredentials = { secnumcloud: 'J2', hds: true };
const QUALIFIED: ProviderCredentials = { secnumcloud: 'QUALIFIED', hds: true };
const GRANT_AT = '2027-01-31T09:00:00.000Z';
const authority = { subject: 'ha@interieur', customerId: 'acme', approverRoles: ['HOMOLOGATION_AUTHORITY'] };
const rssi = { subject: 'rssi@interieur', customerId: 'acme', approverRoles: ['RSSI'] };
const otherAuthority = { subject: 'ha@elsewhere', customerId: 'other', approverRoles: ['HOMOLOGATION_AUTHORITY'] };
const operator = { subject: 'ops@passerelle', approverRoles: [] };

const statePlan = plan(
  [
    workload('case-files', { dataCategories: ['LEGALLY_PROTECTED'] }),
    workload('restricted', { dataCategories: ['DIFFUSION_RESTREINTE'] }),
    workload('clinic', { dataCategories: ['HEALTH'] }),
    workload('intranet'),
    workload('mail', { kind: 'm365', dataCategories: ['BUSINESS_SECRET'] }),
  ],
  'STATE',
);
const report = classifyPlan(statePlan);
const context: DerogationContext = { customerId: 'acme', report, provider: J2 };

function ok(result: DerogationResult): Derogation {
  if (!result.ok) throw new Error(`expected success, got ${result.refusal.message}`);
  return result.derogation;
}

function refusalOf(result: DerogationResult): { code: string; kind: string; message: string } {
  if (result.ok) throw new Error('expected a refusal');
  const { code, kind, message } = result.refusal;
  return { code, kind, message };
}

function requested(zoneId = 'secnumcloud', at = '2027-01-15T10:00:00.000Z'): Derogation {
  return ok(requestDerogation(report, J2, [], { zoneId, reason: 'the case files cannot wait 14 months', actor: rssi, at }));
}

function granted(expiresAt = '2028-01-31T09:00:00.000Z'): Derogation {
  return ok(
    grantDerogation(requested(), context, {
      justification: 'continuity of the public service',
      compensatingMeasures: ['customer-held keys', 'monthly access review'],
      expiresAt,
      actor: authority,
      at: GRANT_AT,
    }),
  );
}

describe('eligibility for a derogation (R10)', () => {
  it('accepts a SECNUMCLOUD zone without health data that waits only for the qualification', () => {
    expect(derogationEligibility(report, 'secnumcloud', J2)).toEqual({
      eligible: true,
      zone: { zoneId: 'secnumcloud', level: 'SECNUMCLOUD', hds: false, workloadIds: ['case-files'] },
    });
  });

  it('accepts the Microsoft 365 tenant when its strictest workload is SECNUMCLOUD without health data', () => {
    expect(derogationEligibility(report, 'm365-tenant', J2)).toMatchObject({ eligible: true, zone: { workloadIds: ['mail'] } });
  });

  it.each([
    ['secnumcloud-dedicated', 'ZONE_DEDICATED', 'zone "secnumcloud-dedicated" is SECNUMCLOUD_DEDICATED: R10 never lets dedicated hosting proceed before the qualification'],
    ['secnumcloud-hds', 'ZONE_HDS', 'zone "secnumcloud-hds" holds health data: the HDS certificate is a legal requirement of hosting, not a risk a derogation may accept'],
    ['standard', 'ZONE_STANDARD', 'zone "standard" is STANDARD: it does not wait at the gate, so it needs no derogation'],
    ['nowhere', 'ZONE_UNKNOWN', 'the plan has no zone "nowhere"'],
  ])('refuses zone %s with %s', (zoneId, code, message) => {
    expect(derogationEligibility(report, zoneId, J2)).toMatchObject({ eligible: false, refusal: { code, message } });
  });

  it('refuses once the qualification is in force, since nothing waits for it', () => {
    expect(derogationEligibility(report, 'secnumcloud', QUALIFIED)).toMatchObject({ eligible: false, refusal: { code: 'PROVIDER_QUALIFIED', kind: 'conflict' } });
  });

  it('never covers a workload that stays on site: it has no zone', () => {
    const onSite = plan([workload('plc', { kind: 'ot' }), workload('files', { dataCategories: ['BUSINESS_SECRET'] })], 'STATE');
    expect(derogationEligibility(classifyPlan(onSite), 'plc', J2)).toMatchObject({ eligible: false, refusal: { code: 'ZONE_UNKNOWN' } });
  });
});

describe('requesting a derogation', () => {
  it('opens a request that names the zone, its workloads, the requester and the reason', () => {
    expect(requested()).toEqual({
      id: 'derogation.secnumcloud',
      zoneId: 'secnumcloud',
      level: 'SECNUMCLOUD',
      workloadIds: ['case-files'],
      state: 'REQUESTED',
      requestedBy: 'rssi@interieur',
      requestedAt: '2027-01-15T10:00:00.000Z',
      reason: 'the case files cannot wait 14 months',
      compensatingMeasures: [],
      renewals: 0,
      history: [{ action: 'REQUEST', by: 'rssi@interieur', at: '2027-01-15T10:00:00.000Z', comment: 'the case files cannot wait 14 months' }],
    });
  });

  it('refuses a request without a reason', () => {
    expect(refusalOf(requestDerogation(report, J2, [], { zoneId: 'secnumcloud', reason: '  ', actor: rssi, at: GRANT_AT }))).toEqual({
      code: 'TEXT_MISSING',
      kind: 'invalid',
      message: 'reason is required: R10 asks for it in writing',
    });
  });

  it('refuses a second derogation for a zone that has one, but lets a refused request be asked again', () => {
    expect(refusalOf(requestDerogation(report, J2, [requested()], { zoneId: 'secnumcloud', reason: 'again', actor: rssi, at: GRANT_AT }))).toMatchObject({
      code: 'DEROGATION_EXISTS',
      message: 'zone "secnumcloud" already has a derogation (REQUESTED): a zone gets one derogation per plan, extended only by its one renewal',
    });
    const declined = ok(refuseDerogation(requested(), context, { comment: 'wait for J3', actor: authority, at: GRANT_AT }));
    expect(requestDerogation(report, J2, [declined], { zoneId: 'secnumcloud', reason: 'again', actor: rssi, at: GRANT_AT })).toMatchObject({ ok: true });
  });

  it('refuses a request whose time is not a date', () => {
    expect(refusalOf(requestDerogation(report, J2, [], { zoneId: 'secnumcloud', reason: 'r', actor: rssi, at: 'tomorrow' }))).toMatchObject({
      code: 'INVALID_TIME',
      message: 'at must be an ISO 8601 date-time, not "tomorrow"',
    });
  });
});

describe('granting a derogation', () => {
  it('records the authority, the justification, the measures and the expiry', () => {
    expect(granted()).toMatchObject({
      state: 'GRANTED',
      grantedBy: 'ha@interieur',
      grantedAt: GRANT_AT,
      justification: 'continuity of the public service',
      compensatingMeasures: ['customer-held keys', 'monthly access review'],
      expiresAt: '2028-01-31T09:00:00.000Z',
    });
  });

  it('accepts an expiry exactly 18 months after the grant, clamped to the end of a shorter month', () => {
    expect(addCalendarMonths(GRANT_AT, 18)).toBe('2028-07-31T09:00:00.000Z');
    expect(addCalendarMonths('2027-08-31T00:00:00Z', 18)).toBe('2029-02-28T00:00:00.000Z');
    expect(addCalendarMonths('2026-08-31T00:00:00Z', 18)).toBe('2028-02-29T00:00:00.000Z');
    expect(granted('2028-07-31T09:00:00.000Z').expiresAt).toBe('2028-07-31T09:00:00.000Z');
  });

  const grantWith = (overrides: Partial<Parameters<typeof grantDerogation>[2]>, grantContext = context): DerogationResult =>
    grantDerogation(requested(), grantContext, {
      justification: 'continuity',
      compensatingMeasures: ['customer-held keys'],
      expiresAt: '2028-01-01T00:00:00.000Z',
      actor: authority,
      at: GRANT_AT,
      ...overrides,
    });

  it.each([
    [{ expiresAt: '2028-07-31T09:00:00.001Z' }, 'EXPIRY_TOO_LATE', 'expiresAt (2028-07-31T09:00:00.001Z) must be at most 18 months after the grant, so no later than 2028-07-31T09:00:00.000Z (R10)'],
    [{ expiresAt: GRANT_AT }, 'EXPIRY_NOT_AFTER_NOW', `expiresAt (${GRANT_AT}) must be after the grant (${GRANT_AT})`],
    [{ expiresAt: 'soon' }, 'INVALID_TIME', 'expiresAt must be an ISO 8601 date-time, not "soon"'],
    [{ at: 'now' }, 'INVALID_TIME', 'at must be an ISO 8601 date-time, not "now"'],
    [{ justification: '' }, 'TEXT_MISSING', 'justification is required: R10 asks for it in writing'],
    [{ justification: 'x'.repeat(2001) }, 'TEXT_TOO_LONG', 'justification must be at most 2000 characters long'],
    [{ compensatingMeasures: [] }, 'MEASURES_MISSING', 'compensatingMeasures must list at least one measure, none of them empty (R10)'],
    [{ compensatingMeasures: ['keys', ' '] }, 'MEASURES_MISSING', 'compensatingMeasures must list at least one measure, none of them empty (R10)'],
    [{ actor: rssi }, 'NOT_AUTHORITY', "only the customer's HOMOLOGATION_AUTHORITY decides derogations (R10), and rssi@interieur does not hold that role"],
    [{ actor: otherAuthority }, 'OTHER_CUSTOMER', 'ha@elsewhere is not a homologation authority of customer "acme"'],
  ])('refuses a grant with %j: %s', (overrides, code, message) => {
    expect(refusalOf(grantWith(overrides))).toMatchObject({ code, message });
  });

  it('says who may grant with a forbidden refusal, and a bad field with an invalid one', () => {
    expect(refusalOf(grantWith({ actor: rssi })).kind).toBe('forbidden');
    expect(refusalOf(grantWith({ justification: '' })).kind).toBe('invalid');
  });

  it('refuses a grant once the provider is qualified, and a grant of a derogation that is not requested', () => {
    expect(refusalOf(grantWith({}, { ...context, provider: QUALIFIED }))).toMatchObject({ code: 'PROVIDER_QUALIFIED' });
    expect(
      refusalOf(
        grantDerogation(granted(), context, {
          justification: 'j',
          compensatingMeasures: ['m'],
          expiresAt: '2028-01-01T00:00:00Z',
          actor: authority,
          at: GRANT_AT,
        }),
      ),
    ).toEqual({
      code: 'WRONG_STATE',
      kind: 'conflict',
      message: 'cannot grant derogation "derogation.secnumcloud": it is GRANTED, and only a REQUESTED one can be',
    });
  });

  it('refuses a grant when the amended plan made the zone ineligible', () => {
    const amended = classifyPlan(
      plan([workload('case-files', { dataCategories: ['LEGALLY_PROTECTED', 'HEALTH'] }), workload('intranet')], 'STATE'),
    );
    expect(refusalOf(grantWith({}, { ...context, report: amended }))).toMatchObject({ code: 'ZONE_UNKNOWN' });
  });
});

describe('renewing, revoking, expiring and ending a derogation', () => {
  const renewal = { justification: 'the qualification slipped', expiresAt: '2029-01-31T09:00:00.000Z', actor: authority, at: '2027-12-01T00:00:00.000Z' };

  it('renews once, for at most 12 more months after the current expiry', () => {
    const renewed = ok(renewDerogation(granted(), context, renewal));
    expect(renewed).toMatchObject({ state: 'GRANTED', renewals: 1, expiresAt: '2029-01-31T09:00:00.000Z', justification: 'the qualification slipped' });
    expect(renewed.compensatingMeasures).toEqual(['customer-held keys', 'monthly access review']);
    expect(refusalOf(renewDerogation(renewed, context, { ...renewal, expiresAt: '2029-02-01T00:00:00.000Z' }))).toMatchObject({
      code: 'ALREADY_RENEWED',
      message: 'derogation "derogation.secnumcloud" was already renewed: R10 allows one renewal',
    });
  });

  it('refuses a renewal beyond 12 months after the current expiry', () => {
    expect(refusalOf(renewDerogation(granted(), context, { ...renewal, expiresAt: '2029-01-31T09:00:00.001Z' }))).toEqual({
      code: 'RENEWAL_TOO_LONG',
      kind: 'invalid',
      message:
        'expiresAt (2029-01-31T09:00:00.001Z) must be at most 12 months after the current expiry, so no later than 2029-01-31T09:00:00.000Z (R10)',
    });
  });

  it('renews an expired derogation, which lets its zone through again and needs no more attention', () => {
    const [expired] = expireDerogations([granted()], '2028-02-01T00:00:00.000Z') as [Derogation];
    expect(expired).toMatchObject({ state: 'EXPIRED', closedAt: '2028-01-31T09:00:00.000Z' });
    expect(derogationsNeedingAttention([expired])).toEqual([expired]);
    const renewed = ok(renewDerogation(expired, context, { ...renewal, at: '2028-02-02T00:00:00.000Z' }));
    expect(renewed.state).toBe('GRANTED');
    expect(renewed.closedAt).toBeUndefined();
    expect(isDerogationInForce(renewed, '2028-02-02T00:00:01.000Z')).toBe(true);
    expect(derogationsNeedingAttention([renewed])).toEqual([]);
  });

  it('is in force from the grant until its expiry, exclusive', () => {
    const derogation = granted();
    expect(isDerogationInForce(derogation, GRANT_AT)).toBe(true);
    expect(isDerogationInForce(derogation, '2028-01-31T08:59:59.999Z')).toBe(true);
    expect(isDerogationInForce(derogation, '2028-01-31T09:00:00.000Z')).toBe(false);
    expect(isDerogationInForce(requested(), GRANT_AT)).toBe(false);
  });

  it('expires only granted derogations whose expiry has come, and tells the workflow when the next one does', () => {
    const early = granted('2027-06-01T00:00:00.000Z');
    const late = { ...granted('2027-09-01T00:00:00.000Z'), id: 'derogation.m365-tenant', zoneId: 'm365-tenant' };
    expect(nextDerogationExpiry([late, early, requested()])).toBe('2027-06-01T00:00:00.000Z');
    const after = expireDerogations([early, late], '2027-06-01T00:00:00.000Z');
    expect(after.map((derogation) => derogation.state)).toEqual(['EXPIRED', 'GRANTED']);
    expect(after[1]).toBe(late);
    expect(after[0]?.history.at(-1)).toEqual({ action: 'EXPIRE', by: 'system', at: '2027-06-01T00:00:00.000Z' });
    expect(nextDerogationExpiry(after)).toBe('2027-09-01T00:00:00.000Z');
    expect(nextDerogationExpiry([])).toBeUndefined();
  });

  it('revokes a granted derogation at any time, saying why, and then needs an operator', () => {
    const revoked = ok(revokeDerogation(granted(), context, { comment: 'incident at the provider', actor: authority, at: '2027-03-01T00:00:00.000Z' }));
    expect(revoked).toMatchObject({ state: 'REVOKED', closedAt: '2027-03-01T00:00:00.000Z' });
    expect(derogationsNeedingAttention([revoked])).toEqual([revoked]);
    expect(refusalOf(renewDerogation(revoked, context, renewal))).toMatchObject({ code: 'WRONG_STATE' });
    expect(refusalOf(revokeDerogation(revoked, context, { comment: 'again', actor: authority, at: '2027-03-02T00:00:00Z' }))).toMatchObject({ code: 'WRONG_STATE' });
    expect(refusalOf(revokeDerogation(granted(), context, { comment: '', actor: authority, at: '2027-03-01T00:00:00Z' }))).toMatchObject({ code: 'TEXT_MISSING' });
    expect(refusalOf(revokeDerogation(granted(), context, { comment: 'x', actor: rssi, at: '2027-03-01T00:00:00Z' }))).toMatchObject({ code: 'NOT_AUTHORITY' });
  });

  it("clears the attention once an operator records a decision, and only for a lapsed derogation", () => {
    const revoked = ok(revokeDerogation(granted(), context, { comment: 'incident', actor: authority, at: '2027-03-01T00:00:00.000Z' }));
    const acknowledged = ok(acknowledgeDerogationLapse(revoked, { comment: 'the zone waits for the qualification', actor: operator, at: '2027-03-02T00:00:00.000Z' }));
    expect(acknowledged.lapseAcknowledged).toEqual({ by: 'ops@passerelle', at: '2027-03-02T00:00:00.000Z', comment: 'the zone waits for the qualification' });
    expect(derogationsNeedingAttention([acknowledged])).toEqual([]);
    expect(refusalOf(acknowledgeDerogationLapse(acknowledged, { comment: 'again', actor: operator, at: '2027-03-03T00:00:00Z' }))).toMatchObject({
      code: 'NOTHING_TO_ACKNOWLEDGE',
      message: 'derogation "derogation.secnumcloud" is REVOKED, already acknowledged: only an expired or revoked derogation needs an operator\'s decision',
    });
    expect(refusalOf(acknowledgeDerogationLapse(granted(), { comment: 'x', actor: operator, at: '2027-03-03T00:00:00Z' }))).toMatchObject({
      code: 'NOTHING_TO_ACKNOWLEDGE',
    });
  });

  it('ends every derogation when the qualification comes into force, and none before', () => {
    const derogations = [granted(), ok(refuseDerogation(requested('m365-tenant'), context, { comment: 'no', actor: authority, at: GRANT_AT }))];
    expect(endDerogationsOnQualification(derogations, J2, '2028-01-01T00:00:00.000Z')).toEqual(derogations);
    const ended = endDerogationsOnQualification(derogations, QUALIFIED, '2027-10-01T00:00:00.000Z');
    expect(ended.map((derogation) => derogation.state)).toEqual(['ENDED', 'REFUSED']);
    expect(ended[0]).toMatchObject({ closedAt: '2027-10-01T00:00:00.000Z' });
    expect(ended[0]?.history.at(-1)).toEqual({ action: 'END', by: 'system', at: '2027-10-01T00:00:00.000Z', comment: 'SecNumCloud qualification in force' });
    expect(derogationsNeedingAttention(ended)).toEqual([]);
  });
});
