/**
 * Derogations (docs/rules.md, R10): a zone of `SECNUMCLOUD` workloads that waits at the gate
 * only for the provider's SecNumCloud qualification may proceed on the provider's offer before
 * it is qualified, if the customer's homologation authority grants a derogation with a
 * justification, compensating measures and an expiry at most 18 months after the grant. It may
 * be renewed once, for at most 12 more months, and revoked at any time; it ends when the
 * qualification comes into force. It never covers `SECNUMCLOUD_DEDICATED`, `hds` or
 * `NOT_ELIGIBLE`: the HDS certificate is a legal requirement of hosting, not a risk to accept.
 *
 * Pure and deterministic: every transition takes the time (`at`, ISO 8601) and the verified
 * actor from its caller and returns a new derogation or a refusal that names the problem; the
 * workflow calls them in its update validators and handlers, the API and the dossier read them.
 */
import { gateZones, type ClassificationReport, type CloudHostingLevel, type GateZone, type ProviderCredentials } from './classification';
import type { Actor } from './permissions';
import { compareIds, type ApproverRole } from './plan';

/** Longest time a derogation may run from its grant (R10). */
export const DEROGATION_MAX_MONTHS = 18;
/** Longest extension of the one renewal (R10). */
export const DEROGATION_RENEWAL_MAX_MONTHS = 12;
/** Renewals a derogation may have (R10). */
export const DEROGATION_MAX_RENEWALS = 1;
/** The approver role that grants, renews and revokes derogations (R10). */
export const DEROGATION_AUTHORITY: ApproverRole = 'HOMOLOGATION_AUTHORITY';
/** Longest free text (justification, measure, comment) kept: the dossier prints it. */
export const DEROGATION_TEXT_MAX_LENGTH = 2000;
/** Most compensating measures one derogation lists. */
export const DEROGATION_MAX_MEASURES = 50;

/**
 * States of a derogation. `REQUESTED` waits for the authority; `REFUSED` was declined;
 * `GRANTED` lets its zone past the gate until it expires; `EXPIRED` and `REVOKED` ended before
 * the qualification (the run needs attention); `ENDED` ended because the qualification came
 * into force (the normal end).
 */
export const DEROGATION_STATES = ['REQUESTED', 'REFUSED', 'GRANTED', 'EXPIRED', 'REVOKED', 'ENDED'] as const;
/** One of {@link DEROGATION_STATES}. */
export type DerogationState = (typeof DEROGATION_STATES)[number];

/** What happened to a derogation, in order; the dossier prints it. */
export const DEROGATION_ACTIONS = ['REQUEST', 'REFUSE', 'GRANT', 'RENEW', 'REVOKE', 'EXPIRE', 'END', 'ACKNOWLEDGE_LAPSE'] as const;
/** One of {@link DEROGATION_ACTIONS}. */
export type DerogationAction = (typeof DEROGATION_ACTIONS)[number];

/** What a derogation decision reads of the verified caller (the workflow passes its {@link Actor}). */
export type DerogationActor = Pick<Actor, 'subject' | 'customerId' | 'approverRoles'>;

/** One entry of a derogation's history. */
export interface DerogationEvent {
  action: DerogationAction;
  /** The actor's subject, or `system` for expiry and the end on qualification. */
  by: string;
  at: string;
  comment?: string;
}

/** A derogation of one zone of one plan (R10). */
export interface Derogation {
  /** `derogation.{zoneId}`: one derogation per zone of a plan. */
  id: string;
  zoneId: string;
  level: CloudHostingLevel;
  /** The zone's workloads when it was requested (or renewed), sorted. */
  workloadIds: string[];
  state: DerogationState;
  requestedBy: string;
  requestedAt: string;
  /** Why the requester needs it. */
  reason: string;
  /** The authority's justification at the grant (or at the renewal, which replaces it). */
  justification?: string;
  compensatingMeasures: string[];
  grantedBy?: string;
  grantedAt?: string;
  /** When the derogation stops letting its zone through; set at the grant, moved by the renewal. */
  expiresAt?: string;
  renewals: number;
  /** Set when the state left `GRANTED` (or `REQUESTED`): refusal, expiry, revocation or end. */
  closedAt?: string;
  /** An operator decided what to do after an expiry or a revocation: the run needs no more attention for it. */
  lapseAcknowledged?: { by: string; at: string; comment: string };
  history: DerogationEvent[];
}

