/**
 * The parts of a migration's page, each drawn from the run's overview, and its paged
 * collections read as they are shown (views/run-pages.ts). The view decides when to redraw
 * them; these functions only build elements.
 */
import type { RunCollectionItems, RunPageFilters } from '../../client/api-client';
import { phaseProgress, waveProgress } from '../../client/run-progress';
import { CUTOVER_STEPS, isFinalStatus, STEP_STATES } from '../../domain/run';
import { WORKLOAD_OUTCOMES } from '../../domain/run-report';
import type { ApprovalDecision, ApprovalView, AttentionView, AuditEntry, MigrationOverview, RunCollection, RunPage, StepView, TimelineEntry, WaveWindowView, WorkloadView } from '../../domain';
import {
  auditActionLabel,
  auditCommentLabel,
  auditTargetLabel,
  renderMessage,
  renderRunText,
  renderStepTitle,
  rehearsalStateLabel,
  renderStoredMessage,
  workloadKindLabel,
} from '../../domain/messages';
import { type Child, h, idFragment } from '../dom';
import { formatDateTime, language, t } from '../i18n';
import { hasRole, type Session } from '../session';
import { pagedTable } from './run-pages';
import { levelBadge, progressBar, statusBadge, stepStateBadge } from './widgets';

/** Reads one page of one of the run's collections. */
export type PageReader = <Collection extends RunCollection>(collection: Collection, filters: RunPageFilters) => Promise<RunPage<RunCollectionItems[Collection]>>;

/** How the paged sections read their pages and report a failed read. */
export interface PageAccess {
  read: PageReader;
  fail: (error: unknown) => void;
}

/** What the buttons of a section do; the view carries them out. */
export interface MigrationActions {
  decide(approval: ApprovalView, decision: ApprovalDecision, comment: string, feedback: HTMLElement): void;
  retry(stepId: string): void;
  skip(stepId: string, reason: string, feedback: HTMLElement): void;
  control(control: 'pause' | 'resume' | 'cancel'): void;
  /** Tells the runs at the regulatory gate to read the provider's qualification now. */
  checkQualification(): void;
  /** Opens an exceptional cutover window (ops) for a wave, until `closesAt`, saying why. */
  openCutoverWindow(waveId: string, closesAt: string, reason: string, feedback: HTMLElement): void;
}

/** Rows per page of the paged sections. */
const PAGE_SIZE = 100;

function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...children);
}

function table(caption: string | null, headers: readonly string[], rows: readonly HTMLTableRowElement[], id?: string): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll', role: 'region', tabindex: 0, 'aria-label': caption ?? headers.join(', '), ...(id ? { id } : {}) },
    h(
      'table',
      { class: 'table' },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
      h('tbody', {}, rows),
    ),
  );
}

/** The page's heading: customer, run id, status, overall progress and dates. */
export function renderSummary(status: MigrationOverview): Child {
  const messages = t();
  return [
    h(
      'div',
      { class: 'page-heading' },
      h('div', {}, h('h1', { id: 'page-title', tabindex: -1 }, status.customerName), h('p', { class: 'run-id' }, h('code', {}, status.workflowId))),
      h('div', { class: 'summary-status' }, statusBadge(status.status), h('span', { class: 'phase-name' }, messages.phases[status.phase])),
    ),
    h('p', { id: 'overall-label', class: 'bar-label' }, messages.overallProgress),
    progressBar(status.percentComplete, 'overall-label', { failed: status.status === 'NEEDS_ATTENTION' }),
    h(
      'p',
      { class: 'meta' },
      messages.startedBy(status.startedBy, formatDateTime(status.startedAt)),
      ' · ',
      status.endedAt ? messages.endedAt(formatDateTime(status.endedAt)) : messages.updatedAt(formatDateTime(status.updatedAt)),
    ),
    status.outcome?.reason || status.outcome?.text ? h('p', { class: 'message message--info', id: 'outcome' }, messages.outcome(renderRunText(status.outcome, language()))) : null,
    status.draftId
      ? h('p', { class: 'meta', id: 'run-draft' }, `${messages.fromDraft} `, h('a', { href: `#/drafts/${encodeURIComponent(status.draftId)}`, id: 'run-draft-link' }, status.draftId))
      : null,
  ];
}

