/** What the command line prints for people: each answer of the API as tables and bars. */
import {
  type ApproverRole,
  approvalName,
  approverRoleLabel,
  auditActionLabel,
  cleanupKindLabel,
  CUSTOMER_TYPES,
  type CustomerType,
  customerTypeLabel,
  derogationStateLabel,
  riskStateLabel,
  type StepState,
  workloadKindLabel,
  workloadOutcomeLabel,
  auditCommentLabel,
  auditTargetLabel,
  formatHumanDuration,
  hostingLevelLabel,
  renderMessage,
  type ApprovalView,
  type AttentionView,
  type AuditEntry,
  type CleanupView,
  type Derogation,
  isFinalStatus,
  type Language,
  type MigrationOverview,
  renderRunText,
  renderStoredMessage,
  type RunCollection,
  type RunPage,
  type RehearsalView,
  type ResidualRisk,
  type RunRiskRegister,
  type RunStatus,
  type StepView,
  type TimelineEntry,
  type WaveOverview,
  type WaveWindowView,
  type WorkloadView,
} from '../domain';
import { ApiError, type MigrationListResponse, type PlanDryRun, type RunCollectionItems, type StartMigrationResponse } from '../client/api-client';
import { phaseProgress, waveProgress } from '../client/run-progress';
import { type Column, displayWidth, progressBar, renderTable, type Style } from './render';
import { cliWords } from './words';

/** A timestamp to the second, in UTC, or a dash. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** A run status coloured by what it asks of people. */
export function colourStatus(status: RunStatus | null, style: Style, language: Language = 'en'): string {
  if (status === null) return '-';
  const label = cliWords(language).status(status);
  if (status === 'COMPLETED') return style.green(label);
  if (status === 'NEEDS_ATTENTION' || status === 'FAILED' || status === 'REJECTED') return style.red(label);
  if (status === 'PAUSED' || status === 'CANCELLED' || status === 'WAITING') return style.yellow(label);
  return style.cyan(label);
}

const APPROVAL_STATE_FR: Record<string, string> = { PENDING: 'en attente', APPROVED: 'approuvée', REJECTED: 'rejetée', CHANGES_REQUESTED: 'modifications demandées', SUPERSEDED: 'remplacée' };