/** Why a derogation request or decision is refused; each names one problem. */
export const DEROGATION_REFUSAL_CODES = [
  'ZONE_UNKNOWN',
  'ZONE_STANDARD',
  'ZONE_DEDICATED',
  'ZONE_HDS',
  'PROVIDER_QUALIFIED',
  'DEROGATION_EXISTS',
  'DEROGATION_UNKNOWN',
  'NOT_AUTHORITY',
  'OTHER_CUSTOMER',
  'TEXT_MISSING',
  'TEXT_TOO_LONG',
  'MEASURES_MISSING',
  'MEASURES_TOO_MANY',
  'INVALID_TIME',
  'EXPIRY_NOT_AFTER_NOW',
  'EXPIRY_TOO_LATE',
  'WRONG_STATE',
  'ALREADY_RENEWED',
  'RENEWAL_TOO_LONG',
  'NOTHING_TO_ACKNOWLEDGE',
] as const;
/** One of {@link DEROGATION_REFUSAL_CODES}. */
export type DerogationRefusalCode = (typeof DEROGATION_REFUSAL_CODES)[number];

/**
 * How the workflow should refuse: it maps `kind` onto its failure types (`Invalid`,
 * `Forbidden`, `Conflict`, `NotFound`) and the API onto HTTP statuses.
 */
export type DerogationRefusalKind = 'invalid' | 'forbidden' | 'conflict' | 'notFound';

/** A refusal: a code, its kind, an English message that names the problem, and its parameters. */
export interface DerogationRefusal {
  code: DerogationRefusalCode;
  kind: DerogationRefusalKind;
  message: string;
  /** What the message says, as data, so that it can be rendered in another language. */
  params: Record<string, string | number>;
}

/** Outcome of a derogation transition. */
export type DerogationResult = { ok: true; derogation: Derogation } | { ok: false; refusal: DerogationRefusal };

/** Outcome of {@link derogationEligibility}. */
export type DerogationEligibility = { eligible: true; zone: GateZone } | { eligible: false; refusal: DerogationRefusal };

/** The id of the derogation of a zone: `derogation.secnumcloud`. */
export function derogationId(zoneId: string): string {
  return `derogation.${zoneId}`;
}

/**
 * R10: whether a zone may get a derogation now. Only a `SECNUMCLOUD` zone without `hds`,
 * waiting only because the provider's SecNumCloud qualification is not in force, qualifies.
 * Existing derogations of the zone are checked by {@link requestDerogation}.
 */
export function derogationEligibility(
  report: Pick<ClassificationReport, 'landingZones' | 'workloads'>,
  zoneId: string,
  provider: ProviderCredentials,
): DerogationEligibility {
  const zone = gateZones(report).find((candidate) => candidate.zoneId === zoneId);
  if (zone === undefined) {
    return refusedEligibility('ZONE_UNKNOWN', 'notFound', `the plan has no zone "${zoneId}"`, { zoneId });
  }
  if (zone.level === 'STANDARD') {
    return refusedEligibility('ZONE_STANDARD', 'conflict', `zone "${zoneId}" is STANDARD: it does not wait at the gate, so it needs no derogation`, { zoneId });
  }
  if (zone.level === 'SECNUMCLOUD_DEDICATED') {
    return refusedEligibility(
      'ZONE_DEDICATED',
      'conflict',
      `zone "${zoneId}" is SECNUMCLOUD_DEDICATED: R10 never lets dedicated hosting proceed before the qualification`,
      { zoneId },
    );
  }
  if (zone.hds) {
    return refusedEligibility(
      'ZONE_HDS',
      'conflict',
      `zone "${zoneId}" holds health data: the HDS certificate is a legal requirement of hosting, not a risk a derogation may accept`,
      { zoneId },
    );
  }
  if (provider.secnumcloud === 'QUALIFIED') {
    return refusedEligibility(
      'PROVIDER_QUALIFIED',
      'conflict',
      `the provider's SecNumCloud qualification is in force: zone "${zoneId}" does not wait for it`,
      { zoneId },
    );
  }
  return { eligible: true, zone };
}

