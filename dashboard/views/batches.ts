/**
 * Fleet operations for ops (domain/batches.ts): a form that selects runs by customer, phase,
 * status or failed step's operation, a preview (the API's dry run) of the runs it would touch,
 * a confirmation that starts the batch, the list of batches, and one batch's progress and
 * per-run outcomes, refreshed while it runs.
 */
import { ApiError } from '../../client/api-client';
import { BATCH_ACTIONS, type BatchAction, type BatchDryRun, type BatchListResponse, type BatchRequest, type BatchRunOutcome, type BatchView } from '../../domain/batches';
import { PHASES, RUN_STATUSES, STEP_OPERATIONS } from '../../domain/run';
import type { AppContext, Cleanup } from '../app-context';
import { h, idFragment, Section } from '../dom';
import { formatDateTime, language, t } from '../i18n';
import { progressBar, statusBadge } from './widgets';

/** How often the pages read the batches again while they are shown. */
const REFRESH_MS = 2_000;

const OUTCOME_BADGES: Record<BatchRunOutcome, string> = { PENDING: 'waiting', DONE: 'completed', REFUSED: 'paused', NOT_FOUND: 'cancelled', FAILED: 'failed' };

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function choice(id: string, options: readonly { value: string; label: string }[], withAny = true): HTMLElement {
  return h('select', { id, name: id }, withAny ? h('option', { value: '' }, t().filterAny) : null, options.map((option) => h('option', { value: option.value }, option.label)));
}