/** The dry run of a plan: one row per workload with its level and rules, then approvals and needs, in `language`. */
export function formatValidation(dryRun: PlanDryRun, plan: unknown, style: Style, language: Language = 'en'): string {
  const words = cliWords(language);
  const { headers } = words;
  const english = language === 'en';
  const { report, assessment } = dryRun;
  const source = plan as { planId?: string; customer?: { name?: string; type?: string }; workloads?: { id: string; name?: string }[] };
  const names = new Map((source.workloads ?? []).map((workload) => [workload.id, workload.name ?? '']));
  const transfers = new Map(assessment.workloads.map((workload) => [workload.id, workload]));
  const duration = (iso: string) => (english ? iso : formatHumanDuration(iso, language));
  const { summary } = report;
  const columns: Column<(typeof report.workloads)[number]>[] = [
    { header: headers.workload, value: (workload) => workload.id },
    { header: headers.name, value: (workload) => names.get(workload.id) ?? '', maxWidth: 32 },
    { header: headers.kind, value: (workload) => (english ? workload.kind : workloadKindLabel(workload.kind, language)) },
    { header: headers.level, value: (workload) => (english ? workload.level : hostingLevelLabel(workload.level, language)) },
    { header: headers.hds, value: (workload) => (workload.hds ? words.yes : words.no) },
    { header: headers.rules, value: (workload) => workload.rules.join(' ') },
    { header: headers.transfer, value: (workload) => (workload.migrates ? duration(transfers.get(workload.id)?.transferDuration ?? '') : '-') },
    {
      header: headers.note,
      value: (workload) => {
        const reason = english || workload.reasonMessage === undefined ? workload.reason : renderStoredMessage(workload.reasonMessage, language);
        return reason ?? (workload.inheritedFrom.length > 0 ? words.inheritedFrom(workload.inheritedFrom.join(', ')) : '');
      },
      maxWidth: 48,
    },
  ];
  const customerType = source.customer?.type ?? '';
  const lines = [
    style.bold(words.planHead(source.planId, source.customer?.name ?? '', english || !(CUSTOMER_TYPES as readonly string[]).includes(customerType) ? customerType : customerTypeLabel(customerType as CustomerType, language))),
    words.planSummary(summary.total, summary.migrating, summary.notEligible, summary.hds),
    '',
    renderTable(columns, report.workloads),
    '',
    renderTable<(typeof report.approvals)[number]>(
      [
        { header: headers.approval, value: (approval) => (english ? approval.id : approvalName(approval.id, language)) },
        { header: headers.role, value: (approval) => (english ? approval.role : approverRoleLabel(approval.role, language)) },
        { header: headers.why, value: (approval) => (english ? approval.rules : approval.reasons.map((reason) => renderStoredMessage(reason, language))).join('; '), maxWidth: 60 },
      ],
      report.approvals,
    ),
    '',
    words.landingZones(report.landingZones.map((zone) => `${zone.id} (${zone.workloadIds.length})`).join(', '), Boolean(report.m365Tenant)),
  ];
  const needs = report.qualificationNeeds;
  if (needs.secnumcloud) lines.push(words.needsSecnumcloud(needs.secnumcloudNeededBy.join(', ')));
  if (needs.hds) lines.push(words.needsHds(needs.hdsNeededBy.join(', ')));
  lines.push(words.transfer(assessment.totals.sizeGb, duration(assessment.totals.transferDuration), assessment.bandwidthMbps));
  for (const warning of report.warnings) lines.push(style.yellow(words.warning(english ? warning.message : renderStoredMessage(warning.description, language))));
  return lines.join('\n');
}

/** The answer of a start, and what to type next. */
export function formatStarted(started: StartMigrationResponse, style: Style): string {
  return [
    `${started.created ? 'Started' : 'Already started'}: ${style.bold(started.id)}`,
    `Follow it: passerelle watch ${started.id}`,
  ].join('\n');
}

/** One page of runs as a table, and how to get the next one, in `language`. */
export function formatList(page: MigrationListResponse, style: Style, language: Language = 'en'): string {
  const words = cliWords(language);
  const { headers } = words;
  if (page.items.length === 0) return words.noMigration;
  const table = renderTable<(typeof page.items)[number]>(
    [
      { header: headers.id, value: (item) => item.id },
      { header: headers.customer, value: (item) => item.customerId ?? '-' },
      { header: headers.phase, value: (item) => (item.phase ? words.phaseCode(item.phase) : '-') },
      { header: headers.status, value: (item) => colourStatus(item.status, style, language) },
      { header: headers.attention, value: (item) => (item.needsAttention ? style.red(words.yes) : '') },
      { header: headers.started, value: (item) => formatTime(item.startedAt) },
      { header: headers.ended, value: (item) => formatTime(item.closedAt) },
    ],
    page.items,
  );
  return page.nextCursor ? `${table}\n\n${words.more(page.nextCursor)}` : table;
}

function cut(line: string, width: number | undefined): string {
  if (!width || displayWidth(line) <= width) return line;
  return `${[...line].slice(0, Math.max(0, width - 1)).join('')}…`;
}

/**
 * The live view of `watch` and the head of `status`: the run's phase and status, a bar per
 * phase and per wave, and what waits for people. Lines are cut to `width` so that a redraw
 * can erase exactly what it wrote.
 */