/** The phases as a stepper: passed, current (aria-current) and upcoming. */
export function renderStepper(status: MigrationOverview): Child {
  const messages = t();
  const phases = phaseProgress(status);
  return h(
    'nav',
    { 'aria-label': messages.phasesTitle },
    h(
      'ol',
      { class: 'stepper' },
      phases.map((phase, index) =>
        h(
          'li',
          { class: `stepper__item stepper__item--${phase.position}`, ...(phase.position === 'current' ? { 'aria-current': 'step' } : {}) },
          h('span', { class: 'stepper__marker', 'aria-hidden': 'true' }, phase.position === 'done' ? '✓' : String(index + 1)),
          h('span', { class: 'stepper__label' }, messages.phases[phase.id]),
          h('span', { class: 'visually-hidden' }, ` (${messages.positions[phase.position]})`),
        ),
      ),
    ),
  );
}

/** Bars per phase (but DONE, which has no work of its own) and per cutover wave. */
export function renderProgress(status: MigrationOverview): Child {
  const messages = t();
  const phases = phaseProgress(status).filter((phase) => phase.id !== 'DONE');
  const waves = waveProgress(status.waves.active);
  return section(
    'progress',
    messages.progressTitle,
    h('h3', {}, messages.phaseProgressTitle),
    h(
      'ul',
      { class: 'bars' },
      phases.map((phase) => {
        const labelId = `phase-bar-${phase.id}`;
        const count =
          phase.total === 0
            ? ''
            : phase.id === 'AWAITING_APPROVAL'
              ? messages.approvalsProgress(phase.settled, phase.total)
              : messages.stepsCount(phase.settled, phase.total);
        return h(
          'li',
          { class: `bars__item bars__item--${phase.position}` },
          h('span', { id: labelId, class: 'bars__label' }, messages.phases[phase.id], count ? h('span', { class: 'bars__count' }, ` · ${count}`) : null),
          progressBar(phase.percent, labelId, { failed: phase.failed, valueText: count || messages.positions[phase.position] }),
        );
      }),
    ),
    status.waves.total > 0 ? h('h3', {}, messages.waveProgressTitle) : null,
    status.waves.total > 0 ? h('p', { id: 'waves-done' }, messages.wavesDone(status.waves.byState.SUCCEEDED + status.waves.byState.SKIPPED, status.waves.total)) : null,
    waves.length > 0
      ? h(
          'ul',
          { class: 'bars' },
          waves.map((wave) => {
            const labelId = `wave-bar-${idFragment(wave.id)}`;
            return h(
              'li',
              { class: 'bars__item' },
              h(
                'span',
                { id: labelId, class: 'bars__label' },
                messages.waveLabel(wave.index),
                h('span', { class: 'bars__count' }, ` · ${messages.stepsCount(wave.settled, wave.total)}`),
                ' ',
                stepStateBadge(wave.state),
              ),
              progressBar(wave.percent, labelId, { failed: wave.failed, valueText: messages.stepsCount(wave.settled, wave.total) }),
              h('p', { class: 'hint' }, messages.workloadsOfWave(wave.workloadIds.join(', '))),
              wave.state === 'RUNNING' && wave.window ? h('p', { class: 'wave-window', id: `wave-window-${idFragment(wave.id)}` }, describeWaveWindow(wave.window)) : null,
              wave.rehearsal
                ? h('p', { class: 'wave-rehearsal', id: `wave-rehearsal-${idFragment(wave.id)}` }, messages.waveRehearsal(rehearsalStateLabel(wave.rehearsal.state, language()), wave.rehearsal.attempt))
                : null,
            );
          }),
        )
      : null,
  );
}