/** The request the form describes; `undefined` fields are left out. */
function requestOf(form: HTMLFormElement): Omit<BatchRequest, 'dryRun'> {
  const data = new FormData(form);
  const text = (name: string) => {
    const value = data.get(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  const action = text('batch-action') as BatchAction;
  const selection = {
    ...(text('batch-customer') ? { customer: text('batch-customer') } : {}),
    ...(text('batch-phase') ? { phase: text('batch-phase') } : {}),
    ...(text('batch-status') ? { status: text('batch-status') } : {}),
    ...(action === 'retry-failed-steps' && text('batch-operation') ? { operation: text('batch-operation') } : {}),
  } as BatchRequest['selection'];
  return { action, selection, reason: text('batch-reason'), ...(action === 'extend-deadlines' ? { extendBy: text('batch-extend-by') } : {}) };
}

/** The selection form, its preview (dry run) and the confirmation that starts the batch. */
function batchForm(context: AppContext): HTMLElement {
  const messages = t();
  const feedback = h('div', { class: 'message message--error', role: 'alert', id: 'batch-error' });
  feedback.hidden = true;
  const preview = h('div', { id: 'batch-preview', 'aria-live': 'polite' });
  const operation = field('batch-operation', messages.batchOperation, choice('batch-operation', STEP_OPERATIONS.map((value) => ({ value, label: value }))));
  const extendBy = field('batch-extend-by', messages.batchExtendBy, h('input', { id: 'batch-extend-by', name: 'batch-extend-by', type: 'text', value: 'P7D', autocomplete: 'off' }));
  extendBy.hidden = true;
  const showFieldsOf = (action: string) => {
    operation.hidden = action !== 'retry-failed-steps';
    extendBy.hidden = action !== 'extend-deadlines';
  };

  const refuse = (error: unknown) => {
    if (error instanceof ApiError && error.status !== 401) {
      feedback.replaceChildren(h('p', {}, messages.batchRefused(messages.apiProblem(error))), h('ul', {}, (error.errors ?? []).map((problem) => h('li', {}, `${problem.path} : ${problem.message}`))));
      feedback.hidden = false;
    } else context.fail(error, feedback);
  };

  const confirm = (request: Omit<BatchRequest, 'dryRun'>, dryRun: BatchDryRun) => {
    const button = h('button', { type: 'button', class: 'button button--primary', id: 'batch-confirm' }, messages.batchConfirm(dryRun.runs.length));
    button.addEventListener('click', () => {
      button.disabled = true;
      void (async () => {
        try {
          // Exactly the runs previewed, those the selection still matches.
          const started = await context.client.startBatch({ ...request, runIds: dryRun.runs.map((run) => run.id) });
          if (!('dryRun' in started)) context.navigate(`#/batches/${encodeURIComponent(started.id)}`);
        } catch (error) {
          refuse(error);
          button.disabled = false;
        }
      })();
    });
    return button;
  };

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card',
      id: 'batch-form',
      'aria-labelledby': 'batch-form-title',
      on: {
        change: (event) => {
          if ((event.target as HTMLElement).id === 'batch-action') {
            showFieldsOf((event.target as HTMLSelectElement).value);
            preview.replaceChildren();
          }
        },
        submit: (event) => {
          event.preventDefault();
          const request = requestOf(form);
          feedback.hidden = true;
          preview.replaceChildren();
          if (request.reason === '') {
            feedback.textContent = messages.batchReasonMissing;
            feedback.hidden = false;
            return;
          }
          void (async () => {
            try {
              const answer = await context.client.startBatch({ ...request, dryRun: true });
              if (!('dryRun' in answer)) return;
              preview.replaceChildren(
                h(
                  'div',
                  { class: 'table-scroll', role: 'region', 'aria-labelledby': 'batch-preview-caption', tabindex: 0 },
                  h(
                    'table',
                    { class: 'table' },
                    h('caption', { id: 'batch-preview-caption' }, messages.batchPreviewCaption(answer.runs.length)),
                    h('thead', {}, h('tr', {}, [messages.colMigration, messages.colCustomer, messages.colPhase, messages.colStatus].map((label) => h('th', { scope: 'col' }, label)))),
                    h(
                      'tbody',
                      {},
                      answer.runs.map((run) =>
                        h(
                          'tr',
                          {},
                          h('th', { scope: 'row' }, h('a', { href: `#/migrations/${encodeURIComponent(run.id)}` }, run.id)),
                          h('td', {}, run.customerId ?? '—'),
                          h('td', {}, run.phase ? messages.phases[run.phase] : '—'),
                          h('td', {}, run.status ? statusBadge(run.status) : '—'),
                        ),
                      ),
                    ),
                  ),
                ),
                ...(answer.runs.length > 0 ? [h('div', { class: 'actions' }, confirm(request, answer))] : []),
              );
              context.announce(messages.batchPreviewCaption(answer.runs.length));
            } catch (error) {
              refuse(error);
            }
          })();
        },
      },
    },
    h('h2', { id: 'batch-form-title' }, messages.batchFormTitle),
    h(
      'div',
      { class: 'filters' },
      field('batch-action', messages.batchAction, choice('batch-action', BATCH_ACTIONS.map((value) => ({ value, label: messages.batchActions[value] })), false)),
      field('batch-customer', messages.filterCustomer, h('input', { id: 'batch-customer', name: 'batch-customer', type: 'text', autocomplete: 'off' })),
      field('batch-phase', messages.filterPhase, choice('batch-phase', PHASES.map((value) => ({ value, label: messages.phases[value] })))),
      field('batch-status', messages.filterStatus, choice('batch-status', RUN_STATUSES.map((value) => ({ value, label: messages.statuses[value] })))),
      operation,
      extendBy,
    ),
    field('batch-reason', messages.batchReason, h('input', { id: 'batch-reason', name: 'batch-reason', type: 'text', autocomplete: 'off' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button', id: 'batch-preview-button' }, messages.batchPreview)),
    feedback,
    preview,
  );
  return form;
}

function batchesTable(page: BatchListResponse): HTMLElement {
  const messages = t();
  return h(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-labelledby': 'batches-caption', tabindex: 0 },
    h(
      'table',
      { class: 'table' },
      h('caption', { id: 'batches-caption' }, messages.batchesCaption(page.items.length)),
      h('thead', {}, h('tr', {}, [messages.colBatch, messages.colAction, messages.colBatchState, messages.colRuns, messages.colRequestedBy, messages.colStarted].map((label) => h('th', { scope: 'col' }, label)))),
      h(
        'tbody',
        {},
        page.items.map((item) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, h('a', { href: `#/batches/${encodeURIComponent(item.id)}`, id: `batch-link-${idFragment(item.id)}` }, item.id)),
            h('td', {}, item.action ? messages.batchActions[item.action] : '—'),
            h('td', {}, h('span', { class: `badge ${item.state === 'RUNNING' ? 'badge--running' : 'badge--completed'}` }, messages.batchStates[item.state])),
            h('td', {}, item.total === null ? '—' : String(item.total)),
            h('td', {}, item.requestedBy ?? '—'),
            h('td', {}, formatDateTime(item.startedAt)),
          ),
        ),
      ),
    ),
  );
}

/** `#/batches`: the form and the batches, newest first. */
export function renderBatches(main: HTMLElement, context: AppContext): Cleanup {
  const messages = t();
  const results = new Section(h('div', { class: 'results', 'aria-live': 'off' }));
  const controller = new AbortController();
  const load = async () => {
    try {
      const page = await context.client.listBatches({ limit: 50 }, controller.signal);
      results.update(JSON.stringify([page, language()]), () => [batchesTable(page), page.items.length === 0 ? h('p', { class: 'empty' }, messages.noBatches) : null]);
    } catch (error) {
      if (!controller.signal.aborted) context.fail(error, results.host);
    }
  };
  main.replaceChildren(
    h('div', { class: 'page-heading' }, h('h1', { id: 'page-title', tabindex: -1 }, messages.batchesTitle)),
    h('p', {}, messages.batchesIntro),
    batchForm(context),
    results.host,
  );
  void load();
  const timer = setInterval(() => void load(), REFRESH_MS * 2);
  return () => {
    clearInterval(timer);
    controller.abort();
  };
}

function batchDetails(batch: BatchView): HTMLElement[] {
  const messages = t();
  return [
    h('p', { id: 'batch-requested' }, messages.batchRequested(batch.requestedBy, formatDateTime(batch.requestedAt), batch.reason)),
    h(
      'p',
      {},
      h('span', { class: `badge ${batch.state === 'RUNNING' ? 'badge--running' : 'badge--completed'}`, id: 'batch-state' }, messages.batchStates[batch.state]),
      ' ',
      messages.batchActions[batch.action],
      batch.extendBy ? ` (${batch.extendBy})` : '',
    ),
    h('p', { id: 'batch-progress-label' }, messages.batchProgress(batch.processed, batch.total)),
    progressBar(batch.total === 0 ? 100 : (100 * batch.processed) / batch.total, 'batch-progress-label', { failed: batch.counts.FAILED > 0 }),
    h(
      'div',
      { class: 'table-scroll', role: 'region', 'aria-labelledby': 'batch-runs-caption', tabindex: 0 },
      h(
        'table',
        { class: 'table', id: 'batch-runs' },
        h('caption', { id: 'batch-runs-caption' }, messages.batchRunsCaption(batch.total)),
        h('thead', {}, h('tr', {}, [messages.colMigration, messages.colBatchOutcome, messages.colDetail].map((label) => h('th', { scope: 'col' }, label)))),
        h(
          'tbody',
          {},
          batch.runs.map((run) =>
            h(
              'tr',
              { id: `batch-run-${idFragment(run.id)}` },
              h('th', { scope: 'row' }, h('a', { href: `#/migrations/${encodeURIComponent(run.id)}` }, run.id)),
              h('td', {}, h('span', { class: `badge badge--${OUTCOME_BADGES[run.outcome]}` }, messages.batchOutcomes[run.outcome])),
              h('td', {}, [...(run.steps ?? []), ...(run.detail ? [run.detail] : [])].join(' — ') || '—'),
            ),
          ),
        ),
      ),
    ),
  ];
}

/** `#/batches/{id}`: one batch's progress and each run's outcome, read again while it runs. */
export function renderBatch(main: HTMLElement, context: AppContext, id: string): Cleanup {
  const messages = t();
  document.title = `${messages.batchTitle(id)} — ${messages.appName}`;
  const body = new Section(h('div', { 'aria-live': 'off' }));
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const load = async () => {
    try {
      const batch = await context.client.readBatch(id, controller.signal);
      body.update(JSON.stringify([batch, language()]), () => batchDetails(batch));
      if (batch.state === 'RUNNING' && !controller.signal.aborted) timer = setTimeout(() => void load(), REFRESH_MS);
    } catch (error) {
      if (!controller.signal.aborted) context.fail(error, body.host);
    }
  };
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/batches' }, messages.backToBatches)),
    h('h1', { id: 'page-title', tabindex: -1 }, messages.batchTitle(id)),
    body.host,
  );
  document.getElementById('page-title')?.focus();
  void load();
  return () => {
    clearTimeout(timer);
    controller.abort();
  };
}