export function formatProgress(status: MigrationOverview, style: Style, width?: number, language: Language = 'en'): string[] {
  const words = cliWords(language);
  const phases = phaseProgress(status).filter((phase) => phase.id !== 'DONE');
  const labelWidth = Math.max(...phases.map((phase) => words.phase(phase.id).length)) + 2;
  const bar = (label: string, percent: number, extra: string, failed: boolean) => {
    const drawn = progressBar(percent, 20);
    return `  ${label.padEnd(labelWidth)}${failed ? style.red(drawn) : percent >= 100 ? style.green(drawn) : drawn} ${String(Math.round(percent)).padStart(3)} %${extra ? `  ${extra}` : ''}`;
  };
  const lines = [
    `${style.bold(status.workflowId)}  ${status.customerName}`,
    `${words.phaseCode(status.phase)}  ${colourStatus(status.status, style, language)}  ${status.percentComplete} %  ${style.dim(words.updated(formatTime(status.updatedAt)))}`,
  ];
  for (const phase of phases) {
    const count = phase.total > 0 ? `${phase.settled}/${phase.total}` : '';
    lines.push(bar(words.phase(phase.id), phase.percent, count, phase.failed));
  }
  if (status.waves.total > 0) {
    const done = status.waves.byState.SUCCEEDED + status.waves.byState.SKIPPED;
    lines.push(`  ${words.waves.padEnd(labelWidth)}${words.wavesDone(done, status.waves.total, status.waves.active.length)}`);
  }
  for (const wave of waveProgress(status.waves.active)) {
    lines.push(bar(`  ${words.wave(wave.index)}`, wave.percent, `${wave.settled}/${wave.total}  ${words.state(wave.state)}`, wave.failed));
    const window = wave.state === 'RUNNING' ? describeWaveWindow(wave.window, language) : undefined;
    if (window) lines.push(style.yellow(`    ${window}`));
    if (wave.rehearsal) {
      const line = `    ${describeWaveRehearsal(status.workflowId, wave.id, wave.rehearsal, language)}`;
      lines.push(wave.rehearsal.state === 'FAILED' ? style.red(line) : wave.rehearsal.state === 'AWAITING_DECISION' ? style.yellow(line) : line);
    }
  }
  // With the gate per zone (R9), zones may wait while others are provisioned and cut over.
  const waitingZones = (status.gate?.zones ?? []).filter((zone) => zone.state === 'WAITING');
  const zonesWait = waitingZones.length > 0 && !isFinalStatus(status.status);
  if (status.gate && (status.phase === 'AWAITING_QUALIFICATION' || zonesWait)) {
    // Runs started before message codes wrote the provider's lines in English only.
    const waitingFor = status.gate.waitingForText?.map((line) => renderStoredMessage(line, language)) ?? status.gate.waitingFor;
    lines.push(style.yellow(`  ${words.waitingForProvider(waitingFor.join('; '))}`));
    const milestone = status.gate.credentials?.secnumcloud ?? '?';
    for (const zone of waitingZones) {
      const waits = language === 'en' ? `zone ${zone.zoneId} waits for ${zone.waitingFor.join(', ')}` : renderMessage('GATE_ZONE_WAITS', { zoneId: zone.zoneId, needs: zone.waitingFor, milestone }, language);
      lines.push(style.yellow(`    ${waits}; ${words.zoneHeld(zone.heldWorkloads, zone.workloads)}`));
    }
  }
  for (const item of status.attention) {
    lines.push(style.red(`  ! ${item.stepId}: ${renderRunText(item, language)}`));
  }
  if (status.attentionTotal > status.attention.length) {
    lines.push(style.red(`  ! ${words.moreAttention(status.attentionTotal - status.attention.length, status.workflowId)}`));
  }
  const pending = status.approvals.filter((approval) => approval.round === status.round && approval.state === 'PENDING');
  const named = (approval: ApprovalView) => (language === 'en' ? `${approval.id} (${approval.role})` : `${approvalName(approval.id, language)} (${approverRoleLabel(approval.role as ApproverRole, language)})`);
  if (pending.length > 0) lines.push(style.yellow(`  ${words.waitingForApprovals(pending.map(named).join(', '))}`));
  return lines.map((line) => cut(line, width));
}

/**
 * What a wave's rehearsal says under its bar: its attempt and state, how many smoke tests passed,
 * and while it awaits the decision, whose it is, until when, and the command that gives it.
 */