/** What a requester writes. */
export interface DerogationRequestInput {
  zoneId: string;
  reason: string;
  actor: DerogationActor;
  at: string;
}

/**
 * Opens a derogation request for an eligible zone. A zone has one derogation per plan: a new
 * request is refused while one is pending or was ever granted (renewal is the only way to
 * extend it, so that the limits of R10 cannot be bypassed); a refused one may be asked again.
 * `existing` are the run's derogations; the request replaces a refused one of the same zone.
 * Who may request is the caller's permission check (domain/permissions).
 */
export function requestDerogation(
  report: Pick<ClassificationReport, 'landingZones' | 'workloads'>,
  provider: ProviderCredentials,
  existing: readonly Derogation[],
  input: DerogationRequestInput,
): DerogationResult {
  const eligibility = derogationEligibility(report, input.zoneId, provider);
  if (!eligibility.eligible) return { ok: false, refusal: eligibility.refusal };
  const previous = existing.find((derogation) => derogation.zoneId === input.zoneId);
  if (previous !== undefined && previous.state !== 'REFUSED') {
    return refused(
      'DEROGATION_EXISTS',
      'conflict',
      `zone "${input.zoneId}" already has a derogation (${previous.state}): a zone gets one derogation per plan, extended only by its one renewal`,
      { zoneId: input.zoneId, state: previous.state },
    );
  }
  const problem = checkTime(input.at, 'at') ?? checkText(input.reason, 'reason');
  if (problem !== undefined) return { ok: false, refusal: problem };
  const zone = eligibility.zone;
  return {
    ok: true,
    derogation: {
      id: derogationId(zone.zoneId),
      zoneId: zone.zoneId,
      level: zone.level,
      workloadIds: [...zone.workloadIds].sort(compareIds),
      state: 'REQUESTED',
      requestedBy: input.actor.subject,
      requestedAt: input.at,
      reason: input.reason.trim(),
      compensatingMeasures: [],
      renewals: 0,
      history: [{ action: 'REQUEST', by: input.actor.subject, at: input.at, comment: input.reason.trim() }],
    },
  };
}

/** What the homologation authority writes to grant a derogation. */
export interface DerogationGrantInput {
  justification: string;
  compensatingMeasures: readonly string[];
  /** At most {@link DEROGATION_MAX_MONTHS} calendar months after `at`. */
  expiresAt: string;
  actor: DerogationActor;
  at: string;
}

/**
 * Grants a requested derogation (R10): by the customer's homologation authority, with a
 * justification, at least one compensating measure and an expiry after now and at most 18
 * calendar months after the grant. The zone must still be eligible (the plan or the provider
 * may have changed since the request).
 */
export function grantDerogation(
  derogation: Derogation,
  context: DerogationContext,
  input: DerogationGrantInput,
): DerogationResult {
  const problem =
    checkState(derogation, ['REQUESTED'], 'grant') ??
    checkAuthorityDecision(derogation, context, input, () => addCalendarMonths(input.at, DEROGATION_MAX_MONTHS), 'grant');
  if (problem !== undefined) return { ok: false, refusal: problem };
  return {
    ok: true,
    derogation: {
      ...derogation,
      state: 'GRANTED',
      justification: input.justification.trim(),
      compensatingMeasures: input.compensatingMeasures.map((measure) => measure.trim()),
      grantedBy: input.actor.subject,
      grantedAt: input.at,
      expiresAt: input.expiresAt,
      history: [...derogation.history, { action: 'GRANT', by: input.actor.subject, at: input.at, comment: input.justification.trim() }],
    },
  };
}

