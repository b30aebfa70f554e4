/**
 * Derogations (R10): a zone of `SECNUMCLOUD` workloads that waits at the gate only for the
 * provider's SecNumCloud qualification may proceed if the customer's homologation authority
 * grants a derogation. Request, grant, refusal, the one renewal, revocation and an operator's
 * decision after a lapse are Updates whose validators apply the domain's state machine
 * (domain/derogations.ts) and the permission table to the verified actor; a durable timer
 * expires a derogation, and a lapse before the qualification puts the run in NEEDS_ATTENTION
 * (reason `DEROGATION_EXPIRED`) until it is renewed or an operator decides. The derogations
 * live in the status, so continue-as-new carries them and the timer is set again in the next
 * run of the chain.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { condition, isCancellation, setHandler } from '@temporalio/workflow';
import {
  acknowledgeDerogationLapse,
  type Action,
  type Actor,
  type Derogation,
  type DerogationAction,
  type DerogationContext,
  type DerogationRefusalKind,
  type DerogationResult,
  endDerogationsOnQualification,
  expireDerogations,
  FAILURE_TYPES,
  grantDerogation,
  type Message,
  type MessageCode,
  type MessageParams,
  nextDerogationExpiry,
  type ProviderCredentials,
  refuseDerogation,
  renderMessage,
  renewDerogation,
  requestDerogation,
  revokeDerogation,
  SECNUMCLOUD_STATUSES,
} from '../../domain';
import {
  acknowledgeDerogationLapseUpdate,
  type DerogationCommentInput,
  grantDerogationUpdate,
  type GrantDerogationInput,
  refuseDerogationUpdate,
  renewDerogationUpdate,
  type RenewDerogationInput,
  requestDerogationUpdate,
  type RequestDerogationInput,
  revokeDerogationUpdate,
} from '../messages';
import { nowIso } from '../run-state';
import { type MigrationContext, refuse, requirePermission } from './context';
import { DEROGATIONS_PATCH } from './patches';
import { refreshRiskRegister } from './risks';


const FAILURE_OF_KIND: Readonly<Record<DerogationRefusalKind, string>> = {
  invalid: FAILURE_TYPES.invalid,
  forbidden: FAILURE_TYPES.forbidden,
  conflict: FAILURE_TYPES.conflict,
  notFound: FAILURE_TYPES.notFound,
};

/** The run's derogations (none before the first request). */
export function derogationsOf(context: MigrationContext): Derogation[] {
  return context.status.derogations ?? [];
}

/** The provider's status as the gate last read it; undefined before the run reached the gate. */
function lastReadCredentials(context: MigrationContext): ProviderCredentials | undefined {
  const read = context.status.gate?.credentials;
  if (read === undefined) return undefined;
  const secnumcloud = SECNUMCLOUD_STATUSES.find((candidate) => candidate === read.secnumcloud);
  return secnumcloud === undefined ? undefined : { secnumcloud, hds: read.hds };
}

function derogationContext(context: MigrationContext): DerogationContext {
  const { status } = context;
  const provider = lastReadCredentials(context);
  if (provider === undefined || status.report === undefined) {
    refuse(
      FAILURE_TYPES.conflict,
      'The run has not read the provider’s qualification yet: derogations (R10) are decided once the run waits at the regulatory gate.',
    );
  }
  return { customerId: status.customerId, report: status.report, provider };
}

function findDerogation(context: MigrationContext, zoneId: string): Derogation {
  const derogation = derogationsOf(context).find((candidate) => candidate.zoneId === zoneId);
  if (derogation === undefined) refuse(FAILURE_TYPES.notFound, `This run has no derogation for zone "${zoneId}".`);
  return derogation;
}

/** One derogation decision: who may take it, the domain transition, and what the timeline says of it. */
interface DerogationDecision<Input extends { zoneId: string; actor: Actor }> {
  action: Action;
  audit: string;
  transition: (context: MigrationContext, input: Input, at: string) => DerogationResult;
  /** What the audit trail keeps as the decider's comment. */
  comment: (input: Input) => string | undefined;
  timeline: (derogation: Derogation, input: Input) => TimelineMessage;
}

type TimelineMessage = { code: MessageCode; text: string; message: Message };