export function describeWaveRehearsal(runId: string, waveId: string, rehearsal: RehearsalView, language: Language = 'en'): string {
  const words = cliWords(language);
  const tested = rehearsal.launches.filter((launch) => launch.smokeTest !== undefined);
  const passed = tested.filter((launch) => launch.smokeTest!.outcome === 'PASSED').length;
  const smoke = tested.length > 0 ? words.smokeTests(passed, rehearsal.launches.length) : '';
  const awaiting = rehearsal.state === 'AWAITING_DECISION';
  const due = awaiting && rehearsal.deadline ? words.rehearsalDue(formatTime(rehearsal.deadline), rehearsal.role) : '';
  const command = awaiting ? words.rehearsalCommand(runId, waveId) : '';
  return `${words.rehearsal(rehearsal.attempt, rehearsal.state)}${due}${smoke}${command}`;
}

/** What a running wave's cutover window says: when the next one opens, or until when the wave may switch. */
export function describeWaveWindow(window: WaveWindowView | undefined, language: Language = 'en'): string | undefined {
  if (!window) return undefined;
  const words = cliWords(language);
  const exceptional = window.exceptional === true;
  const zone = window.timeZone ? ` (${window.timeZone})` : '';
  const duration = language === 'en' ? window.switchoverDuration : formatHumanDuration(window.switchoverDuration, language);
  switch (window.state) {
    case 'WAITING_FOR_WINDOW':
      return words.windowWaiting(exceptional, formatTime(window.opensAt), formatTime(window.closesAt), zone, duration);
    case 'IN_WINDOW':
      return words.windowIn(exceptional, formatTime(window.closesAt), zone);
    case 'NO_WINDOW_LEFT':
      return words.windowNone(duration);
  }
}

/** One line per change for logs and pipes, where redrawing in place is not possible. */
export function formatProgressLine(status: MigrationOverview): string {
  const attention = status.attention.length > 0 ? ` needs attention: ${status.attention.map((item) => item.stepId).join(', ')}` : '';
  return `${formatTime(status.updatedAt)} ${status.phase} ${status.status} ${status.percentComplete}%${attention}`;
}

function approvalsTable(approvals: readonly ApprovalView[], language: Language): string {
  const { headers } = cliWords(language);
  const english = language === 'en';
  return renderTable<ApprovalView>(
    [
      { header: headers.approval, value: (approval) => (english ? approval.id : approvalName(approval.id, language)) },
      { header: headers.role, value: (approval) => (english ? approval.role : approverRoleLabel(approval.role as ApproverRole, language)) },
      { header: headers.round, value: (approval) => String(approval.round), align: 'right' },
      { header: headers.state, value: (approval) => (english ? approval.state : (APPROVAL_STATE_FR[approval.state] ?? approval.state)) },
      { header: headers.due, value: (approval) => formatTime(approval.dueAt) },
      { header: headers.decidedBy, value: (approval) => approval.decision?.by ?? '' },
      { header: headers.comment, value: (approval) => approval.decision?.comment ?? '', maxWidth: 40 },
    ],
    approvals,
  );
}

/** A run's status: progress, approvals, what failed, and the latest timeline entries. */
export function formatStatus(status: MigrationOverview, style: Style, width?: number, language: Language = 'en'): string {
  const words = cliWords(language);
  const lines = formatProgress(status, style, width, language);
  lines.push('', words.started(formatTime(status.startedAt), status.startedBy, status.endedAt ? formatTime(status.endedAt) : undefined));
  if (status.outcome?.reason || status.outcome?.text) lines.push(words.outcome(renderRunText(status.outcome, language)));
  if (status.approvals.length > 0) lines.push('', approvalsTable(status.approvals, language));
  const failed = status.attention.filter((item) => item.reason === 'STEP_FAILED');
  if (failed.length > 0) {
    lines.push(
      '',
      renderTable<AttentionView>(
        [
          { header: words.headers.failedStep, value: (item) => item.stepId },
          { header: words.headers.error, value: (item) => renderRunText(item, language), maxWidth: 70 },
          { header: words.headers.since, value: (item) => formatTime(item.since) },
        ],
        failed,
      ),
      words.retryHint(status.workflowId),
    );
  }
  if ((status.derogations ?? []).length > 0) lines.push('', derogationsTable(status.derogations ?? [], language));
  if (status.cleanup) lines.push('', formatCleanup(status.cleanup, language));
  const recent = status.timeline.slice(-5);
  if (recent.length > 0) lines.push('', words.latest, ...recent.map((entry) => `  ${formatTime(entry.at)}  ${renderRunText(entry, language)}`));
  return lines.join('\n');
}

