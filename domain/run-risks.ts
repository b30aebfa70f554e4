/**
 * The residual-risk register of a run as readers see it: the one the workflow keeps
 * ({@link registerOfRun}) or, for runs started before it kept one, derived from what their
 * status holds (docs/rules.md, "Residual risks"): the risks that its plan, classification and
 * assessment give rise to (domain/risks.ts), opened when the current classification round asked
 * for its approvals, and accepted by the homologation decision when that decision approved the
 * round. Pure, so that `GET /v1/migrations/{id}/risks`, the CLI and the homologation file agree.
 */
import { z } from 'zod';
import type { MigrationStatus } from './run-status';
import { acceptOpenRisksOnHomologation, deriveRisks, type ResidualRisk, type RiskRegister, updateRiskRegister } from './risks';

/** What of a run's status its register is derived from. */
export type RiskRegisterSources = Pick<MigrationStatus, 'plan' | 'report' | 'assessment' | 'approvals' | 'round' | 'startedAt'>;

/** A run's register, with the homologation decision that accepted its risks, if any. */
export interface RunRiskRegister extends RiskRegister {
  /** False until the run has classified and assessed its plan: no register can be derived before. */
  derived: boolean;
  /** The approval that accepted the risks open at its decision (docs/rules.md), once approved. */
  acceptedOnHomologation?: { by: string; at: string; riskIds: string[] };
}

/** Derives the register of a run that keeps none from its status; empty (and `derived: false`) before classification. */
export function runRiskRegister(status: RiskRegisterSources): RunRiskRegister {
  if (status.report === undefined || status.assessment === undefined) return { derived: false, risks: [] };
  const roundApprovals = status.approvals.filter((approval) => approval.round === status.round);
  const openedAt = roundApprovals[0]?.requestedAt ?? status.startedAt;
  const { register } = updateRiskRegister(undefined, deriveRisks({ plan: status.plan, report: status.report, assessment: status.assessment }), openedAt);
  const homologation = roundApprovals.find((approval) => approval.id === 'homologation');
  const decision = homologation?.state === 'APPROVED' ? homologation.decision : undefined;
  if (decision === undefined) return { derived: true, ...register };
  const accepted = acceptOpenRisksOnHomologation(register, { subject: decision.by }, decision.at);
  return { derived: true, ...accepted.register, acceptedOnHomologation: { by: decision.by, at: decision.at, riskIds: accepted.acceptedIds } };
}

/** What of a run's status its register is read from: the register the run keeps, when it keeps one. */
export type KeptRiskRegisterSources = RiskRegisterSources & Pick<MigrationStatus, 'risks'>;

/**
 * The run's register as `GET /v1/migrations/{id}/risks`, the CLI and the homologation file read
 * it: the register the workflow keeps (`status.risks`, derived and updated as the plan, the
 * provider and the decisions change), with the homologation decision that accepted the risks
 * open at that moment; runs started before the workflow kept one get it derived from their
 * status ({@link runRiskRegister}).
 */
export function registerOfRun(status: KeptRiskRegisterSources): RunRiskRegister {
  if (status.risks === undefined) return runRiskRegister(status);
  const homologation = status.approvals.find((approval) => approval.round === status.round && approval.id === 'homologation' && approval.state === 'APPROVED');
  const decision = homologation?.decision;
  const accepted = decision?.acceptedRiskIds === undefined ? {} : { acceptedOnHomologation: { by: decision.by, at: decision.at, riskIds: decision.acceptedRiskIds } };
  return { derived: true, risks: status.risks.risks, ...accepted };
}

/** One risk of the register as the API answers it, described in the OpenAPI document only. */
export const ResidualRiskSchema = z.lazy(() =>
  z.custom<ResidualRisk>().meta({
    description: 'One residual risk: id, code, source, workloads, description (message code), owner role, state (OPEN, ACCEPTED, CLOSED) and acceptance with actor and date.',
  }),
);

/** The register as the API serves it, described in the OpenAPI document only. */
export const RunRiskRegisterSchema = z.lazy(() =>
  z.custom<RunRiskRegister>().meta({
    description:
      'The residual-risk register of docs/rules.md that the run keeps: each risk with id, source, workloads, description (message code), owner role, state and acceptance; `acceptedOnHomologation` once the homologation decision accepted the open risks.',
  }),
);
