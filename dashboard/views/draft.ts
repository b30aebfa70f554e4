import { ApiError, type DraftWorkloadFilters } from '../../client/api-client';
import {
  categoryEffects,
  DATA_CATEGORIES,
  type DataCategory,
  type DraftChange,
  type DraftHistory,
  type DraftPreview,
  type DraftSelection,
  type DraftSummary,
  type DraftWorkloadsPage,
  WORKLOAD_KINDS,
} from '../../domain';
import type { AppContext, Cleanup } from '../app-context';
import { h, Section } from '../dom';
import { t } from '../i18n';
import { mayDo } from '../session';
import {
  renderApplications,
  renderComments,
  renderDraftAudit,
  renderDraftHeading,
  renderImportReport,
  renderPreview,
  renderReview,
  renderTagFields,
  renderWorkloadRows,
} from './draft-sections';

/** How often the page reads the draft's header and history again, to follow the others' edits. */
const DRAFT_REFRESH_MS = 3_000;
/** Workloads per page of the table. */
const PAGE_SIZE = 100;

type Filters = Omit<DraftWorkloadFilters, 'offset' | 'limit'>;

function renderNotFound(main: HTMLElement): void {
  const messages = t();
  document.title = `${messages.draftNotFoundTitle} — ${messages.appName}`;
  main.replaceChildren(
    h('h1', { id: 'page-title', tabindex: -1 }, messages.draftNotFoundTitle),
    h('p', {}, messages.draftNotFoundText),
    h('p', {}, h('a', { href: '#/drafts' }, messages.backToDrafts)),
  );
}

