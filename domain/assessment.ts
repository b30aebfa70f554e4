/**
 * The assessment phase: transfer sizing from the plan's bandwidth and readiness per workload.
 *
 * Sizes are decimal: 1 GB = 10^9 bytes = 8 × 1000 megabits, and bandwidth is in megabits per
 * second, so a transfer takes `sizeGb × 8 × 1000 / bandwidthMbps` seconds at full line rate
 * (no protocol overhead, no compression). Pure and deterministic.
 */
import { classifyPlan, type ClassificationReport } from './classification';
import { formatDuration } from './duration';
import { message, type Message } from './messages';
import { compareIds, type Plan } from './plan';

/** Transfers longer than this at the plan's bandwidth get `TRANSFER_OVER_A_WEEK`. */
export const TRANSFER_WARNING_THRESHOLD_SECONDS = 7 * 24 * 60 * 60;

const MEGABITS_PER_DECIMAL_GIGABYTE = 8 * 1000;

/** Something that keeps a workload from migrating. */
export interface ReadinessBlocker {
  code: 'NOT_ELIGIBLE';
  message: string;
  /** `message` as a message code, rendered in the reader's language (domain/messages). */
  description: Message;
}

/** Something a consultant should look at before cutover; it does not stop the run. */
export type ReadinessWarning =
  | { code: 'HYBRID_DEPENDENCY'; dependsOn: string; message: string; description: Message }
  | { code: 'TRANSFER_OVER_A_WEEK'; message: string; description: Message };

/** The assessment of one workload. */
export interface WorkloadAssessment {
  id: string;
  migrates: boolean;
  sizeGb: number;
  /** Seconds to copy the workload at the plan's bandwidth; 0 when it does not migrate. */
  transferSeconds: number;
  /** `transferSeconds` as an ISO 8601 duration. */
  transferDuration: string;
  /** True when nothing blocks the workload. */
  ready: boolean;
  blockers: ReadinessBlocker[];
  warnings: ReadinessWarning[];
}

/** Totals over the migrating workloads (the others move nothing). */
export interface AssessmentTotals {
  workloads: number;
  migrating: number;
  blocked: number;
  withWarnings: number;
  sizeGb: number;
  /** Time to copy every migrating workload one after the other over the same link. */
  transferSeconds: number;
  transferDuration: string;
  longestTransferSeconds: number;
}

/** The assessment report of a plan. */
export interface AssessmentReport {
  bandwidthMbps: number;
  /** Sorted by id. */
  workloads: WorkloadAssessment[];
  totals: AssessmentTotals;
}

/** Seconds to copy `sizeGb` decimal gigabytes at `bandwidthMbps` megabits per second. */
export function transferSeconds(sizeGb: number, bandwidthMbps: number): number {
  return (sizeGb * MEGABITS_PER_DECIMAL_GIGABYTE) / bandwidthMbps;
}

/**
 * Assesses a validated plan: transfer time and readiness of every workload, and totals. Reuses
 * the classification report when the caller already has it.
 */
export function assessPlan(plan: Plan, report: ClassificationReport = classifyPlan(plan)): AssessmentReport {
  const bandwidthMbps = plan.settings.bandwidthMbps;
  const sizeById = new Map<string, number>();
  for (const workload of plan.workloads) if (!sizeById.has(workload.id)) sizeById.set(workload.id, workload.sizeGb);

  const hybridWarningsById = new Map<string, ReadinessWarning[]>();
  for (const warning of report.warnings) {
    const warnings = hybridWarningsById.get(warning.workloadId) ?? [];
    warnings.push({ code: 'HYBRID_DEPENDENCY', dependsOn: warning.dependsOn, message: warning.message, description: warning.description });
    hybridWarningsById.set(warning.workloadId, warnings);
  }

  const workloads = [...report.workloads]
    .sort((left, right) => compareIds(left.id, right.id))
    .map((classification): WorkloadAssessment => {
      const sizeGb = sizeById.get(classification.id) ?? 0;
      if (!classification.migrates) {
        return {
          id: classification.id,
          migrates: false,
          sizeGb,
          transferSeconds: 0,
          transferDuration: formatDuration(0),
          ready: false,
          blockers: [
            {
              code: 'NOT_ELIGIBLE',
              message: `stays out of the cloud: ${classification.reason ?? 'rule R1'}`,
              description: classification.reasonMessage ?? message('NOT_ELIGIBLE', { causes: ['CLASSIFIED'] }),
            },
          ],
          warnings: [],
        };
      }
      const seconds = transferSeconds(sizeGb, bandwidthMbps);
      const warnings = [...(hybridWarningsById.get(classification.id) ?? [])];
      if (seconds > TRANSFER_WARNING_THRESHOLD_SECONDS) {
        warnings.push({
          code: 'TRANSFER_OVER_A_WEEK',
          message: `copying ${sizeGb} GB at ${bandwidthMbps} Mbit/s takes ${formatDuration(seconds * 1000)}, more than a week: plan replication early or ship the data`,
          description: message('WARNING_TRANSFER_OVER_A_WEEK', { sizeGb, bandwidthMbps, duration: formatDuration(seconds * 1000) }),
        });
      }
      return {
        id: classification.id,
        migrates: true,
        sizeGb,
        transferSeconds: seconds,
        transferDuration: formatDuration(seconds * 1000),
        ready: true,
        blockers: [],
        warnings,
      };
    });

  const migrating = workloads.filter((workload) => workload.migrates);
  // Summed in id order: floating-point sums depend on order, and the report must not.
  const totalSeconds = migrating.reduce((sum, workload) => sum + workload.transferSeconds, 0);
  return {
    bandwidthMbps,
    workloads,
    totals: {
      workloads: workloads.length,
      migrating: migrating.length,
      blocked: workloads.filter((workload) => workload.blockers.length > 0).length,
      withWarnings: workloads.filter((workload) => workload.warnings.length > 0).length,
      sizeGb: migrating.reduce((sum, workload) => sum + workload.sizeGb, 0),
      transferSeconds: totalSeconds,
      transferDuration: formatDuration(totalSeconds * 1000),
      longestTransferSeconds: migrating.reduce((longest, workload) => Math.max(longest, workload.transferSeconds), 0),
    },
  };
}