/** What the homologation authority writes to refuse a request. */
export interface DerogationRefuseInput {
  comment: string;
  actor: DerogationActor;
  at: string;
}

/** Refuses a requested derogation: by the customer's homologation authority, saying why. */
export function refuseDerogation(derogation: Derogation, context: Pick<DerogationContext, 'customerId'>, input: DerogationRefuseInput): DerogationResult {
  const problem =
    checkState(derogation, ['REQUESTED'], 'refuse') ??
    checkAuthority(input.actor, context.customerId) ??
    checkTime(input.at, 'at') ??
    checkText(input.comment, 'comment');
  if (problem !== undefined) return { ok: false, refusal: problem };
  return {
    ok: true,
    derogation: {
      ...derogation,
      state: 'REFUSED',
      closedAt: input.at,
      history: [...derogation.history, { action: 'REFUSE', by: input.actor.subject, at: input.at, comment: input.comment.trim() }],
    },
  };
}

/** What the homologation authority writes to renew a derogation. */
export interface DerogationRenewInput {
  justification: string;
  /** Replaces the measures when given (at least one); the earlier ones stay otherwise. */
  compensatingMeasures?: readonly string[];
  /** After now and at most {@link DEROGATION_RENEWAL_MAX_MONTHS} calendar months after the current expiry. */
  expiresAt: string;
  actor: DerogationActor;
  at: string;
}

/**
 * Renews a derogation, once (R10): by the customer's homologation authority, with a
 * justification, for at most 12 more calendar months after its current expiry. A derogation
 * that expired may still be renewed (the run waits in NEEDS_ATTENTION for that, or for an
 * operator); a revoked one may not.
 */
export function renewDerogation(derogation: Derogation, context: DerogationContext, input: DerogationRenewInput): DerogationResult {
  const currentExpiry = derogation.expiresAt ?? input.at;
  const problem =
    checkState(derogation, ['GRANTED', 'EXPIRED'], 'renew') ??
    (derogation.renewals >= DEROGATION_MAX_RENEWALS
      ? refusal('ALREADY_RENEWED', 'conflict', `derogation "${derogation.id}" was already renewed: R10 allows one renewal`, {
          derogationId: derogation.id,
        })
      : undefined) ??
    checkAuthorityDecision(derogation, context, input, () => addCalendarMonths(currentExpiry, DEROGATION_RENEWAL_MAX_MONTHS), 'renew');
  if (problem !== undefined) return { ok: false, refusal: problem };
  const renewed: Derogation = {
    ...derogation,
    state: 'GRANTED',
    justification: input.justification.trim(),
    compensatingMeasures: (input.compensatingMeasures ?? derogation.compensatingMeasures).map((measure) => measure.trim()),
    expiresAt: input.expiresAt,
    renewals: derogation.renewals + 1,
    history: [...derogation.history, { action: 'RENEW', by: input.actor.subject, at: input.at, comment: input.justification.trim() }],
  };
  delete renewed.closedAt;
  delete renewed.lapseAcknowledged;
  return { ok: true, derogation: renewed };
}

/** What the homologation authority writes to revoke a derogation. */
export interface DerogationRevokeInput {
  comment: string;
  actor: DerogationActor;
  at: string;
}

/**
 * Revokes a granted derogation at any time (R10), saying why. Its zone waits at the gate
 * again; nothing already migrated is undone, and the run needs attention (reason
 * `DEROGATION_EXPIRED`) until an operator acknowledges it.
 */
export function revokeDerogation(derogation: Derogation, context: Pick<DerogationContext, 'customerId'>, input: DerogationRevokeInput): DerogationResult {
  const problem =
    checkState(derogation, ['GRANTED'], 'revoke') ??
    checkAuthority(input.actor, context.customerId) ??
    checkTime(input.at, 'at') ??
    checkText(input.comment, 'comment');
  if (problem !== undefined) return { ok: false, refusal: problem };
  return {
    ok: true,
    derogation: {
      ...derogation,
      state: 'REVOKED',
      closedAt: input.at,
      history: [...derogation.history, { action: 'REVOKE', by: input.actor.subject, at: input.at, comment: input.comment.trim() }],
    },
  };
}