/** Validates a decision: the run is open, the caller's roles allow it, a customer acts on its own run, and the state machine accepts it now. */
function validateDecision<Input extends { zoneId: string; actor: Actor }>(context: MigrationContext, decision: DerogationDecision<Input>, input: Input): Derogation {
  context.refuseIfFinal();
  requirePermission(input.actor, decision.action);
  if (input.actor.customerId !== undefined && input.actor.customerId !== context.status.customerId) refuse(FAILURE_TYPES.notFound, 'No such migration.');
  if (context.amending) refuse(FAILURE_TYPES.conflict, 'An amended plan is being classified; try again in a moment.');
  const result = decision.transition(context, input, nowIso());
  if (!result.ok) refuse(FAILURE_OF_KIND[result.refusal.kind], result.refusal.message);
  return result.derogation;
}

/** Keeps one derogation per zone: the new state replaces the zone's earlier one (a refused request asked again included). */
function store(context: MigrationContext, derogation: Derogation): void {
  const others = derogationsOf(context).filter((candidate) => candidate.zoneId !== derogation.zoneId);
  context.status.derogations = [...others, derogation].sort((left, right) => (left.zoneId < right.zoneId ? -1 : left.zoneId > right.zoneId ? 1 : 0));
  context.derogationChanges += 1;
  // A granted derogation is a residual risk until it ends (R10).
  refreshRiskRegister(context);
}

function register<Input extends { zoneId: string; actor: Actor }>(
  context: MigrationContext,
  update: UpdateDefinition<Derogation, [Input]>,
  decision: DerogationDecision<Input>,
): void {
  setHandler(
    update,
    (input: Input) => {
      context.patched(DEROGATIONS_PATCH);
      const derogation = validateDecision(context, decision, input);
      store(context, derogation);
      context.run.audit(input.actor, decision.audit, derogation.id, decision.comment(input));
      const line = decision.timeline(derogation, input);
      context.run.record(line.code, line.text, undefined, line.message);
      context.changed();
      return derogation;
    },
    { validator: (input: Input) => void validateDecision(context, decision, input) },
  );
}

function line<C extends MessageCode>(code: C, params: MessageParams<C>): TimelineMessage {
  return { code, text: renderMessage(code, params, 'en'), message: { code, params } as Message };
}

/** The Updates of derogations, and the durable timer that expires them. */
export function registerDerogationHandlers(context: MigrationContext): void {
  register<RequestDerogationInput>(context, requestDerogationUpdate, {
    action: 'derogation.request',
    audit: 'REQUEST_DEROGATION',
    transition: (run, { zoneId, reason, actor }, at) => {
      const { report, provider } = derogationContext(run);
      return requestDerogation(report, provider, derogationsOf(run), { zoneId, reason, actor, at });
    },
    comment: (input) => input.reason,
    timeline: (derogation, { actor }) => line('DEROGATION_REQUESTED', { zoneId: derogation.zoneId, actor: actor.subject }),
  });
  register<GrantDerogationInput>(context, grantDerogationUpdate, {
    action: 'derogation.decide',
    audit: 'GRANT_DEROGATION',
    transition: (run, { zoneId, justification, compensatingMeasures, expiresAt, actor }, at) =>
      grantDerogation(findDerogation(run, zoneId), derogationContext(run), { justification, compensatingMeasures, expiresAt, actor, at }),
    comment: (input) => input.justification,
    timeline: (derogation, { actor }) => line('DEROGATION_GRANTED', { zoneId: derogation.zoneId, actor: actor.subject, expiresAt: derogation.expiresAt ?? '' }),
  });
  register<DerogationCommentInput>(context, refuseDerogationUpdate, {
    action: 'derogation.decide',
    audit: 'REFUSE_DEROGATION',
    transition: (run, { zoneId, comment, actor }, at) => refuseDerogation(findDerogation(run, zoneId), { customerId: run.status.customerId }, { comment, actor, at }),
    comment: (input) => input.comment,
    timeline: (derogation, { actor }) => line('DEROGATION_REFUSED', { zoneId: derogation.zoneId, actor: actor.subject }),
  });
  register<RenewDerogationInput>(context, renewDerogationUpdate, {
    action: 'derogation.decide',
    audit: 'RENEW_DEROGATION',
    transition: (run, { zoneId, justification, compensatingMeasures, expiresAt, actor }, at) =>
      renewDerogation(findDerogation(run, zoneId), derogationContext(run), {
        justification,
        ...(compensatingMeasures === undefined ? {} : { compensatingMeasures }),
        expiresAt,
        actor,
        at,
      }),
    comment: (input) => input.justification,
    timeline: (derogation, { actor }) => line('DEROGATION_RENEWED', { zoneId: derogation.zoneId, actor: actor.subject, expiresAt: derogation.expiresAt ?? '' }),
  });
  register<DerogationCommentInput>(context, revokeDerogationUpdate, {
    action: 'derogation.decide',
    audit: 'REVOKE_DEROGATION',
    transition: (run, { zoneId, comment, actor }, at) => revokeDerogation(findDerogation(run, zoneId), { customerId: run.status.customerId }, { comment, actor, at }),
    comment: (input) => input.comment,
    timeline: (derogation, { actor }) => line('DEROGATION_REVOKED', { zoneId: derogation.zoneId, actor: actor.subject }),
  });
  register<DerogationCommentInput>(context, acknowledgeDerogationLapseUpdate, {
    action: 'derogation.acknowledge',
    audit: 'ACKNOWLEDGE_DEROGATION_LAPSE',
    transition: (run, { zoneId, comment, actor }, at) => acknowledgeDerogationLapse(findDerogation(run, zoneId), { comment, actor, at }),
    comment: (input) => input.comment,
    timeline: (derogation, { actor }) => line('DEROGATION_LAPSE_ACKNOWLEDGED', { zoneId: derogation.zoneId, actor: actor.subject }),
  });
}

