import { ApiError } from '../../client/api-client';
import { followMigration, type FollowMode } from '../../client/follow-migration';
import { isFinalStatus } from '../../domain/run';
import type { ApprovalDecision, ApprovalView, MigrationOverview } from '../../domain';
import type { AppContext, Cleanup } from '../app-context';
import { h, idFragment, Section } from '../dom';
import { t } from '../i18n';
import {
  type MigrationActions,
  type PageAccess,
  renderApprovals,
  renderAttention,
  renderAudit,
  renderClassification,
  renderControls,
  renderGate,
  renderProgress,
  renderStepper,
  renderSteps,
  renderSummary,
  renderTimeline,
} from './migration-sections';
import { type DerogationActions, renderDerogations } from './derogations';
import { type RehearsalActions, rehearsalsKey, renderRehearsals } from './rehearsals';
import { type RiskActions, renderRisks } from './risks';
import { createEstatePictures } from './estate-pictures';

function renderNotFound(main: HTMLElement): void {
  const messages = t();
  document.title = `${messages.notFoundTitle} — ${messages.appName}`;
  main.replaceChildren(
    h('h1', { id: 'page-title', tabindex: -1 }, messages.notFoundTitle),
    h('p', {}, messages.notFoundText),
    h('p', {}, h('a', { href: '#/' }, messages.backToList)),
  );
}

function show(feedback: HTMLElement, text: string): void {
  feedback.textContent = text;
  feedback.hidden = false;
}

/**
 * A migration's page: summary, phases, what waits for people (approvals, failed steps), the
 * classification report, progress, timeline and audit trail, kept live by following the run.
 */
