/**
 * The register of residual risks that a plan's signatories accept (docs/rules.md, "Residual
 * risks"): derived from the classification, the assessment and the derogations, kept up to date
 * as they change (acceptances of risks that persist are kept, vanished risks close, new ones
 * open), accepted by their owners or all at once by the homologation decision, and checked
 * before each cutover wave: a wave that holds an `OPEN` risk's workload does not start.
 *
 * Pure and deterministic: times and actors come from the caller; risks are sorted by id.
 */
import type { AssessmentReport } from './assessment';
import type { ClassificationReport } from './classification';
import type { Derogation } from './derogations';
import { listedIds, message, type Message } from './messages';
import type { Actor } from './permissions';
import { compareIds, type ApproverRole, type DataCategory, type Plan } from './plan';

/** The kinds of residual risk (docs/rules.md table). */
export const RISK_CODES = ['HYBRID_DEPENDENCY', 'LONG_TRANSFER', 'EXTRATERRITORIAL_EXPOSURE', 'DEROGATION'] as const;
/** One of {@link RISK_CODES}. */
export type RiskCode = (typeof RISK_CODES)[number];

/** `OPEN` until its owner (or the homologation decision) accepts it; `CLOSED` once its cause disappeared. */
export const RISK_STATES = ['OPEN', 'ACCEPTED', 'CLOSED'] as const;
/** One of {@link RISK_STATES}. */
export type RiskState = (typeof RISK_STATES)[number];

/** Who owns, and may accept, each kind of risk (docs/rules.md table). */
export const RISK_OWNERS: Readonly<Record<RiskCode, ApproverRole>> = {
  HYBRID_DEPENDENCY: 'RSSI',
  LONG_TRANSFER: 'RSSI',
  EXTRATERRITORIAL_EXPOSURE: 'DPO',
  DEROGATION: 'HOMOLOGATION_AUTHORITY',
};

/**
 * The rule or warning each kind of risk comes from, as the register stores it (`source`, in the
 * API); readers cite it in their language with `riskSourceLabel` (domain/messages.ts).
 */
export const RISK_SOURCES: Readonly<Record<RiskCode, string>> = {
  HYBRID_DEPENDENCY: 'R8: HYBRID_DEPENDENCY warning',
  LONG_TRANSFER: 'assessment: TRANSFER_OVER_A_WEEK warning',
  EXTRATERRITORIAL_EXPOSURE: 'SecNumCloud 3.2 §19.6',
  DEROGATION: 'R10',
};

/**
 * Categories that make a migrating `STANDARD` workload exposed to extraterritorial laws:
 * `PERSONAL` and `IDENTITY` as docs/rules.md names them, and the stricter kinds of personal data
 * (`PERSONAL_SPECIAL`, `HEALTH`), which are personal data too.
 */
export const EXPOSED_CATEGORIES = ['IDENTITY', 'PERSONAL', 'PERSONAL_SPECIAL', 'HEALTH'] as const satisfies readonly DataCategory[];

/** A risk as the current plan, provider and decisions give rise to it, before any decision on it. */
export interface IdentifiedRisk {
  /**
   * Stable across reclassification, from the code and the workloads (URL-safe, dot-separated as
   * workload ids hold no dot): `hybrid-dependency.historian.scada`, `long-transfer.pacs`,
   * `extraterritorial-exposure.payroll`; a derogation's risk is named after its zone,
   * `derogation.secnumcloud`, since the derogation covers the zone whatever it holds.
   */
  id: string;
  code: RiskCode;
  /** The rule or warning it comes from ({@link RISK_SOURCES}). */
  source: string;
  /** Sorted by id. */
  workloadIds: string[];
  /** What the risk is, as a message code with parameters (domain/messages). */
  description: Message;
  ownerRole: ApproverRole;
  /** When the cause lapses by itself: a derogation's expiry. */
  expiresAt?: string;
}

/** Who accepted a risk, when, and whether through the homologation decision. */
export interface RiskAcceptance {
  by: string;
  at: string;
  onHomologation: boolean;
}

/** One entry of the register. */
export interface ResidualRisk extends IdentifiedRisk {
  state: RiskState;
  /** When it was (last) opened. */
  openedAt: string;
  /** Set once accepted; kept when the risk closes, so that the register shows who had accepted it. */
  acceptance?: RiskAcceptance;
  closedAt?: string;
}

/** A plan's register of residual risks, sorted by id; closed risks stay, for the record. */
export interface RiskRegister {
  risks: ResidualRisk[];
}

/** What the register is derived from. */
export interface RiskSources {
  plan: Pick<Plan, 'workloads'>;
  report: Pick<ClassificationReport, 'workloads' | 'warnings'>;
  assessment: Pick<AssessmentReport, 'workloads'>;
  /** The run's derogations: a granted one is a risk until it ends (R10). */
  derogations?: readonly Derogation[];
}

/** The risk id of a code and its subject (workloads, or a derogation's zone). */
export function riskId(code: RiskCode, subject: readonly string[]): string {
  return [code.toLowerCase().replace(/_/g, '-'), ...subject].join('.');
}