/** What a running wave's cutover window says: when the next one opens, or until when it may switch. */
function describeWaveWindow(window: WaveWindowView): string {
  const messages = t();
  switch (window.state) {
    case 'WAITING_FOR_WINDOW':
      return messages.waveWindowWaiting(formatDateTime(window.opensAt), formatDateTime(window.closesAt), window.timeZone ?? '', window.switchoverDuration);
    case 'IN_WINDOW':
      return messages.waveWindowIn(formatDateTime(window.closesAt), window.exceptional === true);
    case 'NO_WINDOW_LEFT':
      return messages.waveWindowNone(window.switchoverDuration);
  }
}

/** Ops open an exceptional cutover window for the wave: until when (local time of the browser) and why. */
function openWindowForm(waveId: string, actions: MigrationActions, feedback: HTMLElement): HTMLElement {
  const messages = t();
  const key = idFragment(waveId);
  const until = h('input', { type: 'datetime-local', id: `window-until-${key}`, name: 'until', required: 'required' });
  const reason = h('input', { type: 'text', id: `window-reason-${key}`, name: 'reason', autocomplete: 'off', required: 'required' });
  return h(
    'form',
    {
      class: 'inline-form',
      id: `open-window-${key}`,
      'aria-label': messages.openWindowTitle,
      on: {
        submit: (event) => {
          event.preventDefault();
          const closesAt = new Date(until.value);
          if (until.value === '' || Number.isNaN(closesAt.getTime()) || reason.value.trim() === '') {
            feedback.textContent = messages.openWindowMissing;
            feedback.hidden = false;
            return;
          }
          actions.openCutoverWindow(waveId, closesAt.toISOString(), reason.value.trim(), feedback);
        },
      },
    },
    h('label', { for: until.id }, messages.openWindowUntil),
    until,
    h('label', { for: reason.id }, messages.openWindowReason),
    reason,
    h('button', { type: 'submit', class: 'button button--primary' }, messages.openWindow),
  );
}

function attentionItem(status: MigrationOverview, item: AttentionView, session: Session, actions: MigrationActions): HTMLElement {
  const messages = t();
  const key = idFragment(item.stepId);
  const feedback = h('p', { class: 'message message--error', role: 'alert', id: `attention-error-${key}` });
  feedback.hidden = true;
  const canOperate = hasRole(session, 'ops') && item.reason === 'STEP_FAILED' && !isFinalStatus(status.status);
  const reasonField = h('input', { type: 'text', id: `skip-reason-${key}`, name: 'reason', autocomplete: 'off' });
  return h(
    'li',
    { class: 'attention', id: `attention-${key}` },
    h('h3', {}, item.reason === 'APPROVAL_OVERDUE' ? messages.overdueApproval : titleOfStepId(item.stepId)),
    h('p', {}, renderRunText(item, language())),
    h('p', { class: 'meta' }, h('code', {}, item.stepId), ' · ', formatDateTime(item.since)),
    canOperate
      ? h(
          'div',
          { class: 'attention__actions' },
          h('button', { type: 'button', class: 'button button--primary', id: `retry-${key}`, on: { click: () => actions.retry(item.stepId) } }, messages.retry),
          h(
            'form',
            {
              class: 'inline-form',
              on: {
                submit: (event) => {
                  event.preventDefault();
                  actions.skip(item.stepId, reasonField.value.trim(), feedback);
                },
              },
            },
            h('label', { for: reasonField.id }, messages.skipReason),
            reasonField,
            h('button', { type: 'submit', class: 'button', id: `skip-${key}` }, messages.skip),
          ),
        )
      : item.reason === 'STEP_FAILED'
        ? h('p', { class: 'hint' }, messages.opsOnly)
        : null,
    item.reason === 'NO_CUTOVER_WINDOW' && hasRole(session, 'ops') && !isFinalStatus(status.status)
      ? openWindowForm(/^cutover\.(.+)\.window$/.exec(item.stepId)?.[1] ?? '', actions, feedback)
      : null,
    feedback,
  );
}