export function renderMigration(main: HTMLElement, context: AppContext, id: string): Cleanup {
  const messages = t();
  const controller = new AbortController();
  const busy = new Set<string>();
  let status: MigrationOverview | undefined;

  const live = h('p', { class: 'live', id: 'live-state' });
  const flash = h('p', { class: 'message message--success', role: 'status', id: 'flash' });
  const failure = h('p', { class: 'message message--error', role: 'alert', id: 'page-error' });
  flash.hidden = true;
  failure.hidden = true;

  const section = () => new Section(h('div'));
  const summary = section();
  const stepper = section();
  const attention = section();
  const gate = section();
  const derogations = section();
  const approvals = section();
  const rehearsals = section();
  const risks = section();
  const progress = section();
  const classification = section();
  const controls = section();
  const steps = section();
  const timeline = section();
  const audit = section();
  const pictures = createEstatePictures(context, id, controller.signal, (error) => context.fail(error, failure));

  function draw(next: MigrationOverview): void {
    const previous = status;
    status = next;
    const session = context.session;
    document.title = `${next.customerName} — ${messages.statuses[next.status]} — ${messages.appName}`;
    summary.update(JSON.stringify([next.customerName, next.workflowId, next.status, next.phase, next.percentComplete, next.startedAt, next.startedBy, next.endedAt, next.updatedAt, next.outcome, next.draftId]), () => renderSummary(next));
    stepper.update(JSON.stringify([next.phase, next.status, next.round, next.approvals.map((approval) => approval.state)]), () => renderStepper(next));
    attention.update(JSON.stringify([next.attention, next.status]), () => renderAttention(next, session, actions));
    gate.update(JSON.stringify([next.phase, next.gate]), () => renderGate(next, session, actions));
    derogations.update(JSON.stringify([next.phase, next.status, next.derogations, next.landingZones, next.gate?.zones?.map((zone) => zone.state)]), () => renderDerogations(next, session, derogationActions));
    approvals.update(JSON.stringify([next.approvals, next.round, next.status]), () => renderApprovals(next, session, actions));
    rehearsals.update(rehearsalsKey(next), () => renderRehearsals(next, session, rehearsalActions));
    // The register changes with a decision (audited), a classification, a derogation, or a wave it holds or releases.
    const held = next.waves.active.map((wave) => wave.heldBy?.riskIds ?? []);
    risks.update(JSON.stringify([next.auditTotal, next.phase, next.status, next.round, next.derogations?.map((derogation) => derogation.state), held]), () => renderRisks(next, session, riskActions));
    progress.update(JSON.stringify([next.phase, next.status, next.phases, next.waves, next.approvals.map((approval) => approval.state)]), () => renderProgress(next));
    // Paged sections read their first page again when what they list may have changed: a wave settled, the run moved on.
    classification.update(JSON.stringify([next.workloads, next.phase, next.status, next.waves.byState]), () => renderClassification(next, pages));
    controls.update(JSON.stringify([next.status, next.paused]), () => renderControls(next, session, actions));
    steps.update(JSON.stringify([next.steps.total, next.phase, next.status, next.waves.byState]), () => renderSteps(next, pages));
    timeline.update(JSON.stringify(next.timelineTotal), () => renderTimeline(next, pages));
    audit.update(JSON.stringify(next.auditTotal), () => renderAudit(next, pages));
    pictures.refresh(next);
    if (previous && (previous.phase !== next.phase || previous.status !== next.status)) {
      context.announce(messages.announce(messages.phases[next.phase], messages.statuses[next.status]));
    }
    if (isFinalStatus(next.status)) live.textContent = messages.liveEnded;
  }

  /** Runs one action once at a time, then shows its outcome and reads the status again. */
  async function act(key: string, work: () => Promise<unknown>, feedback: HTMLElement, done: string): Promise<void> {
    if (busy.has(key)) return;
    busy.add(key);
    feedback.hidden = true;
    flash.hidden = true;
    try {
      await work();
      show(flash, done);
      draw(await context.client.readStatus(id, controller.signal));
    } catch (error) {
      if (error instanceof ApiError && error.status !== 401) show(feedback, messages.errorGeneric(messages.apiProblem(error)));
      else context.fail(error, feedback);
    } finally {
      busy.delete(key);
    }
  }

  const pages: PageAccess = {
    read: (collection, filters) => context.client.readPage(id, collection, filters, controller.signal),
    fail: (error) => {
      if (!controller.signal.aborted) context.fail(error, failure);
    },
  };

  const actions: MigrationActions = {
    decide(approval: ApprovalView, decision: ApprovalDecision, comment: string, feedback: HTMLElement) {
      if (decision !== 'APPROVE' && comment === '') {
        show(feedback, messages.commentMissing);
        document.getElementById(`comment-${idFragment(approval.id)}`)?.focus();
        return;
      }
      const name = messages.approvalNames[approval.id] ?? approval.id;
      void act(
        `approval:${approval.id}`,
        () => context.client.decideApproval(id, approval.id, decision, comment || undefined),
        feedback,
        messages.decisionRecorded(messages.decisions[decision], name),
      );
    },
    retry(stepId: string) {
      void act(`step:${stepId}`, () => context.client.retryStep(id, stepId), failure, messages.actionDone);
    },
    skip(stepId: string, reason: string, feedback: HTMLElement) {
      if (reason === '') {
        show(feedback, messages.skipReasonMissing);
        return;
      }
      void act(`step:${stepId}`, () => context.client.skipStep(id, stepId, reason), feedback, messages.actionDone);
    },
    checkQualification() {
      void act('qualification', () => context.client.notifyQualificationChanged(), failure, messages.actionDone);
    },
    openCutoverWindow(waveId, closesAt, reason, feedback) {
      void act(`window:${waveId}`, () => context.client.openCutoverWindow(id, { closesAt, reason, ...(waveId ? { waveId } : {}) }), feedback, messages.actionDone);
    },
    control(control) {
      if (control === 'cancel' && !window.confirm(messages.confirmCancel)) return;
      void act(`run:${control}`, () => context.client.controlRun(id, control), failure, messages.actionDone);
    },
  };

  const derogationActions: DerogationActions = {
    requestDerogation(zoneId, reason, feedback) {
      void act(`derogation:${zoneId}`, () => context.client.requestDerogation(id, zoneId, reason), feedback, messages.actionDone);
    },
    decideDerogation(zoneId, decision, feedback) {
      void act(`derogation:${zoneId}`, () => context.client.decideDerogation(id, zoneId, decision), feedback, messages.actionDone);
    },
  };

  const rehearsalActions: RehearsalActions = {
    decideRehearsal(waveId, decision, comment, feedback) {
      void act(
        `rehearsal:${waveId}`,
        () => context.client.decideRehearsal(id, waveId, decision, comment || undefined),
        feedback,
        messages.rehearsalRecorded(messages.rehearsalDecisions[decision]),
      );
    },
  };

  const riskActions: RiskActions = {
    readRisks: () => context.client.readRisks(id),
    acceptRisk(riskId, feedback) {
      void act(`risk:${riskId}`, () => context.client.acceptRisk(id, riskId), feedback, messages.actionDone);
    },
    fail: (error) => {
      if (!controller.signal.aborted) context.fail(error, failure);
    },
  };

  const setMode = (mode: FollowMode) => {
    if (status && isFinalStatus(status.status)) return;
    live.textContent = mode === 'stream' ? messages.liveStream : messages.livePolling;
  };

  main.replaceChildren(h('p', { class: 'loading' }, messages.loading));
  context.client
    .readStatus(id, controller.signal)
    .then((first) => {
      main.replaceChildren(
        h('p', { class: 'breadcrumb' }, h('a', { href: '#/' }, messages.backToList)),
        summary.host,
        live,
        flash,
        failure,
        stepper.host,
        h(
          'div',
          { class: 'columns' },
          h('div', { class: 'column' }, attention.host, gate.host, derogations.host, approvals.host, rehearsals.host, risks.host, controls.host),
          h('div', { class: 'column' }, progress.host),
        ),
        classification.host,
        pictures.host,
        steps.host,
        timeline.host,
        audit.host,
      );
      draw(first);
      document.getElementById('page-title')?.focus();
      if (isFinalStatus(first.status)) return;
      return followMigration({
        client: context.client,
        id,
        signal: controller.signal,
        initial: first,
        onStatus: draw,
        onMode: setMode,
        onTransientError: () => {
          live.textContent = messages.liveReconnecting;
        },
      }).then(() => undefined);
    })
    .catch((error: unknown) => {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && error.status === 404 && !status) {
        renderNotFound(main);
        document.getElementById('page-title')?.focus();
        return;
      }
      context.fail(error, failure);
    });

  return () => controller.abort();
}
