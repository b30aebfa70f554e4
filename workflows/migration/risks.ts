/**
 * The residual-risk register the run keeps (docs/rules.md, "Residual risks"): derived from the
 * classification and the assessment each time a plan is analysed, brought up to date when a
 * derogation is granted or ends (domain/risks.ts, updateRiskRegister: acceptances of risks
 * that persist are kept, vanished risks close, new ones open). Approving `homologation` accepts
 * every risk open at that moment and its decision records their ids; a risk that appears later
 * stays OPEN until an approver of the customer holding its owner role accepts it (an Update);
 * a cutover wave that holds an OPEN risk's workload waits, durably, until then. The register
 * lives in the status, so continue-as-new carries it; runs started before it keep none
 * (`context.riskRegister` false) and replay as they ran.
 */
import { setHandler } from '@temporalio/workflow';
import {
  acceptOpenRisksOnHomologation,
  acceptRisks,
  deriveRisks,
  FAILURE_TYPES,
  listedIds,
  type Message,
  message,
  mayStartWave,
  type RiskAcceptanceResult,
  type RiskRefusal,
  renderMessage,
  type ResidualRisk,
  updateRiskRegister,
  type WaveView,
} from '../../domain';
import { type AcceptRisksInput, acceptRisksUpdate } from '../messages';
import { nowIso } from '../run-state';
import { type MigrationContext, refuse, requirePermission } from './context';
import { boundedWait } from './continuation';

/** The most risks one acceptance names: an owner accepts what a wave holds, not a whole estate at once. */
export const ACCEPT_RISKS_LIMIT = 500;

const FAILURE_OF_KIND: Readonly<Record<RiskRefusal['kind'], string>> = {
  invalid: FAILURE_TYPES.invalid,
  forbidden: FAILURE_TYPES.forbidden,
  conflict: FAILURE_TYPES.conflict,
  notFound: FAILURE_TYPES.notFound,
};

/** Writes a timeline entry: its English sentence and its message code. */
function recordLine(context: MigrationContext, kind: string, text: Message): void {
  context.run.record(kind, renderMessage(text.code, text.params as never, 'en'), undefined, text);
}

/**
 * Brings the register up to date with what the plan, its assessment and the derogations give
 * rise to now; the timeline says which risks opened and which closed. Callers then call
 * `context.changed()`, so that a wave held by a risk that closed looks again.
 */
export function refreshRiskRegister(context: MigrationContext): void {
  const { status } = context;
  if (!context.riskRegister || status.report === undefined || status.assessment === undefined) return;
  const current = deriveRisks({ plan: status.plan, report: status.report, assessment: status.assessment, derogations: status.derogations ?? [] });
  const update = updateRiskRegister(status.risks, current, nowIso());
  status.risks = update.register;
  if (update.openedIds.length > 0) {
    const opened = listedIds(update.openedIds);
    recordLine(context, 'RISKS_OPENED', message('RISKS_OPENED', { riskIds: opened.ids, riskCount: opened.count }));
  }
  if (update.closedIds.length > 0) {
    const closed = listedIds(update.closedIds);
    recordLine(context, 'RISKS_CLOSED', message('RISKS_CLOSED', { riskIds: closed.ids, riskCount: closed.count }));
  }
}

/**
 * Approving `homologation` accepts every risk open at that moment, whoever owns it, and the
 * decision records their ids (docs/rules.md); the handler of the decision calls it.
 */
export function acceptRisksOnHomologation(context: MigrationContext, decision: { by: string; at: string; acceptedRiskIds?: string[] }): void {
  const { status } = context;
  if (!context.riskRegister || status.risks === undefined) return;
  const accepted = acceptOpenRisksOnHomologation(status.risks, { subject: decision.by }, decision.at);
  status.risks = accepted.register;
  decision.acceptedRiskIds = accepted.acceptedIds;
  const listed = listedIds(accepted.acceptedIds);
  recordLine(context, 'RISKS_ACCEPTED', message('RISKS_ACCEPTED', { actor: decision.by, riskIds: listed.ids, riskCount: listed.count, onHomologation: true }));
}