/**
 * Ends the run's derogations once the provider's SecNumCloud qualification is in force (R10):
 * their risk closes and a later expiry no longer needs anyone. The gate calls it with what it read.
 */
export function endDerogationsIfQualified(context: MigrationContext, provider: ProviderCredentials): void {
  const before = derogationsOf(context);
  if (before.length === 0 || provider.secnumcloud !== 'QUALIFIED') return;
  const after = endDerogationsOnQualification(before, provider, nowIso());
  recordTransitions(context, before, after, 'END');
}

function recordTransitions(context: MigrationContext, before: readonly Derogation[], after: Derogation[], action: DerogationAction): void {
  const changed = after.filter((derogation, index) => derogation !== before[index]);
  if (changed.length === 0) return;
  context.status.derogations = after;
  context.derogationChanges += 1;
  refreshRiskRegister(context);
  for (const derogation of changed) {
    const entry =
      action === 'END'
        ? line('DEROGATION_ENDED', { zoneId: derogation.zoneId })
        : line('DEROGATION_EXPIRED', { zoneId: derogation.zoneId, at: derogation.expiresAt ?? nowIso() });
    context.run.record(entry.code, entry.text, undefined, entry.message);
  }
  context.changed();
}

/**
 * The durable timer of derogations: sleeps until the earliest expiry of a granted derogation
 * (or until a decision moves it), then reads the provider once: a qualification in force ends
 * the derogations, otherwise the due ones expire and the run needs attention. A run without
 * derogations sets no timer, so its history is what it was before derogations existed.
 */
export async function watchDerogationExpiries(context: MigrationContext): Promise<void> {
  while (!context.isFinal()) {
    const seen = context.derogationChanges;
    const moved = () => context.derogationChanges !== seen || context.isFinal();
    const next = nextDerogationExpiry(derogationsOf(context));
    if (next === undefined) {
      await condition(moved);
      continue;
    }
    if (await condition(moved, Math.max(1, Date.parse(next) - Date.now()))) continue;
    try {
      const credentials = await context.activities.checks.readProviderCredentials();
      endDerogationsIfQualified(context, credentials);
    } catch (error) {
      if (isCancellation(error)) throw error;
      // Unreadable: the derogation expires as granted; the gate reads the provider again.
    }
    const before = derogationsOf(context);
    recordTransitions(context, before, expireDerogations(before, nowIso()), 'EXPIRE');
  }
}

/** Starts the expiry timer beside the run's main path; only a cancellation of the whole run stops it early. */
export function startDerogationTimer(context: MigrationContext): void {
  void watchDerogationExpiries(context).catch((error: unknown) => {
    if (!isCancellation(error)) throw error;
  });
}
