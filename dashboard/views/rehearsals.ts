/**
 * The rehearsals of the waves under way (README, "Rehearsals (test migrations)"): where each
 * stands, its attempt and deadline, each workload's test launch in its isolated network with
 * its smoke-test checks, and, for the customer's approver holding the rehearsal's role while it
 * waits for a decision, the forms that confirm it or report a problem. The API and the workflow
 * check every decision again (`rehearsalDecisionRefusal`); this only shows the forms to those
 * who may use them.
 */
import type { MigrationOverview, RehearsalDecision, RehearsalLaunch, RehearsalView, WaveOverview } from '../../domain';
import { rehearsalStateLabel } from '../../domain/messages';
import { rehearsalDecisionRefusal, type UserRole, USER_ROLES } from '../../domain/permissions';
import { isFinalStatus } from '../../domain/run';
import { type Child, h, idFragment } from '../dom';
import { formatDateTime, language, t } from '../i18n';
import type { Session } from '../session';

/** What the rehearsal forms do; the view carries it out. */
export interface RehearsalActions {
  decideRehearsal(waveId: string, decision: RehearsalDecision, comment: string, feedback: HTMLElement): void;
}

/** The waves under way that rehearse, in wave order. */
function rehearsingWaves(status: MigrationOverview): (WaveOverview & { rehearsal: RehearsalView })[] {
  return status.waves.active.filter((wave): wave is WaveOverview & { rehearsal: RehearsalView } => wave.rehearsal !== undefined).sort((left, right) => left.index - right.index);
}

/** What the redraw of the panel depends on: the rehearsals and whether the run is still open. */
export function rehearsalsKey(status: MigrationOverview): string {
  return JSON.stringify([isFinalStatus(status.status), rehearsingWaves(status).map((wave) => [wave.id, wave.rehearsal])]);
}

/** Whether the signed-in user may decide this rehearsal now: the same check as the API's, on the token's claims. */
function mayDecide(status: MigrationOverview, rehearsal: RehearsalView, session: Session): boolean {
  if (isFinalStatus(status.status) || rehearsal.state !== 'AWAITING_DECISION') return false;
  const caller = {
    roles: session.claims.roles.filter((role): role is UserRole => (USER_ROLES as readonly string[]).includes(role)),
    customerId: session.claims.customerId,
    approverRoles: session.claims.approverRoles,
  };
  return rehearsalDecisionRefusal(caller, status, rehearsal) === undefined;
}

function smokeTestCell(launch: RehearsalLaunch): Child {
  const messages = t();
  if (!launch.smokeTest) return launch.error ? h('span', { class: 'rehearsal__error' }, launch.error) : '—';
  return [
    h('span', { class: `badge badge--smoke-${launch.smokeTest.outcome.toLowerCase()}` }, messages.smokeOutcomes[launch.smokeTest.outcome]),
    h(
      'ul',
      { class: 'rehearsal__checks' },
      launch.smokeTest.checks.map((check) => h('li', { 'data-outcome': check.outcome }, h('code', {}, check.name), ' ', messages.smokeOutcomes[check.outcome])),
    ),
  ];
}

function launchesTable(key: string, launches: readonly RehearsalLaunch[]): HTMLElement {
  const messages = t();
  const headers = [messages.colWorkload, messages.colLaunch, messages.colNetwork, messages.colSmokeTest];
  return h(
    'div',
    { class: 'table-scroll', role: 'region', tabindex: 0, 'aria-label': messages.rehearsalLaunchesCaption, id: `rehearsal-launches-${key}` },
    h(
      'table',
      { class: 'table' },
      h('caption', {}, messages.rehearsalLaunchesCaption),
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
      h(
        'tbody',
        {},
        launches.map((launch) =>
          h(
            'tr',
            { 'data-workload': launch.workloadId },
            h('th', { scope: 'row' }, h('code', {}, launch.workloadId)),
            h('td', {}, launch.launchId ? h('code', {}, launch.launchId) : messages.launchPending, launch.tornDown ? [' (', messages.launchTornDown, ')'] : null),
            h('td', {}, launch.network ? h('code', {}, launch.network) : '—'),
            h('td', {}, smokeTestCell(launch)),
          ),
        ),
      ),
    ),
  );
}

function showError(feedback: HTMLElement, text: string): void {
  feedback.textContent = text;
  feedback.hidden = false;
}