/** What waits for an operator, with retry and skip for those who hold the ops role. */
export function renderAttention(status: MigrationOverview, session: Session, actions: MigrationActions): Child {
  if (status.attention.length === 0) return null;
  const messages = t();
  return section(
    'attention',
    messages.attentionTitle,
    h('ul', { class: 'attention-list' }, status.attention.map((item) => attentionItem(status, item, session, actions))),
  );
}

/** The regulatory gate while the run waits at it; ops may have it check the provider again now. */
export function renderGate(status: MigrationOverview, session: Session, actions: MigrationActions): Child {
  const gate = status.gate;
  // With the gate per zone (R9), zones may wait while others are provisioned and cut over.
  const zonesWait = !isFinalStatus(status.status) && (gate?.zones ?? []).some((zone) => zone.state === 'WAITING');
  if (!gate || (status.phase !== 'AWAITING_QUALIFICATION' && !zonesWait)) return null;
  const messages = t();
  const milestone = gate.credentials?.secnumcloud ?? '?';
  return section(
    'gate',
    messages.gateTitle,
    h('p', {}, messages.gateWaitingFor),
    // Runs started before message codes wrote these lines in English only.
    h('ul', { id: 'gate-waiting-for' }, (gate.waitingForText?.map((item) => renderStoredMessage(item, language())) ?? gate.waitingFor).map((item) => h('li', {}, item))),
    gate.zones?.length
      ? [
          h('h3', {}, messages.gateZonesTitle),
          h(
            'ul',
            { id: 'gate-zones' },
            gate.zones.map((zone) =>
              h(
                'li',
                { 'data-zone': zone.zoneId, 'data-state': zone.state },
                zone.state === 'WAITING'
                  ? renderMessage('GATE_ZONE_WAITS', { zoneId: zone.zoneId, needs: zone.waitingFor, milestone }, language())
                  : renderMessage('GATE_ZONE_CLEARED', { zoneId: zone.zoneId, ...(zone.derogationId ? { derogationId: zone.derogationId } : {}) }, language()),
                h('span', { class: 'meta' }, ` (${messages.gateZoneProgress(zone.provisioned, zone.heldWorkloads, zone.workloads)})`),
              ),
            ),
          ),
        ]
      : null,
    gate.credentials ? h('p', {}, messages.gateCredentials(gate.credentials.secnumcloud, gate.credentials.hds)) : null,
    gate.lastCheckedAt ? h('p', { class: 'meta' }, messages.gateLastChecked(formatDateTime(gate.lastCheckedAt), gate.checks)) : null,
    hasRole(session, 'ops')
      ? [
          h('p', { class: 'hint', id: 'check-qualification-hint' }, messages.gateCheckHint),
          h(
            'button',
            { type: 'button', class: 'button', id: 'check-qualification', 'aria-describedby': 'check-qualification-hint', on: { click: () => actions.checkQualification() } },
            messages.gateCheckNow,
          ),
        ]
      : null,
  );
}

function canDecide(status: MigrationOverview, approval: ApprovalView, session: Session): boolean {
  return (
    !isFinalStatus(status.status) &&
    approval.state === 'PENDING' &&
    approval.round === status.round &&
    hasRole(session, 'customer') &&
    session.claims.customerId === status.customerId &&
    session.claims.approverRoles.includes(approval.role)
  );
}