/** What an operator writes when deciding what follows an expired or revoked derogation. */
export interface DerogationAcknowledgeInput {
  comment: string;
  actor: DerogationActor;
  at: string;
}

/**
 * Records the operator's decision after a derogation expired or was revoked (the zone waits
 * at the gate again, for the qualification): the run no longer needs attention for it. Who may
 * decide is the caller's permission check (ops).
 */
export function acknowledgeDerogationLapse(derogation: Derogation, input: DerogationAcknowledgeInput): DerogationResult {
  if ((derogation.state !== 'EXPIRED' && derogation.state !== 'REVOKED') || derogation.lapseAcknowledged !== undefined) {
    return refused(
      'NOTHING_TO_ACKNOWLEDGE',
      'conflict',
      `derogation "${derogation.id}" is ${derogation.state}${derogation.lapseAcknowledged ? ', already acknowledged' : ''}: only an expired or revoked derogation needs an operator's decision`,
      { derogationId: derogation.id, state: derogation.state },
    );
  }
  const problem = checkTime(input.at, 'at') ?? checkText(input.comment, 'comment');
  if (problem !== undefined) return { ok: false, refusal: problem };
  return {
    ok: true,
    derogation: {
      ...derogation,
      lapseAcknowledged: { by: input.actor.subject, at: input.at, comment: input.comment.trim() },
      history: [...derogation.history, { action: 'ACKNOWLEDGE_LAPSE', by: input.actor.subject, at: input.at, comment: input.comment.trim() }],
    },
  };
}

/**
 * Moves the derogations whose expiry has come (at or before `at`) from `GRANTED` to `EXPIRED`;
 * the others are returned unchanged (the same objects). The workflow calls it when the timer of
 * {@link nextDerogationExpiry} fires.
 */
export function expireDerogations(derogations: readonly Derogation[], at: string): Derogation[] {
  const now = Date.parse(at);
  return derogations.map((derogation) => {
    if (derogation.state !== 'GRANTED' || derogation.expiresAt === undefined || Date.parse(derogation.expiresAt) > now) return derogation;
    return {
      ...derogation,
      state: 'EXPIRED',
      closedAt: derogation.expiresAt,
      history: [...derogation.history, { action: 'EXPIRE', by: 'system', at: derogation.expiresAt }],
    };
  });
}

/**
 * Ends every derogation once the provider's SecNumCloud qualification is in force (R10): the
 * granted, expired and revoked ones become `ENDED` (their risk closes) and pending requests
 * end unanswered. Returns the same objects when the provider is not `QUALIFIED`.
 */
export function endDerogationsOnQualification(derogations: readonly Derogation[], provider: ProviderCredentials, at: string): Derogation[] {
  if (provider.secnumcloud !== 'QUALIFIED') return [...derogations];
  return derogations.map((derogation) => {
    if (derogation.state === 'REFUSED' || derogation.state === 'ENDED') return derogation;
    return {
      ...derogation,
      state: 'ENDED',
      closedAt: derogation.closedAt ?? at,
      history: [...derogation.history, { action: 'END', by: 'system', at, comment: 'SecNumCloud qualification in force' }],
    };
  });
}

/** Whether a derogation lets its zone past the gate at `at`: granted and not yet expired. */
export function isDerogationInForce(derogation: Derogation, at: string): boolean {
  return derogation.state === 'GRANTED' && derogation.expiresAt !== undefined && Date.parse(at) < Date.parse(derogation.expiresAt);
}

