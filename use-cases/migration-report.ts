import { FINAL_STATUSES, type MigrationReport, type MigrationStatus, type StepState, STEP_STATES, stepsByWorkload, workloadOutcome, type WorkloadReport } from '../domain';

/** Builds a run's report from its status: pure, so the same status always gives the same report. */
export function buildMigrationReport(status: MigrationStatus): MigrationReport {
  const classificationById = new Map((status.report?.workloads ?? []).map((workload) => [workload.id, workload]));
  const stepsOf = stepsByWorkload(status.steps);
  const workloads = status.plan.workloads.map((workload): WorkloadReport => {
    const classification = classificationById.get(workload.id);
    const base = {
      id: workload.id,
      name: workload.name,
      level: classification?.level ?? null,
      hds: classification?.hds ?? null,
      rules: classification?.rules ?? [],
    };
    if (classification && !classification.migrates) return { ...base, outcome: 'LEFT_OUT', reason: classification.reason };
    return { ...base, ...workloadOutcome(status, stepsOf.get(workload.id) ?? []) };
  });
  const byState = Object.fromEntries(STEP_STATES.map((state) => [state, 0])) as Record<StepState, number>;
  for (const step of status.steps) byState[step.state] += 1;
  return {
    id: status.workflowId,
    ...(status.planId !== undefined ? { planId: status.planId } : {}),
    customer: { id: status.customerId, name: status.customerName },
    phase: status.phase,
    status: status.status,
    final: FINAL_STATUSES.includes(status.status),
    percentComplete: status.percentComplete,
    startedAt: status.startedAt,
    updatedAt: status.updatedAt,
    ...(status.endedAt !== undefined ? { endedAt: status.endedAt } : {}),
    startedBy: status.startedBy,
    assessment: status.assessment ?? null,
    classification: status.report ?? null,
    workloads,
    steps: {
      total: status.steps.length,
      byState,
      failed: status.steps.filter((step) => step.state === 'FAILED').map(({ id, title, error }) => ({ id, title, error })),
      skipped: status.steps
        .filter((step) => step.state === 'SKIPPED')
        .map(({ id, title, skippedReason }) => ({ id, title, skippedReason })),
    },
    waves: status.waves,
    resources: status.resources,
    outcome: status.outcome ?? null,
    attention: status.attention,
    gate: status.gate ?? null,
    approvals: status.approvals,
    audit: status.audit,
    ...(status.cleanup ? { cleanup: status.cleanup } : {}),
  };
}