/**
 * Derives the risks that the plan, its assessment and its derogations give rise to now, sorted
 * by id (docs/rules.md, "Residual risks"):
 * - `HYBRID_DEPENDENCY` for each such warning (a migrating workload reaches back on site);
 * - `LONG_TRANSFER` for each workload whose transfer takes more than a week;
 * - `EXTRATERRITORIAL_EXPOSURE` for each migrating `STANDARD` workload holding personal or
 *   identity data ({@link EXPOSED_CATEGORIES});
 * - `DEROGATION` for each derogation granted and not yet ended by the qualification (an expired
 *   or revoked one still counts: nothing already migrated is undone).
 */
export function deriveRisks(sources: RiskSources): IdentifiedRisk[] {
  const risks: IdentifiedRisk[] = [];
  const identified = (code: RiskCode, subject: readonly string[], workloadIds: readonly string[], description: Message): IdentifiedRisk => ({
    id: riskId(code, subject),
    code,
    source: RISK_SOURCES[code],
    workloadIds: [...workloadIds].sort(compareIds),
    description,
    ownerRole: RISK_OWNERS[code],
  });

  for (const warning of sources.report.warnings) {
    risks.push(
      identified('HYBRID_DEPENDENCY', [warning.workloadId, warning.dependsOn], [warning.workloadId, warning.dependsOn], {
        code: 'RISK_HYBRID_DEPENDENCY',
        params: { workloadId: warning.workloadId, dependsOn: warning.dependsOn },
      }),
    );
  }

  for (const assessed of sources.assessment.workloads) {
    if (!assessed.warnings.some((warning) => warning.code === 'TRANSFER_OVER_A_WEEK')) continue;
    risks.push(
      identified(
        'LONG_TRANSFER',
        [assessed.id],
        [assessed.id],
        message('RISK_LONG_TRANSFER', { workloadId: assessed.id, sizeGb: assessed.sizeGb, duration: assessed.transferDuration }),
      ),
    );
  }

  const categoriesById = new Map<string, readonly DataCategory[]>();
  for (const workload of sources.plan.workloads) if (!categoriesById.has(workload.id)) categoriesById.set(workload.id, workload.dataCategories);
  for (const classified of sources.report.workloads) {
    if (!classified.migrates || classified.level !== 'STANDARD') continue;
    const held = EXPOSED_CATEGORIES.filter((category) => categoriesById.get(classified.id)?.includes(category));
    if (held.length === 0) continue;
    risks.push(
      identified(
        'EXTRATERRITORIAL_EXPOSURE',
        [classified.id],
        [classified.id],
        message('RISK_EXTRATERRITORIAL_EXPOSURE', { workloadId: classified.id, categories: [...held] }),
      ),
    );
  }

  for (const derogation of sources.derogations ?? []) {
    if (derogation.state !== 'GRANTED' && derogation.state !== 'EXPIRED' && derogation.state !== 'REVOKED') continue;
    const risk = identified(
      'DEROGATION',
      [derogation.zoneId],
      derogation.workloadIds,
      message('RISK_DEROGATION', {
        zoneId: derogation.zoneId,
        workloadIds: listedIds(derogation.workloadIds).ids,
        workloadCount: derogation.workloadIds.length,
        ...(derogation.expiresAt === undefined ? {} : { expiresAt: derogation.expiresAt }),
      }),
    );
    if (derogation.expiresAt !== undefined) risk.expiresAt = derogation.expiresAt;
    risks.push(risk);
  }
  return risks.sort((left, right) => compareIds(left.id, right.id));
}

/** Outcome of {@link updateRiskRegister}: the new register and what changed, for the timeline. */
export interface RiskRegisterUpdate {
  register: RiskRegister;
  /** Risks new to the register, or closed ones whose cause came back. */
  openedIds: string[];
  closedIds: string[];
}

/**
 * Brings a register up to date with the risks that exist now ({@link deriveRisks}): a risk that
 * persists keeps its state and acceptance (its description, workloads and expiry follow the
 * plan); a risk whose cause disappeared is `CLOSED` (its acceptance stays on record); a new
 * risk, or a closed one whose cause came back, is `OPEN` until accepted. Start from `undefined`
 * for a new run.
 */
export function updateRiskRegister(register: RiskRegister | undefined, current: readonly IdentifiedRisk[], at: string): RiskRegisterUpdate {
  const previousById = new Map((register?.risks ?? []).map((risk) => [risk.id, risk]));
  const currentIds = new Set(current.map((risk) => risk.id));
  const openedIds: string[] = [];
  const closedIds: string[] = [];
  const risks: ResidualRisk[] = [];

  for (const risk of current) {
    const previous = previousById.get(risk.id);
    if (previous !== undefined && previous.state !== 'CLOSED') {
      const kept: ResidualRisk = { ...risk, state: previous.state, openedAt: previous.openedAt };
      if (previous.acceptance !== undefined) kept.acceptance = previous.acceptance;
      risks.push(kept);
      continue;
    }
    openedIds.push(risk.id);
    risks.push({ ...risk, state: 'OPEN', openedAt: at });
  }
  for (const previous of register?.risks ?? []) {
    if (currentIds.has(previous.id)) continue;
    if (previous.state === 'CLOSED') {
      risks.push(previous);
      continue;
    }
    closedIds.push(previous.id);
    risks.push({ ...previous, state: 'CLOSED', closedAt: at });
  }
  risks.sort((left, right) => compareIds(left.id, right.id));
  return { register: { risks }, openedIds: openedIds.sort(compareIds), closedIds: closedIds.sort(compareIds) };
}