function approvalItem(status: MigrationOverview, approval: ApprovalView, session: Session, actions: MigrationActions): HTMLElement {
  const messages = t();
  const key = idFragment(approval.id);
  const name = messages.approvalNames[approval.id] ?? approval.id;
  const roleName = messages.approverRoles[approval.role] ?? approval.role;
  const feedback = h('p', { class: 'message message--error', role: 'alert', id: `approval-error-${key}` });
  feedback.hidden = true;
  const comment = h('textarea', { id: `comment-${key}`, name: 'comment', rows: 2 });
  const decideButton = (decision: ApprovalDecision, id: string, primary: boolean) =>
    h(
      'button',
      {
        type: 'button',
        class: `button${primary ? ' button--primary' : decision === 'REJECT' ? ' button--danger' : ''}`,
        id: `${id}-${key}`,
        on: { click: () => actions.decide(approval, decision, comment.value.trim(), feedback) },
      },
      messages.decisions[decision],
    );
  return h(
    'li',
    { class: `approval approval--${approval.state.toLowerCase()}`, id: `approval-${key}`, 'aria-labelledby': `approval-title-${key}` },
    h(
      'div',
      { class: 'approval__head' },
      h('h3', { id: `approval-title-${key}` }, name),
      h('span', { class: `badge badge--approval-${approval.state.toLowerCase()}` }, messages.approvalStates[approval.state]),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, messages.approvalRole),
      h('dd', {}, roleName, ' ', h('code', {}, approval.id)),
      h('dt', {}, messages.approvalWhy),
      h('dd', {}, approval.reasons?.length ? approval.reasons.map((reason) => renderStoredMessage(reason, language())).join(' ; ') : approval.rules.join(' ; ')),
    ),
    approval.decision
      ? h(
          'p',
          { class: 'meta' },
          messages.approvalDecidedBy(approval.decision.by, formatDateTime(approval.decision.at)),
          approval.decision.comment ? h('q', {}, approval.decision.comment) : null,
        )
      : h('p', { class: 'meta' }, messages.approvalDue(formatDateTime(approval.dueAt))),
    canDecide(status, approval, session)
      ? h(
          'div',
          { class: 'approval__form' },
          h('label', { for: comment.id }, messages.comment),
          comment,
          h(
            'div',
            { class: 'actions' },
            decideButton('APPROVE', 'approve', true),
            decideButton('REQUEST_CHANGES', 'changes', false),
            decideButton('REJECT', 'reject', false),
          ),
        )
      : approval.state === 'PENDING' && !isFinalStatus(status.status)
        ? h('p', { class: 'hint' }, messages.notYourRole(roleName))
        : null,
    feedback,
  );
}

/** The approvals of the current round, with the decision buttons for the approvers who hold the role. */
export function renderApprovals(status: MigrationOverview, session: Session, actions: MigrationActions): Child {
  const messages = t();
  const current = status.approvals.filter((approval) => approval.round === status.round);
  const earlier = status.approvals.filter((approval) => approval.round !== status.round);
  return section(
    'approvals',
    messages.approvalsTitle,
    current.length === 0 ? h('p', {}, messages.approvalsNone) : h('ul', { class: 'approval-list' }, current.map((approval) => approvalItem(status, approval, session, actions))),
    earlier.length > 0
      ? h(
          'details',
          { id: 'earlier-approvals' },
          h('summary', {}, messages.showAll(earlier.length)),
          table(
            null,
            [messages.colApproval, messages.approvalRole, messages.approvalState, messages.colWhen],
            earlier.map((approval) =>
              h(
                'tr',
                {},
                h('td', {}, messages.approvalNames[approval.id] ?? approval.id, ' ', messages.approvalRound(approval.round)),
                h('td', {}, messages.approverRoles[approval.role] ?? approval.role),
                h('td', {}, messages.approvalStates[approval.state]),
                h('td', {}, formatDateTime(approval.decision?.at ?? approval.requestedAt)),
              ),
            ),
          ),
        )
      : null,
  );
}