/** The earliest expiry of a granted derogation, for the workflow's durable timer; undefined when none. */
export function nextDerogationExpiry(derogations: readonly Derogation[]): string | undefined {
  let earliest: string | undefined;
  for (const derogation of derogations) {
    if (derogation.state !== 'GRANTED' || derogation.expiresAt === undefined) continue;
    if (earliest === undefined || Date.parse(derogation.expiresAt) < Date.parse(earliest)) earliest = derogation.expiresAt;
  }
  return earliest;
}

/**
 * The derogations that keep the run in NEEDS_ATTENTION (reason `DEROGATION_EXPIRED`): expired
 * or revoked before the qualification, not renewed, and not yet acknowledged by an operator.
 */
export function derogationsNeedingAttention(derogations: readonly Derogation[]): Derogation[] {
  return derogations.filter(
    (derogation) => (derogation.state === 'EXPIRED' || derogation.state === 'REVOKED') && derogation.lapseAcknowledged === undefined,
  );
}

/** What grant and renewal check again: the plan's customer, classification and the provider's status. */
export interface DerogationContext {
  customerId: string;
  report: Pick<ClassificationReport, 'landingZones' | 'workloads'>;
  provider: ProviderCredentials;
}

/**
 * Adds calendar months to an ISO 8601 date-time, in UTC, keeping the time of day; the day is
 * clamped to the end of a shorter month (31 August + 18 months = 28 or 29 February).
 */
export function addCalendarMonths(at: string, months: number): string {
  const date = new Date(Date.parse(at));
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = new Date(
    Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()),
  );
  return shifted.toISOString();
}

/**
 * What grant and renewal both check, in this order: the authority, the zone still eligible, the
 * time, the justification, the measures (required for a grant, optional for a renewal, which
 * keeps the earlier ones) and the expiry against the latest that R10 allows for the action.
 */
function checkAuthorityDecision(
  derogation: Derogation,
  context: DerogationContext,
  input: { actor: DerogationActor; at: string; justification: string; expiresAt: string; compensatingMeasures?: readonly string[] },
  latest: () => string,
  action: 'grant' | 'renew',
): DerogationRefusal | undefined {
  const measuresOptional = action === 'renew' && input.compensatingMeasures === undefined;
  return (
    checkAuthority(input.actor, context.customerId) ??
    checkEligibleStill(derogation, context) ??
    checkTime(input.at, 'at') ??
    checkText(input.justification, 'justification') ??
    (measuresOptional ? undefined : checkMeasures(input.compensatingMeasures ?? [])) ??
    checkExpiry(input.expiresAt, input.at, latest, action)
  );
}

function checkState(derogation: Derogation, allowed: readonly DerogationState[], action: string): DerogationRefusal | undefined {
  if (allowed.includes(derogation.state)) return undefined;
  return refusal(
    'WRONG_STATE',
    'conflict',
    `cannot ${action} derogation "${derogation.id}": it is ${derogation.state}, and only a ${allowed.join(' or ')} one can be`,
    { derogationId: derogation.id, state: derogation.state, action },
  );
}

function checkAuthority(actor: DerogationActor, customerId: string): DerogationRefusal | undefined {
  if (!actor.approverRoles.includes(DEROGATION_AUTHORITY)) {
    return refusal('NOT_AUTHORITY', 'forbidden', `only the customer's ${DEROGATION_AUTHORITY} decides derogations (R10), and ${actor.subject} does not hold that role`, {
      subject: actor.subject,
      role: DEROGATION_AUTHORITY,
    });
  }
  if (actor.customerId !== customerId) {
    return refusal('OTHER_CUSTOMER', 'forbidden', `${actor.subject} is not a homologation authority of customer "${customerId}"`, {
      subject: actor.subject,
      customerId,
    });
  }
  return undefined;
}

function checkEligibleStill(derogation: Derogation, context: DerogationContext): DerogationRefusal | undefined {
  const eligibility = derogationEligibility(context.report, derogation.zoneId, context.provider);
  return eligibility.eligible ? undefined : eligibility.refusal;
}