/** Confirm (comment optional) and report a problem (comment required, checked before posting). */
function decisionForms(waveId: string, key: string, actions: RehearsalActions, feedback: HTMLElement): HTMLElement {
  const messages = t();
  const confirmComment = h('textarea', { id: `rehearsal-confirm-comment-${key}`, name: 'comment', rows: 2 });
  const problem = h('textarea', { id: `rehearsal-problem-${key}`, name: 'comment', rows: 2, required: true, 'aria-describedby': `rehearsal-problem-hint-${key}` });
  return h(
    'div',
    { class: 'rehearsal__forms' },
    h(
      'form',
      {
        class: 'derogation__form',
        id: `rehearsal-confirm-form-${key}`,
        'aria-label': messages.rehearsalConfirmTitle,
        on: {
          submit: (event) => {
            event.preventDefault();
            actions.decideRehearsal(waveId, 'CONFIRM', confirmComment.value.trim(), feedback);
          },
        },
      },
      h('label', { for: confirmComment.id }, messages.rehearsalConfirmComment),
      confirmComment,
      h('button', { type: 'submit', class: 'button button--primary', id: `rehearsal-confirm-${key}` }, messages.rehearsalConfirm),
    ),
    h(
      'form',
      {
        class: 'derogation__form',
        id: `rehearsal-report-form-${key}`,
        'aria-label': messages.rehearsalReportTitle,
        // The page says the comment is required; the form checks it itself rather than the browser's own bubble.
        novalidate: true,
        on: {
          submit: (event) => {
            event.preventDefault();
            const comment = problem.value.trim();
            if (comment === '') {
              showError(feedback, messages.rehearsalReportMissing);
              problem.focus();
              return;
            }
            actions.decideRehearsal(waveId, 'REPORT_PROBLEM', comment, feedback);
          },
        },
      },
      h('label', { for: problem.id }, messages.rehearsalReportComment),
      problem,
      h('p', { class: 'hint', id: `rehearsal-problem-hint-${key}` }, messages.rehearsalReportHint),
      h('button', { type: 'submit', class: 'button button--danger', id: `rehearsal-report-${key}` }, messages.rehearsalReport),
    ),
  );
}

function rehearsalItem(status: MigrationOverview, wave: WaveOverview & { rehearsal: RehearsalView }, session: Session, actions: RehearsalActions): HTMLElement {
  const messages = t();
  const { rehearsal } = wave;
  const key = idFragment(wave.id);
  const feedback = h('p', { class: 'message message--error', role: 'alert', id: `rehearsal-error-${key}` });
  feedback.hidden = true;
  const decides = mayDecide(status, rehearsal, session);
  const role = messages.approverRoles[rehearsal.role] ?? rehearsal.role;
  return h(
    'li',
    { class: `rehearsal rehearsal--${rehearsal.state.toLowerCase()}`, id: `rehearsal-${key}`, 'data-state': rehearsal.state, 'aria-labelledby': `rehearsal-title-${key}` },
    h(
      'div',
      { class: 'approval__head' },
      h('h3', { id: `rehearsal-title-${key}` }, messages.rehearsalOfWave(wave.index)),
      h('span', { class: `badge badge--rehearsal-${rehearsal.state.toLowerCase()}`, id: `rehearsal-state-${key}` }, rehearsalStateLabel(rehearsal.state, language())),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, messages.rehearsalAttempt),
      h('dd', { id: `rehearsal-attempt-${key}` }, String(rehearsal.attempt)),
      rehearsal.deadline ? [h('dt', {}, messages.rehearsalDeadline), h('dd', { id: `rehearsal-deadline-${key}` }, formatDateTime(rehearsal.deadline))] : null,
    ),
    rehearsal.launches.length > 0 ? launchesTable(key, rehearsal.launches) : null,
    rehearsal.decision
      ? h(
          'p',
          { class: 'meta' },
          messages.rehearsalDecidedBy(messages.rehearsalDecisions[rehearsal.decision.decision], rehearsal.decision.by, formatDateTime(rehearsal.decision.at)),
          rehearsal.decision.comment ? [' ', h('q', {}, rehearsal.decision.comment)] : null,
        )
      : null,
    rehearsal.state === 'FAILED' ? h('p', { class: 'hint' }, messages.rehearsalFailed) : null,
    rehearsal.state === 'SKIPPED' && rehearsal.skippedReason ? h('p', { class: 'hint' }, messages.rehearsalSkipped(rehearsal.skippedReason)) : null,
    decides ? decisionForms(wave.id, key, actions, feedback) : null,
    !decides && rehearsal.state === 'AWAITING_DECISION' && !isFinalStatus(status.status) ? h('p', { class: 'hint', id: `rehearsal-role-${key}` }, messages.rehearsalRoleOnly(role)) : null,
    feedback,
  );
}

/** The rehearsals of the waves under way, with the decision forms for the customer's approver; nothing when no wave under way rehearses. */
export function renderRehearsals(status: MigrationOverview, session: Session, actions: RehearsalActions): Child {
  const waves = rehearsingWaves(status);
  if (waves.length === 0) return null;
  const messages = t();
  return h(
    'section',
    { class: 'card', id: 'rehearsals', 'aria-labelledby': 'rehearsals-title' },
    h('h2', { id: 'rehearsals-title' }, messages.rehearsalsTitle),
    h('p', { class: 'hint' }, messages.rehearsalsIntro),
    h('ul', { class: 'approval-list' }, waves.map((wave) => rehearsalItem(status, wave, session, actions))),
  );
}