/** The head of a run's report: where it stands, and its steps by state, in `language`. */
export function formatReportHead(overview: MigrationOverview, style: Style, language: Language = 'en'): string {
  const words = cliWords(language);
  const final = overview.endedAt !== undefined;
  const counts = Object.entries(overview.steps.byState)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${words.state(state as StepState)}`)
    .join(', ');
  return [
    `${style.bold(overview.workflowId)}  ${overview.customerName}  ${colourStatus(overview.status, style, language)}  ${overview.percentComplete} %${final ? words.final : ''}`,
    words.workloadsLine(overview.workloads.total, overview.workloads.migrating, overview.workloads.notEligible),
    words.stepsLine(overview.steps.total, counts),
  ].join('\n');
}

function derogationsTable(derogations: readonly Derogation[], language: Language): string {
  const { headers } = cliWords(language);
  return renderTable<Derogation>(
    [
      { header: headers.derogation, value: (derogation) => derogation.id },
      { header: headers.zone, value: (derogation) => derogation.zoneId },
      { header: headers.state, value: (derogation) => derogationState(derogation, language) },
      { header: headers.grantedBy, value: (derogation) => derogation.grantedBy ?? '' },
      { header: headers.expires, value: (derogation) => formatTime(derogation.expiresAt) },
      { header: headers.renewals, value: (derogation) => String(derogation.renewals), align: 'right' },
      { header: headers.measures, value: (derogation) => derogation.compensatingMeasures.join('; '), maxWidth: 50 },
    ],
    derogations,
  );
}

function derogationState(derogation: Derogation, language: Language): string {
  return language === 'en' ? derogation.state : derogationStateLabel(derogation.state, language);
}

/** What a derogation decision answered, in `language`. */
export function formatDerogation(derogation: Derogation, language: Language = 'en'): string {
  return cliWords(language).derogation(
    derogation.id,
    derogation.workloadIds.join(', '),
    derogationState(derogation, language),
    derogation.expiresAt ? formatTime(derogation.expiresAt) : undefined,
    derogation.renewals > 0,
  );
}

/** A run's derogations, as status shows them, in `language`. */
export function formatDerogations(status: MigrationOverview, language: Language = 'en'): string {
  const derogations = status.derogations ?? [];
  return derogations.length === 0 ? cliWords(language).noDerogation(status.workflowId) : derogationsTable(derogations, language);
}

/** A run's residual-risk register (docs/rules.md, "Residual risks"), in the reader's language. */
export function formatRisks(register: RunRiskRegister, language: Language): string {
  const words = cliWords(language);
  const { headers } = words;
  const english = language === 'en';
  if (!register.derived) return words.notDerived;
  if (register.risks.length === 0) return words.noRisk;
  const table = renderTable<RunRiskRegister['risks'][number]>(
    [
      { header: headers.risk, value: (risk) => risk.id },
      { header: headers.owner, value: (risk) => (english ? risk.ownerRole : approverRoleLabel(risk.ownerRole, language)) },
      { header: headers.state, value: (risk) => (english ? risk.state : riskStateLabel(risk.state, language)) },
      { header: headers.acceptedBy, value: (risk) => (risk.acceptance ? `${risk.acceptance.by} ${formatTime(risk.acceptance.at)}` : '') },
      { header: headers.description, value: (risk) => renderStoredMessage(risk.description, language), maxWidth: 80 },
    ],
    register.risks,
  );
  const accepted = register.acceptedOnHomologation;
  return accepted ? `${table}\n\n${words.acceptedOnHomologation(accepted.by, formatTime(accepted.at), accepted.riskIds.join(', '))}` : table;
}

/** A risk its owner just accepted: who, when, and what it is, in the reader's language. */
export function formatAcceptedRisk(risk: ResidualRisk, language: Language): string {
  const english = language === 'en';
  return cliWords(language).acceptedRisk(
    risk.id,
    english ? risk.ownerRole : approverRoleLabel(risk.ownerRole, language),
    english ? risk.state : riskStateLabel(risk.state, language),
    risk.acceptance?.by,
    risk.acceptance ? formatTime(risk.acceptance.at) : undefined,
    renderStoredMessage(risk.description, language),
  );
}

/** A wave's rehearsal: its state, each test launch with its smoke test, and the customer's decision. */
export function formatRehearsal(waveId: string, rehearsal: RehearsalView): string {
  const decided = rehearsal.decision ? `, ${rehearsal.decision.decision} by ${rehearsal.decision.by}${rehearsal.decision.comment ? ` (${rehearsal.decision.comment})` : ''}` : '';
  const head = `Rehearsal ${rehearsal.approvalId} of ${waveId}, attempt ${rehearsal.attempt}: ${rehearsal.state}${decided}.`;
  const launches = rehearsal.launches.map((launch) => {
    const smoke = launch.smokeTest ? `smoke test ${launch.smokeTest.outcome}${launch.smokeTest.outcome === 'FAILED' ? ` (${launch.smokeTest.checks.filter((check) => check.outcome === 'FAILED').map((check) => check.name).join(', ')})` : ''}` : 'not smoke-tested';
    return `  ${launch.workloadId}: ${launch.launchId ?? 'no launch'}${launch.network ? ` in ${launch.network}` : ''}, ${smoke}${launch.tornDown ? ', torn down' : ''}`;
  });
  return [head, ...launches].join('\n');
}

/** A clean-up of a run that Temporal closed: who asked, its state, and each undo, in `language`. */
export function formatCleanup(cleanup: CleanupView, language: Language = 'en'): string {
  const words = cliWords(language);
  const english = language === 'en';
  const head = words.cleanupHead(words.state(cleanup.state), cleanup.requestedBy, formatTime(cleanup.requestedAt), cleanup.endedAt ? formatTime(cleanup.endedAt) : undefined, cleanup.reason);
  if (cleanup.actions.length === 0) return `${head} ${words.nothingToUndo}`;
  return [
    head,
    renderTable<CleanupView['actions'][number]>(
      [
        { header: words.headers.undo, value: (action) => (english ? action.kind : cleanupKindLabel(action.kind, language)) },
        { header: words.headers.step, value: (action) => action.stepId },
        { header: words.headers.state, value: (action) => words.state(action.state) },
        { header: words.headers.detail, value: (action) => action.detail ?? '', maxWidth: 60 },
      ],
      cleanup.actions,
    ),
  ].join('\n');
}

/** The columns of one page of each collection, what the run wrote in `language`. */
function pageColumns(language: Language): { [Collection in RunCollection]: Column<RunCollectionItems[Collection]>[] } {
  const { headers, yes, no, state } = cliWords(language);
  const english = language === 'en';
  return {
    workloads: [
      { header: headers.workload, value: (workload: WorkloadView) => workload.id },
      { header: headers.name, value: (workload) => workload.name, maxWidth: 32 },
      { header: headers.level, value: (workload) => (workload.level === null ? '-' : english ? workload.level : hostingLevelLabel(workload.level, language)) },
      { header: headers.hds, value: (workload) => (workload.hds === null ? '-' : workload.hds ? yes : no) },
      { header: headers.zone, value: (workload) => workload.zone ?? '-' },
      { header: headers.waveId, value: (workload) => workload.waveId ?? '-' },
      { header: headers.outcome, value: (workload) => (english ? workload.outcome : workloadOutcomeLabel(workload.outcome, language)) },
      { header: headers.reason, value: (workload) => renderRunText(workload, language), maxWidth: 50 },
    ],
    steps: [
      { header: headers.step, value: (step: StepView) => step.id },
      { header: headers.state, value: (step) => state(step.state) },
      { header: headers.started, value: (step) => formatTime(step.startedAt) },
      { header: headers.ended, value: (step) => formatTime(step.endedAt) },
      { header: headers.note, value: (step) => step.error?.message ?? (step.note ? renderStoredMessage(step.note, language) : (step.skippedReason ?? '')), maxWidth: 60 },
    ],
    waves: [
      { header: headers.waveId, value: (wave: WaveOverview) => wave.id },
      { header: headers.state, value: (wave) => state(wave.state) },
      { header: headers.workloads, value: (wave) => String(wave.workloadIds.length), align: 'right' },
      { header: headers.steps, value: (wave) => `${wave.byState.SUCCEEDED + wave.byState.SKIPPED}/${wave.total}`, align: 'right' },
      { header: '%', value: (wave) => String(wave.percent), align: 'right' },
    ],
    timeline: [
      { header: headers.at, value: (entry: TimelineEntry) => formatTime(entry.at) },
      { header: headers.kind, value: (entry) => entry.kind },
      { header: headers.message, value: (entry) => renderRunText(entry, language), maxWidth: 80 },
    ],
    audit: [
      { header: headers.at, value: (entry: AuditEntry) => formatTime(entry.at) },
      { header: headers.actor, value: (entry) => entry.actor },
      { header: headers.action, value: (entry) => (english ? entry.action : auditActionLabel(entry.action, language)) },
      { header: headers.target, value: (entry) => (entry.target === undefined ? '' : english ? entry.target : auditTargetLabel(entry.target, language)) },
      { header: headers.comment, value: (entry) => (entry.comment === undefined ? '' : english ? entry.comment : auditCommentLabel(entry.action, entry.comment, language)), maxWidth: 50 },
    ],
  };
}

/** Rows of one page of a run's collection, with or without the header line. */
export function formatPageRows<Collection extends RunCollection>(
  collection: Collection,
  page: RunPage<RunCollectionItems[Collection]>,
  withHeader = true,
  language: Language = 'en',
): string {
  const table = renderTable(pageColumns(language)[collection] as Column<RunCollectionItems[Collection]>[], page.items);
  return withHeader ? table : table.split('\n').slice(1).join('\n');
}

/** One page of a run's collection as a table, and how to get the next one. */
export function formatPage<Collection extends RunCollection>(collection: Collection, page: RunPage<RunCollectionItems[Collection]>, language: Language = 'en'): string {
  if (page.items.length === 0) {
    if (language === 'fr') return 'Aucun élément ne correspond.';
    return `No ${collection === 'audit' ? 'audit entry' : collection === 'timeline' ? 'timeline entry' : collection.slice(0, -1)} matches.`;
  }
  const table = formatPageRows(collection, page, true, language);
  return page.nextCursor ? `${table}\n\n${cliWords(language).more(page.nextCursor)}` : table;
}

/** What an approval decision answered. */
export function formatApproval(approval: ApprovalView): string {
  return `Approval ${approval.id} (${approval.role}): ${approval.state}${approval.decision ? ` by ${approval.decision.by}` : ''}.`;
}

/** What a retry answered: the step as it stood when sent again, so its state is not news. */
export function formatRetry(step: StepView, runId: string): string {
  return `Step ${step.id} sent again; follow it with: passerelle watch ${runId}`;
}

/** What a skip answered. */
export function formatStep(step: StepView): string {
  return `Step ${step.id}: ${step.state}${step.skippedReason ? ` (${step.skippedReason})` : ''}.`;
}

/** An error for people: the problem's title and detail, then each refused field. */
export function formatError(error: unknown): string {
  if (error instanceof ApiError) {
    const head = `Error ${error.status} ${error.title}${error.detail ? `: ${error.detail}` : ''}`;
    return [head, ...error.errors.map((field) => `  ${field.path || '(body)'}: ${field.message}`)].join('\n');
  }
  return `Error: ${error instanceof Error ? error.message : String(error)}`;
}