function workloadRow(workload: WorkloadView): HTMLTableRowElement {
  const messages = t();
  return h(
    'tr',
    { id: `workload-${idFragment(workload.id)}` },
    h('th', { scope: 'row' }, workload.name, h('br'), h('code', {}, workload.id)),
    h('td', {}, workloadKindLabel(workload.kind, language())),
    h('td', {}, workload.level ? levelBadge(workload.level) : '—'),
    h('td', {}, workload.hds === null ? '—' : workload.hds ? messages.yes : messages.no),
    h('td', {}, workload.rules.map((rule, index) => [index > 0 ? ' ' : null, h('abbr', { title: messages.ruleNames[rule] ?? rule, class: 'rule' }, rule)])),
    h('td', {}, workload.zone ?? '—', workload.waveId ? h('br') : null, workload.waveId ?? null),
    h('td', {}, messages.workloadOutcomes[workload.outcome]),
    h('td', {}, renderRunText(workload, language())),
  );
}

/** The workloads, a page at a time: each one's hosting level, the rules that decided it, its zone, wave and outcome. */
export function renderClassification(status: MigrationOverview, pages: PageAccess): Child {
  if (status.workloads.total === 0) return null;
  const messages = t();
  return section(
    'classification',
    messages.classificationTitle,
    pagedTable<WorkloadView>({
      id: 'classification-table',
      caption: messages.classificationCaption,
      headers: [messages.colWorkload, messages.colKind, messages.colLevel, messages.colHds, messages.colRules, `${messages.colZone} / ${messages.colWave}`, messages.colOutcome, messages.colNote],
      row: workloadRow,
      load: (cursor, outcome) => pages.read('workloads', { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(outcome ? { state: outcome } : {}) }),
      filter: { id: 'workloads-outcome', label: messages.filterOutcome, options: WORKLOAD_OUTCOMES.map((outcome) => [outcome, messages.workloadOutcomes[outcome]] as const) },
      fail: pages.fail,
    }),
    // docs/rules.md, as the dashboard's build copies it next to the page.
    h('p', {}, h('a', { href: '/dashboard/rules.md', id: 'rules-link' }, messages.rulesLink)),
  );
}

/** Pause, resume and cancel, for the roles that may use them. */
export function renderControls(status: MigrationOverview, session: Session, actions: MigrationActions): Child {
  if (isFinalStatus(status.status)) return null;
  const messages = t();
  const ops = hasRole(session, 'ops');
  const mayCancel = ops || hasRole(session, 'consultant');
  if (!ops && !mayCancel) return null;
  return section(
    'controls',
    messages.controlsTitle,
    h(
      'div',
      { class: 'actions' },
      ops && !status.paused ? h('button', { type: 'button', class: 'button', id: 'pause', on: { click: () => actions.control('pause') } }, messages.pause) : null,
      ops && status.paused ? h('button', { type: 'button', class: 'button', id: 'resume', on: { click: () => actions.control('resume') } }, messages.resume) : null,
      mayCancel ? h('button', { type: 'button', class: 'button button--danger', id: 'cancel', on: { click: () => actions.control('cancel') } }, messages.cancel) : null,
    ),
  );
}

/** A step's title in the reader's language, from its id; the id itself when no message describes it. */
function titleOfStepId(stepId: string): string {
  return renderStepTitle(stepId, language());
}

/**
 * The workload's name a cutover step's English title begins with (`${workload.name}: ${step}`,
 * workflows/cutover-wave/state.ts): the steps page carries no plan to look it up in.
 */
function workloadNameOf(step: StepView): string | undefined {
  if (step.workloadId === undefined) return undefined;
  const definition = CUTOVER_STEPS.find((candidate) => step.id.endsWith(`.${candidate.name}`));
  const suffix = definition === undefined ? undefined : `: ${definition.title}`;
  return suffix !== undefined && step.title.endsWith(suffix) ? step.title.slice(0, -suffix.length) : undefined;
}

function stepTitle(step: StepView): string {
  const title = renderStepTitle(step.id, language(), workloadNameOf(step));
  return title === step.id ? step.title : title;
}