function checkTime(at: string, field: string): DerogationRefusal | undefined {
  if (typeof at === 'string' && !Number.isNaN(Date.parse(at))) return undefined;
  return refusal('INVALID_TIME', 'invalid', `${field} must be an ISO 8601 date-time, not ${JSON.stringify(at)}`, { field });
}

function checkText(text: string, field: string): DerogationRefusal | undefined {
  if (typeof text !== 'string' || text.trim() === '') {
    return refusal('TEXT_MISSING', 'invalid', `${field} is required: R10 asks for it in writing`, { field });
  }
  if (text.length > DEROGATION_TEXT_MAX_LENGTH) {
    return refusal('TEXT_TOO_LONG', 'invalid', `${field} must be at most ${DEROGATION_TEXT_MAX_LENGTH} characters long`, {
      field,
      max: DEROGATION_TEXT_MAX_LENGTH,
    });
  }
  return undefined;
}

function checkMeasures(measures: readonly string[]): DerogationRefusal | undefined {
  // Validators receive what the API decoded: check the shape rather than trust the type.
  const list: unknown = measures;
  if (!Array.isArray(list) || measures.length === 0 || measures.some((measure) => typeof measure !== 'string' || measure.trim() === '')) {
    return refusal('MEASURES_MISSING', 'invalid', 'compensatingMeasures must list at least one measure, none of them empty (R10)', {
      field: 'compensatingMeasures',
    });
  }
  if (measures.length > DEROGATION_MAX_MEASURES) {
    return refusal('MEASURES_TOO_MANY', 'invalid', `compensatingMeasures must list at most ${DEROGATION_MAX_MEASURES} measures`, {
      field: 'compensatingMeasures',
      max: DEROGATION_MAX_MEASURES,
    });
  }
  for (const measure of measures) {
    const tooLong = checkText(measure, 'each compensating measure');
    if (tooLong !== undefined) return tooLong;
  }
  return undefined;
}

/** `latest` is computed only once `at` and `expiresAt` are known to be times. */
function checkExpiry(expiresAt: string, at: string, latestAllowed: () => string, action: 'grant' | 'renew'): DerogationRefusal | undefined {
  const invalid = checkTime(expiresAt, 'expiresAt');
  if (invalid !== undefined) return invalid;
  const latest = latestAllowed();
  if (Date.parse(expiresAt) <= Date.parse(at)) {
    return refusal('EXPIRY_NOT_AFTER_NOW', 'invalid', `expiresAt (${expiresAt}) must be after the ${action === 'grant' ? 'grant' : 'renewal'} (${at})`, {
      expiresAt,
      at,
    });
  }
  if (Date.parse(expiresAt) > Date.parse(latest)) {
    return action === 'grant'
      ? refusal(
          'EXPIRY_TOO_LATE',
          'invalid',
          `expiresAt (${expiresAt}) must be at most ${DEROGATION_MAX_MONTHS} months after the grant, so no later than ${latest} (R10)`,
          { expiresAt, latest, months: DEROGATION_MAX_MONTHS },
        )
      : refusal(
          'RENEWAL_TOO_LONG',
          'invalid',
          `expiresAt (${expiresAt}) must be at most ${DEROGATION_RENEWAL_MAX_MONTHS} months after the current expiry, so no later than ${latest} (R10)`,
          { expiresAt, latest, months: DEROGATION_RENEWAL_MAX_MONTHS },
        );
  }
  return undefined;
}

function refusal(code: DerogationRefusalCode, kind: DerogationRefusalKind, message: string, params: Record<string, string | number>): DerogationRefusal {
  return { code, kind, message, params };
}

function refused(code: DerogationRefusalCode, kind: DerogationRefusalKind, message: string, params: Record<string, string | number>): DerogationResult {
  return { ok: false, refusal: refusal(code, kind, message, params) };
}

function refusedEligibility(
  code: DerogationRefusalCode,
  kind: DerogationRefusalKind,
  message: string,
  params: Record<string, string | number>,
): DerogationEligibility {
  return { eligible: false, refusal: refusal(code, kind, message, params) };
}