/** Why risks could not be accepted; the workflow maps `kind` onto its failure types. */
export interface RiskRefusal {
  code: 'RISK_UNKNOWN' | 'RISK_NOT_OPEN' | 'NOT_OWNER' | 'OTHER_CUSTOMER' | 'NOTHING_TO_ACCEPT';
  kind: 'notFound' | 'conflict' | 'forbidden' | 'invalid';
  message: string;
  params: Record<string, string | number>;
}

/** Outcome of an acceptance. */
export type RiskAcceptanceResult = { ok: true; register: RiskRegister; acceptedIds: string[] } | { ok: false; refusal: RiskRefusal };

/**
 * Accepts open risks by their owner (docs/rules.md: a risk that appears after the homologation is
 * `OPEN` until its owner accepts it): every id must name an `OPEN` risk whose owner role the
 * actor holds, as an approver of the run's customer. All or nothing.
 */
export function acceptRisks(
  register: RiskRegister,
  riskIds: readonly string[],
  actor: Pick<Actor, 'subject' | 'customerId' | 'approverRoles'>,
  context: { customerId: string; at: string },
): RiskAcceptanceResult {
  if (riskIds.length === 0) {
    return refusedRisks('NOTHING_TO_ACCEPT', 'invalid', 'name at least one risk to accept', {});
  }
  if (actor.customerId !== context.customerId) {
    return refusedRisks('OTHER_CUSTOMER', 'forbidden', `${actor.subject} is not an approver of customer "${context.customerId}"`, {
      subject: actor.subject,
      customerId: context.customerId,
    });
  }
  const byId = new Map(register.risks.map((risk) => [risk.id, risk]));
  const wanted = new Set(riskIds);
  for (const id of wanted) {
    const risk = byId.get(id);
    if (risk === undefined) return refusedRisks('RISK_UNKNOWN', 'notFound', `the register has no risk "${id}"`, { riskId: id });
    if (risk.state !== 'OPEN') {
      return refusedRisks('RISK_NOT_OPEN', 'conflict', `risk "${id}" is ${risk.state}: only an OPEN risk can be accepted`, { riskId: id, state: risk.state });
    }
    if (!actor.approverRoles.includes(risk.ownerRole)) {
      return refusedRisks('NOT_OWNER', 'forbidden', `risk "${id}" is accepted by its owner, the ${risk.ownerRole}, a role ${actor.subject} does not hold`, {
        riskId: id,
        role: risk.ownerRole,
        subject: actor.subject,
      });
    }
  }
  const acceptance: RiskAcceptance = { by: actor.subject, at: context.at, onHomologation: false };
  return {
    ok: true,
    register: { risks: register.risks.map((risk) => (wanted.has(risk.id) ? { ...risk, state: 'ACCEPTED', acceptance } : risk)) },
    acceptedIds: [...wanted].sort(compareIds),
  };
}

/**
 * Approving `homologation` accepts every risk open at that moment, whoever owns it (docs/rules.md),
 * and records their ids; call it when the homologation approval is approved, with its
 * verified decider.
 */
export function acceptOpenRisksOnHomologation(
  register: RiskRegister,
  actor: Pick<Actor, 'subject'>,
  at: string,
): { register: RiskRegister; acceptedIds: string[] } {
  const acceptance: RiskAcceptance = { by: actor.subject, at, onHomologation: true };
  const acceptedIds: string[] = [];
  const risks = register.risks.map((risk): ResidualRisk => {
    if (risk.state !== 'OPEN') return risk;
    acceptedIds.push(risk.id);
    return { ...risk, state: 'ACCEPTED', acceptance };
  });
  return { register: { risks }, acceptedIds };
}

/** Whether a cutover wave may start, and the open risks that hold it back. */
export interface WaveRiskCheck {
  mayStart: boolean;
  /** Sorted by id; empty when the wave may start. */
  openRiskIds: string[];
}

/** docs/rules.md: the run does not start a cutover wave that holds an `OPEN` risk's workload. */
export function mayStartWave(register: RiskRegister, waveWorkloadIds: readonly string[]): WaveRiskCheck {
  const inWave = new Set(waveWorkloadIds);
  const openRiskIds = register.risks
    .filter((risk) => risk.state === 'OPEN' && risk.workloadIds.some((workloadId) => inWave.has(workloadId)))
    .map((risk) => risk.id);
  return { mayStart: openRiskIds.length === 0, openRiskIds };
}

function refusedRisks(code: RiskRefusal['code'], kind: RiskRefusal['kind'], text: string, params: RiskRefusal['params']): RiskAcceptanceResult {
  return { ok: false, refusal: { code, kind, message: text, params } };
}