/** A text field of a form, trimmed; '' when absent. */
function textOf(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** The selection of an edit that applies to what the table's filters show. */
function selectionOfFilters(filters: Filters): DraftSelection | undefined {
  const selection: DraftSelection = {
    ...(filters.application ? { application: filters.application } : {}),
    ...(filters.kind ? { kind: filters.kind as DraftSelection['kind'] } : {}),
    ...(filters.nameContains ? { nameContains: filters.nameContains } : {}),
    ...(filters.untagged ? { untagged: true as const } : {}),
  };
  return Object.keys(selection).length === 0 ? undefined : selection;
}

/**
 * A draft plan's page. For the customer's approvers, the classification questionnaire: per
 * application or per workload, data categories (each explained, with the rules it triggers),
 * criticality, exclusions, by filter or by ticking rows; the live preview of the classification
 * and the approvals it will need; comments; who tagged what and when. For consultants, the same
 * with the review: what is untagged or invalid, and the start of the run once nothing is.
 */
export function renderDraft(main: HTMLElement, context: AppContext, id: string): Cleanup {
  const messages = t();
  const controller = new AbortController();
  const review = mayDo(context.session, 'draft.start');
  const canEdit = mayDo(context.session, 'draft.edit');
  const checked = new Set<string>();
  let filters: Filters = {};
  let offset = 0;
  let summary: DraftSummary | undefined;
  let preview: DraftPreview | undefined;
  let history: DraftHistory | undefined;
  let page: DraftWorkloadsPage | undefined;

  const flash = h('p', { class: 'message message--success', role: 'status', id: 'flash' });
  const failure = h('p', { class: 'message message--error', role: 'alert', id: 'page-error' });
  flash.hidden = true;
  failure.hidden = true;

  const section = () => new Section(h('div'));
  const heading = section();
  const importReport = section();
  const reviewSection = section();
  const applications = section();
  const previewSection = section();
  const workloads = section();
  const comments = section();
  const audit = section();

  const show = (element: HTMLElement, text: string) => {
    element.textContent = text;
    element.hidden = false;
  };
  const refused = (error: unknown, where: HTMLElement, describe: (detail: string) => string = messages.errorGeneric) => {
    if (error instanceof ApiError && error.status !== 401) show(where, describe(messages.apiProblem(error)));
    else context.fail(error, where);
  };

  // The tagging form is drawn once: a redraw would take half-given answers away.
  const tagFeedback = h('p', { class: 'message message--error', role: 'alert', id: 'tag-error' });
  tagFeedback.hidden = true;
  const targetChecked = h('span', { id: 'tag-target-checked-label' });
  const targetFilter = h('span', { id: 'tag-target-filter-label' });
  const tagSubmit = h('button', { type: 'submit', class: 'button button--primary', id: 'tag-submit' }, messages.tagSubmit);
  const tagForm = h(
    'form',
    { class: 'card', id: 'tag', 'aria-labelledby': 'tag-title', on: { submit: (event) => submitTags(event) } },
    h('h2', { id: 'tag-title' }, messages.tagTitle),
    h(
      'fieldset',
      { class: 'tag-target' },
      h('legend', {}, messages.tagTarget),
      h('div', { class: 'field field--checkbox' }, h('input', { type: 'radio', name: 'target', id: 'tag-target-checked', value: 'checked', checked: true }), h('label', { for: 'tag-target-checked' }, targetChecked)),
      h('div', { class: 'field field--checkbox' }, h('input', { type: 'radio', name: 'target', id: 'tag-target-filter', value: 'filter' }), h('label', { for: 'tag-target-filter' }, targetFilter)),
    ),
    h('div', { id: 'tag-fields' }),
    h('div', { class: 'actions' }, tagSubmit),
    tagFeedback,
  );

  function updateTargets(): void {
    targetChecked.textContent = messages.tagTargetChecked(checked.size);
    targetFilter.textContent = messages.tagTargetFilter(page?.total ?? 0);
  }

  function changeOfForm(form: HTMLFormElement): DraftChange | string {
    const data = new FormData(form);
    const categories = data.getAll('dataCategories').filter((value): value is DataCategory => DATA_CATEGORIES.includes(value as DataCategory));
    const criticality = textOf(data, 'criticality');
    const exclusion = textOf(data, 'exclusion');
    const reason = textOf(data, 'exclusionReason');
    if (exclusion === 'exclude' && reason === '') return messages.tagReasonMissing;
    const change: DraftChange = {
      ...(categories.length > 0 ? { dataCategories: categories } : {}),
      ...(criticality === 'LOW' || criticality === 'MEDIUM' || criticality === 'HIGH' ? { criticality } : {}),
      ...(exclusion === 'exclude' ? { excluded: { reason } } : exclusion === 'include' ? { excluded: false as const } : {}),
    };
    return Object.keys(change).length === 0 ? messages.tagNothing : change;
  }

  function submitTags(event: Event): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    tagFeedback.hidden = true;
    flash.hidden = true;
    const change = changeOfForm(form);
    const byFilter = new FormData(form).get('target') === 'filter';
    const selection: DraftSelection | undefined = byFilter ? selectionOfFilters(filters) : checked.size > 0 ? { workloadIds: [...checked] } : undefined;
    if (typeof change === 'string' || selection === undefined) {
      show(tagFeedback, typeof change === 'string' ? change : messages.tagNothing);
      return;
    }
    const comment = textOf(new FormData(form), 'comment');
    tagSubmit.disabled = true;
    void context.client
      .editDraft(id, { selection, change, ...(comment ? { comment } : {}) })
      .then(async (answer) => {
        form.reset();
        // The radio's default is a property, which reset() does not restore.
        (document.getElementById('tag-target-checked') as HTMLInputElement | null)?.click();
        checked.clear();
        show(flash, messages.tagDone(answer.changed.length));
        context.announce(messages.tagDone(answer.changed.length));
        await reload();
      })
      .catch((error: unknown) => refused(error, tagFeedback))
      .finally(() => {
        tagSubmit.disabled = false;
      });
  }

  function startRun(): void {
    flash.hidden = true;
    failure.hidden = true;
    void context.client
      .startRunFromDraft(id)
      .then((started) => context.navigate(`#/migrations/${encodeURIComponent(started.runId)}`))
      .catch((error: unknown) => refused(error, failure, messages.startRefused));
  }

  function comment(text: string, workloadId: string | undefined, feedback: HTMLElement): void {
    if (text === '') {
      show(feedback, messages.commentMissingText);
      return;
    }
    void context.client
      .commentDraft(id, text, workloadId)
      .then(async () => {
        show(flash, messages.commentAdded);
        // Emptied before the redraw, which would otherwise keep what was typed.
        const field = document.getElementById('comment-text');
        if (field instanceof HTMLTextAreaElement) field.value = '';
        comments.invalidate();
        history = await context.client.readDraftHistory(id, controller.signal);
        draw();
      })
      .catch((error: unknown) => refused(error, feedback));
  }

  function pickApplication(application: string): void {
    filters = { application };
    offset = 0;
    const field = document.getElementById('filter-application');
    if (field instanceof HTMLSelectElement) field.value = application;
    (document.getElementById('tag-target-filter') as HTMLInputElement | null)?.click();
    void loadWorkloads().then(() => document.getElementById('tag-title')?.scrollIntoView());
  }

  const filterForm = h('form', {
    class: 'filters',
    role: 'search',
    id: 'workload-filters',
    on: {
      submit: (event) => {
        event.preventDefault();
        const data = new FormData(event.target as HTMLFormElement);
        const text = (name: string) => textOf(data, name);
        filters = {
          ...(text('application') ? { application: text('application') } : {}),
          ...(text('kind') ? { kind: text('kind') } : {}),
          ...(text('nameContains') ? { nameContains: text('nameContains') } : {}),
          ...(data.get('untagged') ? { untagged: true } : {}),
        };
        offset = 0;
        void loadWorkloads();
      },
    },
  });

  function drawFilterForm(current: DraftSummary): void {
    if (filterForm.childElementCount > 0) return;
    filterForm.append(
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'filter-application' }, messages.filterApplication),
        h('select', { id: 'filter-application', name: 'application' }, h('option', { value: '' }, messages.filterAny), current.applications.map((application) => h('option', { value: application.name }, application.name))),
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'filter-kind' }, messages.filterKind),
        h('select', { id: 'filter-kind', name: 'kind' }, h('option', { value: '' }, messages.filterAny), WORKLOAD_KINDS.map((kind) => h('option', { value: kind }, kind))),
      ),
      h('div', { class: 'field' }, h('label', { for: 'filter-name' }, messages.filterName), h('input', { id: 'filter-name', name: 'nameContains', type: 'text', autocomplete: 'off' })),
      h('div', { class: 'field field--checkbox' }, h('input', { id: 'filter-untagged', name: 'untagged', type: 'checkbox' }), h('label', { for: 'filter-untagged' }, messages.filterUntagged)),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button', id: 'filter-submit' }, messages.applyFilters)),
    );
  }

  function draw(): void {
    if (!summary || !preview || !history || !page) return;
    const current = summary;
    const currentPreview = preview;
    const currentHistory = history;
    const currentPage = page;
    const open = current.state === 'OPEN';
    document.title = `${current.customer.name} — ${messages.draftsTitle} — ${messages.appName}`;
    heading.update(JSON.stringify([current.state, current.revision, current.counts, current.runId, review]), () => renderDraftHeading(current, review));
    importReport.update(JSON.stringify(current.importReport?.counts ?? null), () => renderImportReport(current));
    if (review) reviewSection.update(JSON.stringify([current.state, currentPreview.complete, currentPreview.counts, currentPreview.untaggedIds, currentPreview.errors]), () => renderReview(current, currentPreview, startRun));
    applications.update(JSON.stringify([current.applications, open && canEdit]), () => (open && canEdit ? renderApplications(current, pickApplication) : renderApplications(current, () => undefined)));
    previewSection.update(JSON.stringify(currentPreview), () => renderPreview(currentPreview));
    workloads.update(JSON.stringify([currentPage, [...checked]]), () => {
      const rows = renderWorkloadRows(currentPage, checked, (workloadId, on) => {
        if (on) checked.add(workloadId);
        else checked.delete(workloadId);
        updateTargets();
      });
      return h(
        'section',
        { class: 'card', id: 'workloads', 'aria-labelledby': 'workloads-title' },
        h('h2', { id: 'workloads-title' }, messages.workloadsTitle),
        filterForm,
        h(
          'div',
          { class: 'table-scroll', role: 'region', tabindex: 0, 'aria-labelledby': 'workloads-caption' },
          h(
            'table',
            { class: 'table', id: 'workloads-table' },
            h('caption', { id: 'workloads-caption' }, messages.workloadsCaption(currentPage.workloads.length, currentPage.total)),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h(
                  'th',
                  { scope: 'col' },
                  h('input', {
                    type: 'checkbox',
                    id: 'pick-all',
                    'aria-label': messages.selectAll,
                    on: {
                      change: (event) => {
                        const on = (event.target as HTMLInputElement).checked;
                        for (const workload of currentPage.workloads) if (on) checked.add(workload.id);
                        else checked.delete(workload.id);
                        workloads.invalidate();
                        draw();
                        updateTargets();
                      },
                    },
                  }),
                ),
                [messages.colWorkload, messages.colApplication, messages.colKind, messages.colOs, messages.colSize, messages.colCriticality, messages.colCategories, messages.colTagged].map((label) => h('th', { scope: 'col' }, label)),
              ),
            ),
            h('tbody', {}, rows),
          ),
        ),
        h(
          'nav',
          { class: 'pager', 'aria-label': 'pagination' },
          offset > 0 ? h('button', { type: 'button', class: 'button', id: 'workloads-previous', on: { click: () => void loadWorkloads(Math.max(0, offset - PAGE_SIZE)) } }, messages.previousPage) : null,
          offset + currentPage.workloads.length < currentPage.total
            ? h('button', { type: 'button', class: 'button', id: 'workloads-next', on: { click: () => void loadWorkloads(offset + PAGE_SIZE) } }, messages.nextPage)
            : null,
        ),
      );
    });
    comments.update(JSON.stringify([currentHistory.comments, open]), () => renderComments(currentHistory, currentPage.workloads.map((workload) => workload.id), open && canEdit, comment));
    audit.update(JSON.stringify(currentHistory.audit), () => renderDraftAudit(currentHistory));
    tagForm.hidden = !(open && canEdit);
    updateTargets();
  }

  async function loadWorkloads(nextOffset = offset): Promise<void> {
    try {
      page = await context.client.listDraftWorkloads(id, { ...filters, offset: nextOffset, limit: PAGE_SIZE }, controller.signal);
      offset = nextOffset;
      draw();
    } catch (error) {
      if (!controller.signal.aborted) context.fail(error, failure);
    }
  }

  /** Reads everything again: after an edit, and when someone else's edit moved the revision. */
  async function reload(): Promise<void> {
    const [nextSummary, nextPreview, nextHistory, nextPage] = await Promise.all([
      context.client.readDraft(id, controller.signal),
      context.client.previewDraft(id, controller.signal),
      context.client.readDraftHistory(id, controller.signal),
      context.client.listDraftWorkloads(id, { ...filters, offset, limit: PAGE_SIZE }, controller.signal),
    ]);
    summary = nextSummary;
    preview = nextPreview;
    history = nextHistory;
    page = nextPage;
    draw();
  }

  async function follow(): Promise<void> {
    if (!summary) return;
    try {
      const [latest, latestHistory] = await Promise.all([context.client.readDraft(id, controller.signal), context.client.readDraftHistory(id, controller.signal)]);
      if (latest.revision !== summary.revision || latest.state !== summary.state) await reload();
      else if (latestHistory.auditTotal !== history?.auditTotal) {
        history = latestHistory;
        draw();
      }
    } catch (error) {
      if (!controller.signal.aborted && !(error instanceof ApiError && error.status !== 401)) context.fail(error, failure);
    }
  }

  main.replaceChildren(h('p', { class: 'loading' }, messages.loading));
  reload()
    .then(() => {
      if (!summary) return;
      tagForm.querySelector('#tag-fields')?.replaceChildren(...renderTagFields(categoryEffects(summary.customer.type)));
      drawFilterForm(summary);
      main.replaceChildren(
        h('p', { class: 'breadcrumb' }, h('a', { href: '#/drafts' }, messages.backToDrafts)),
        heading.host,
        h('p', { class: 'live' }, messages.liveDraft),
        flash,
        failure,
        importReport.host,
        reviewSection.host,
        h('div', { class: 'columns' }, h('div', { class: 'column' }, applications.host, tagForm), h('div', { class: 'column' }, previewSection.host)),
        workloads.host,
        comments.host,
        audit.host,
      );
      workloads.invalidate();
      draw();
      document.getElementById('page-title')?.focus();
    })
    .catch((error: unknown) => {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && error.status === 404) {
        renderNotFound(main);
        document.getElementById('page-title')?.focus();
        return;
      }
      context.fail(error, failure);
      main.replaceChildren(failure);
    });
  const timer = setInterval(() => void follow(), DRAFT_REFRESH_MS);
  return () => {
    clearInterval(timer);
    controller.abort();
  };
}