/** Checks an owner's acceptance: the run is open and keeps a register, the caller is an approver of its customer holding each risk's owner role. */
function validateAcceptance(context: MigrationContext, { riskIds, actor }: AcceptRisksInput): Extract<RiskAcceptanceResult, { ok: true }> {
  const { status } = context;
  context.refuseIfFinal();
  requirePermission(actor, 'risk.accept');
  if (actor.customerId !== status.customerId) refuse(FAILURE_TYPES.notFound, 'No such migration.');
  if (!Array.isArray(riskIds) || riskIds.some((riskId) => typeof riskId !== 'string')) refuse(FAILURE_TYPES.invalid, '`riskIds` must be a list of risk ids.');
  if (riskIds.length > ACCEPT_RISKS_LIMIT) refuse(FAILURE_TYPES.invalid, `Accept at most ${ACCEPT_RISKS_LIMIT} risks at once (${riskIds.length} named).`);
  if (!context.riskRegister) {
    refuse(FAILURE_TYPES.conflict, 'This run started before runs kept their residual-risk register: its risks are accepted with the homologation decision only.');
  }
  if (context.amending) refuse(FAILURE_TYPES.conflict, 'An amended plan is being classified; try again in a moment.');
  if (status.risks === undefined) refuse(FAILURE_TYPES.conflict, 'The run has not classified its plan yet: it has no residual risk to accept.');
  const result = acceptRisks(status.risks, riskIds, actor, { customerId: status.customerId, at: nowIso() });
  if (!result.ok) refuse(FAILURE_OF_KIND[result.refusal.kind], result.refusal.message);
  return result;
}

/** The Update by which an owner accepts open risks. */
export function registerRiskHandlers(context: MigrationContext): void {
  setHandler(
    acceptRisksUpdate,
    (input: AcceptRisksInput): ResidualRisk[] => {
      const { register, acceptedIds } = validateAcceptance(context, input);
      context.status.risks = register;
      context.run.audit(input.actor, 'ACCEPT_RISKS', `risks ${acceptedIds.join(', ')}`, input.comment);
      const listed = listedIds(acceptedIds);
      recordLine(context, 'RISKS_ACCEPTED', message('RISKS_ACCEPTED', { actor: input.actor.subject, riskIds: listed.ids, riskCount: listed.count, onHomologation: false }));
      context.changed();
      const accepted = new Set(acceptedIds);
      return register.risks.filter((risk) => accepted.has(risk.id));
    },
    { validator: (input: AcceptRisksInput) => void validateAcceptance(context, input) },
  );
}

/**
 * docs/rules.md: the run does not start a cutover wave that holds an OPEN risk's workload. True
 * when none holds it; otherwise the wave waits in state WAITING, its `heldBy` naming the risks
 * (the timeline says so once), and the run is WAITING (on people) until their owners accept
 * them or their cause disappears.
 */
export function waveMayStart(context: MigrationContext, wave: WaveView): boolean {
  const register = context.status.risks;
  if (!context.riskRegister || register === undefined) return true;
  const check = mayStartWave(register, wave.workloadIds);
  if (check.mayStart) {
    if (wave.heldBy !== undefined) {
      delete wave.heldBy;
      wave.state = 'PENDING';
      context.refreshStatus();
    }
    return true;
  }
  if (wave.heldBy === undefined || wave.heldBy.riskIds.join() !== check.openRiskIds.join()) {
    const listed = listedIds(check.openRiskIds);
    const text = message('WAVE_HELD_BY_RISKS', { waveId: wave.id, riskIds: listed.ids, riskCount: listed.count });
    if (wave.heldBy === undefined) recordLine(context, 'WAVE_HELD_BY_RISKS', text);
    wave.heldBy = { reason: 'OPEN_RISKS', riskIds: check.openRiskIds, since: wave.heldBy?.since ?? nowIso(), text };
    wave.state = 'WAITING';
    context.refreshStatus();
  }
  return false;
}

/**
 * Waits, durably, until no OPEN risk holds the wave ({@link waveMayStart}): a condition on the
 * run's changes (an acceptance is one), whose history stays bounded (continuation.ts).
 */
export async function holdWaveWhileRisksOpen(context: MigrationContext, wave: WaveView): Promise<void> {
  while (!waveMayStart(context, wave)) {
    const seen = context.changes;
    await boundedWait(context, () => context.changes !== seen);
  }
}