function stepRow(step: StepView): HTMLTableRowElement {
  const messages = t();
  return h(
    'tr',
    {},
    h('th', { scope: 'row' }, stepTitle(step), h('br'), h('code', {}, step.id)),
    h('td', {}, stepStateBadge(step.state), step.progress !== undefined && step.state === 'RUNNING' ? ` ${Math.floor(step.progress * 100)} %` : null),
    h('td', {}, formatDateTime(step.startedAt)),
    h('td', {}, formatDateTime(step.endedAt)),
    h('td', {}, step.error ? messages.stepError(step.error.message, step.error.attempts) : step.note ? renderStoredMessage(step.note, language()) : (step.skippedReason ?? '')),
  );
}

/** Every step, a page at a time, folded away by default and read when unfolded. */
export function renderSteps(status: MigrationOverview, pages: PageAccess): Child {
  if (status.steps.total === 0) return null;
  const messages = t();
  const details = h('details', { id: 'steps-all' }, h('summary', {}, messages.showAll(status.steps.total)));
  details.addEventListener('toggle', () => {
    if (!details.open || details.childElementCount > 1) return;
    details.appendChild(
      pagedTable<StepView>({
        id: 'steps-table',
        caption: null,
        headers: [messages.colEvent, messages.colStatus, messages.colStarted, messages.colClosed, messages.colNote],
        row: stepRow,
        load: (cursor, state) => pages.read('steps', { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(state ? { state } : {}) }),
        filter: { id: 'steps-state', label: messages.filterState, options: STEP_STATES.map((state) => [state, messages.stepStates[state]] as const) },
        fail: pages.fail,
      }),
    );
  });
  return section('steps', messages.stepsTitle, details);
}

function timelineItem(entry: TimelineEntry): HTMLLIElement {
  return h(
    'li',
    {},
    h('time', { datetime: entry.at }, formatDateTime(entry.at)),
    ' ',
    // Entries with a message code say it all in the reader's language; older ones show their kind beside the English.
    entry.text === undefined ? [h('span', { class: 'timeline__kind' }, entry.kind), ' '] : null,
    renderRunText(entry, language()),
  );
}

/** The run's timeline, newest first: the overview's latest entries, older ones a page at a time. */
export function renderTimeline(status: MigrationOverview, pages: PageAccess): Child {
  const messages = t();
  return section(
    'timeline',
    messages.timelineTitle,
    pagedTable<TimelineEntry>({
      id: 'timeline-list',
      caption: null,
      headers: [],
      list: true,
      row: timelineItem,
      preset: [...status.timeline].reverse(),
      load: (cursor) => pages.read('timeline', { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
      fail: pages.fail,
    }),
  );
}

function auditRow(entry: AuditEntry): HTMLTableRowElement {
  const messages = t();
  const roles = entry.roles.map((role) => messages.roles[role] ?? messages.approverRoles[role] ?? role);
  return h(
    'tr',
    {},
    h('td', {}, h('time', { datetime: entry.at }, formatDateTime(entry.at))),
    h('td', {}, entry.actor, h('br'), h('span', { class: 'hint' }, roles.join(', '))),
    h('td', {}, auditActionLabel(entry.action, language())),
    h('td', {}, entry.target === undefined ? '' : auditTargetLabel(entry.target, language())),
    h('td', {}, entry.comment === undefined ? '' : auditCommentLabel(entry.action, entry.comment, language())),
  );
}

/** Who decided what, newest first: the overview's latest entries, older ones a page at a time. */
export function renderAudit(status: MigrationOverview, pages: PageAccess): Child {
  const messages = t();
  return section(
    'audit',
    messages.auditTitle,
    status.audit.length === 0
      ? h('p', {}, '—')
      : pagedTable<AuditEntry>({
          id: 'audit-table',
          caption: null,
          headers: [messages.colWhen, messages.colWho, messages.colAction, messages.colTarget, messages.colComment],
          row: auditRow,
          preset: [...status.audit].reverse(),
          load: (cursor) => pages.read('audit', { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
          fail: pages.fail,
        }),
  );
}
