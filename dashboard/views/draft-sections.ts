/**
 * The parts of a draft plan's page (the classification questionnaire and its review), each
 * drawn from what the API answered. The view decides when to redraw them.
 */
import type { DraftWorkloadsPage } from '../../domain/draft-views';
import type { CategoryEffect, DataCategory, DraftHistory, DraftPreview, DraftSummary } from '../../domain';
import { approverRoleLabel, dataCategoryLabel, renderStoredMessage } from '../../domain/messages';
import { type Child, h, idFragment } from '../dom';
import { formatDateTime, language, t } from '../i18n';
import { levelBadge } from './widgets';

/** Where docs/rules.md is served, as the dashboard's build copies it next to the page. */
export const RULES_URL = '/dashboard/rules.md';

function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...children);
}

function table(label: string, headers: readonly Child[], rows: readonly HTMLTableRowElement[], id?: string): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll', role: 'region', tabindex: 0, 'aria-label': label, ...(id ? { id } : {}) },
    h('table', { class: 'table' }, h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))), h('tbody', {}, rows)),
  );
}

function ruleList(rules: readonly string[]): Child {
  const messages = t();
  return rules.map((rule, index) => [index > 0 ? ' ' : null, h('abbr', { title: messages.ruleNames[rule] ?? rule, class: 'rule' }, rule)]);
}

/** The page's heading: whose plan, its state, who imported it, how far the classification went, the run started from it. */
export function renderDraftHeading(summary: DraftSummary, review: boolean): Child {
  const messages = t();
  const { counts } = summary;
  return [
    h(
      'div',
      { class: 'page-heading' },
      h(
        'div',
        {},
        h('h1', { id: 'page-title', tabindex: -1 }, review ? messages.reviewTitle(summary.customer.name) : messages.questionnaireTitle(summary.customer.name)),
        h('p', { class: 'run-id' }, h('code', {}, summary.draftId)),
      ),
      h(
        'div',
        { class: 'summary-status' },
        h('span', { class: `badge ${summary.state === 'OPEN' ? 'badge--waiting' : 'badge--completed'}`, id: 'draft-state' }, messages.draftStates[summary.state] ?? summary.state),
      ),
    ),
    h('p', { class: 'meta' }, messages.draftMeta(summary.createdBy, formatDateTime(summary.createdAt), summary.revision)),
    h('p', { id: 'draft-counts' }, messages.draftCounts(counts.tagged, counts.included, counts.excluded)),
    summary.runId
      ? h('p', { class: 'message message--success', id: 'draft-run' }, messages.runFromDraft(summary.runId), ' ', h('a', { href: `#/migrations/${encodeURIComponent(summary.runId)}`, id: 'draft-run-link' }, messages.openRun))
      : h('p', { class: 'hint' }, messages.questionnaireIntro),
  ];
}

/** What the import inferred, missed and refused, by code, folded away. */
export function renderImportReport(summary: DraftSummary): Child {
  const report = summary.importReport;
  if (!report) return null;
  const messages = t();
  const lists = (['inferred', 'missing', 'refused'] as const).filter((list) => Object.keys(report.counts[list]).length > 0);
  return h(
    'details',
    { id: 'import-report', class: 'card' },
    h('summary', {}, messages.importReportTitle),
    h(
      'dl',
      { class: 'facts' },
      lists.map((list) => [
        h('dt', {}, messages.importReportCounts(list)),
        h('dd', {}, Object.entries(report.counts[list]).map(([code, count]) => `${code} ${count}`).join(', ')),
      ]),
    ),
    h('ul', {}, [...report.missing, ...report.refused].slice(0, 20).map((item) => h('li', {}, `${item.file}${item.sheet ? `, ${item.sheet}` : ''}${item.line ? `, ${item.line}` : ''}${item.column ? `, « ${item.column} »` : ''} : ${item.message}`))),
  );
}

/** The consultant's review: what is untagged or invalid, and the start, offered only when nothing is. */
export function renderReview(summary: DraftSummary, preview: DraftPreview, onStart: () => void): Child {
  const messages = t();
  const open = summary.state === 'OPEN';
  const ready = preview.complete && open;
  return section(
    'review',
    messages.reviewSectionTitle,
    preview.counts.untagged > 0
      ? [
          h('h3', {}, messages.reviewUntagged, ` (${preview.counts.untagged})`),
          h('p', { id: 'review-untagged' }, preview.untaggedIds.join(', '), preview.counts.untagged > preview.untaggedIds.length ? ' …' : ''),
        ]
      : null,
    preview.errors.length > 0
      ? [h('h3', {}, messages.reviewInvalid), h('ul', { id: 'review-errors' }, preview.errors.map((error) => h('li', {}, h('code', {}, error.path), ' ', error.message)))]
      : null,
    open ? h('p', { class: ready ? 'message message--success' : 'hint', id: 'review-verdict' }, ready ? messages.reviewReady : messages.reviewBlocked) : null,
    open
      ? h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'button button--primary', id: 'start-run', disabled: !ready, 'aria-describedby': 'review-verdict', on: { click: onStart } }, messages.startRun),
        )
      : null,
  );
}

/** The applications the export named; each can be picked as the questionnaire's filter. */
export function renderApplications(summary: DraftSummary, onPick: (application: string) => void): Child {
  const messages = t();
  return section(
    'applications',
    messages.applicationsTitle,
    summary.applications.length === 0
      ? h('p', { class: 'hint' }, messages.applicationsNone)
      : h(
          'ul',
          { class: 'application-list' },
          summary.applications.map((application) =>
            h(
              'li',
              { id: `application-${idFragment(application.name)}` },
              h('strong', {}, application.name),
              ' ',
              h('span', { class: 'hint' }, messages.applicationRow(application.workloads, application.untagged)),
              ' ',
              h(
                'button',
                { type: 'button', class: 'button button--quiet', 'aria-label': `${messages.selectApplication} : ${application.name}`, on: { click: () => onPick(application.name) } },
                messages.selectApplication,
              ),
            ),
          ),
        ),
  );
}

/** One category's checkbox, with what it means and what it triggers for this customer, in the reader's language. */
function categoryChoice(effect: CategoryEffect): HTMLElement {
  const messages = t();
  const id = `category-${effect.category}`;
  const approvals = effect.approvals.map((approval) => messages.approvalNames[approval] ?? approval).join(', ');
  const level = effect.level ? `${messages.levels[effect.level]}${effect.hds ? ` + ${messages.categoryHds}` : ''}` : '';
  return h(
    'li',
    { class: 'category' },
    h('input', { type: 'checkbox', id, name: 'dataCategories', value: effect.category, disabled: !effect.allowed, 'aria-describedby': `${id}-effect` }),
    h('label', { for: id }, h('strong', {}, dataCategoryLabel(effect.category, language())), ' ', h('code', {}, effect.category)),
    h(
      'p',
      { class: 'hint', id: `${id}-effect` },
      messages.categoryMeanings[effect.category] ?? '',
      '. ',
      effect.allowed ? messages.categoryEffect(effect.rules.join(', '), level, approvals) : messages.categoryNotAllowed,
      ' ',
      h('a', { href: RULES_URL, class: 'rules-link' }, effect.rules.join(', ') || messages.rulesLink),
    ),
  );
}

/** The fields of the tagging form: categories explained, criticality, exclusion, comment. */
export function renderTagFields(effects: readonly CategoryEffect[]): HTMLElement[] {
  const messages = t();
  return [
    h(
      'fieldset',
      { class: 'categories' },
      h('legend', {}, messages.tagCategories),
      h('ul', { class: 'category-list' }, effects.map(categoryChoice)),
      h('p', { class: 'hint' }, h('a', { href: RULES_URL, id: 'questionnaire-rules-link' }, messages.rulesLink)),
    ),
    h(
      'div',
      { class: 'filters' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'tag-criticality' }, messages.tagCriticality),
        h(
          'select',
          { id: 'tag-criticality', name: 'criticality' },
          h('option', { value: '' }, messages.tagUnchanged),
          ['LOW', 'MEDIUM', 'HIGH'].map((level) => h('option', { value: level }, messages.criticalities[level] ?? level)),
        ),
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'tag-exclusion' }, messages.tagExclusion),
        h(
          'select',
          { id: 'tag-exclusion', name: 'exclusion' },
          h('option', { value: '' }, messages.tagExclusionKeep),
          h('option', { value: 'exclude' }, messages.tagExclude),
          h('option', { value: 'include' }, messages.tagInclude),
        ),
      ),
      h('div', { class: 'field' }, h('label', { for: 'tag-exclusion-reason' }, messages.tagExclusionReason), h('input', { id: 'tag-exclusion-reason', name: 'exclusionReason', type: 'text', autocomplete: 'off' })),
    ),
    h('div', { class: 'field' }, h('label', { for: 'tag-comment' }, messages.tagComment), h('textarea', { id: 'tag-comment', name: 'comment', rows: 2 })),
  ];
}

/** The page of workloads: checkboxes to pick them, what the export knew, the answers so far and who gave them. */
export function renderWorkloadRows(page: DraftWorkloadsPage, checked: ReadonlySet<string>, onCheck: (id: string, on: boolean) => void): HTMLTableRowElement[] {
  const messages = t();
  return page.workloads.map((workload) =>
    h(
      'tr',
      { id: `draft-workload-${idFragment(workload.id)}`, class: workload.excluded ? 'row--excluded' : '' },
      h(
        'td',
        {},
        h('input', {
          type: 'checkbox',
          id: `pick-${idFragment(workload.id)}`,
          checked: checked.has(workload.id),
          'aria-label': messages.selectWorkload(workload.name),
          on: { change: (event) => onCheck(workload.id, (event.target as HTMLInputElement).checked) },
        }),
      ),
      h('th', { scope: 'row' }, workload.name, h('br'), h('code', {}, workload.id)),
      h('td', {}, workload.application ?? '—'),
      h('td', {}, workload.kind),
      h('td', {}, workload.facts.os ?? '—'),
      h('td', {}, String(workload.sizeGb)),
      h('td', {}, messages.criticalities[workload.criticality] ?? workload.criticality),
      h(
        'td',
        { class: 'categories-cell' },
        workload.excluded
          ? h('span', { class: 'hint' }, messages.excludedMark(workload.excluded.reason))
          : workload.dataCategories.length === 0
            ? h('span', { class: 'badge badge--attention' }, messages.untaggedMark)
            : workload.dataCategories.map((category: DataCategory, index) => [index > 0 ? ', ' : null, h('abbr', { title: category }, dataCategoryLabel(category, language()))]),
      ),
      h('td', {}, workload.tagged ? messages.taggedBy(workload.tagged.by, formatDateTime(workload.tagged.at)) : '—'),
    ),
  );
}

/** The live preview: the approvals the classification will ask for, each tagged workload's level and rules, what is left and what is wrong. */
export function renderPreview(preview: DraftPreview): Child {
  const messages = t();
  const classification = preview.classification;
  return section(
    'preview',
    messages.previewTitle,
    h('p', { class: 'hint' }, messages.previewIntro),
    h(
      'p',
      { id: 'preview-state', class: preview.complete ? 'message message--success' : 'message message--info' },
      preview.complete ? messages.previewComplete : messages.previewUntagged(preview.counts.untagged),
    ),
    preview.errors.length > 0
      ? [h('h3', {}, messages.previewInvalid), h('ul', { id: 'preview-errors' }, preview.errors.map((error) => h('li', {}, h('code', {}, error.path), ' ', error.message)))]
      : null,
    classification === undefined
      ? h('p', {}, messages.previewNothing)
      : [
          h('p', { id: 'preview-summary' }, messages.previewSummary(classification.summary.migrating, classification.summary.hds)),
          h('h3', {}, messages.previewApprovals),
          h(
            'ul',
            { id: 'preview-approvals' },
            classification.approvals.map((approval) =>
              h(
                'li',
                { id: `preview-approval-${approval.id}` },
                h('strong', {}, messages.approvalNames[approval.id] ?? approval.id),
                ` (${approverRoleLabel(approval.role, language())}) : `,
                approval.reasons.map((reason) => renderStoredMessage(reason, language())).join(' ; '),
              ),
            ),
          ),
          h('h3', {}, messages.previewWorkloads),
          table(
            messages.previewWorkloads,
            [messages.colWorkload, messages.colLevel, messages.colHds, messages.colRules],
            classification.workloads.map((workload) =>
              h(
                'tr',
                { id: `preview-workload-${idFragment(workload.id)}` },
                h('th', { scope: 'row' }, h('code', {}, workload.id)),
                h('td', {}, levelBadge(workload.level)),
                h('td', {}, workload.hds ? messages.yes : messages.no),
                h('td', {}, ruleList(workload.rules)),
              ),
            ),
            'preview-table',
          ),
          classification.warnings.length > 0
            ? [h('h3', {}, messages.warningsTitle), h('ul', {}, classification.warnings.map((warning) => h('li', {}, renderStoredMessage(warning.description, language()))))]
            : null,
          h('p', {}, h('a', { href: RULES_URL, id: 'rules-link' }, messages.rulesLink)),
        ],
  );
}

/** The comments, newest last, and the form to add one (on the plan or on one workload). */
export function renderComments(history: DraftHistory, workloadIds: readonly string[], canComment: boolean, onComment: (text: string, workloadId: string | undefined, feedback: HTMLElement) => void): Child {
  const messages = t();
  const feedback = h('p', { class: 'message message--error', role: 'alert', id: 'comment-error' });
  feedback.hidden = true;
  const text = h('textarea', { id: 'comment-text', name: 'text', rows: 2 });
  const about = h('select', { id: 'comment-workload', name: 'workloadId' }, h('option', { value: '' }, messages.commentWholeDraft), workloadIds.map((id) => h('option', { value: id }, id)));
  return section(
    'comments',
    messages.commentsTitle,
    history.comments.length === 0
      ? h('p', {}, messages.commentsNone)
      : h(
          'ol',
          { class: 'timeline', id: 'comment-list' },
          history.comments.map((comment) =>
            h('li', {}, h('time', { datetime: comment.at }, formatDateTime(comment.at)), ' ', h('strong', {}, comment.by), comment.workloadId ? [' · ', h('code', {}, comment.workloadId)] : null, ' — ', comment.text),
          ),
        ),
    canComment
      ? h(
          'form',
          {
            class: 'approval__form',
            on: {
              submit: (event) => {
                event.preventDefault();
                onComment(text.value.trim(), about.value || undefined, feedback);
              },
            },
          },
          h('label', { for: text.id }, messages.commentText),
          text,
          h('label', { for: about.id }, messages.commentWorkload),
          about,
          h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button', id: 'comment-submit' }, messages.commentSubmit)),
          feedback,
        )
      : null,
  );
}

/** The draft's audit trail: who imported, tagged, commented and started what, and when. */
export function renderDraftAudit(history: DraftHistory): Child {
  const messages = t();
  return section(
    'draft-audit',
    messages.draftAuditTitle,
    table(
      messages.draftAuditTitle,
      [messages.colWhen, messages.colWho, messages.colAction, messages.colDetail, messages.colComment],
      [...history.audit].reverse().map((entry) =>
        h(
          'tr',
          {},
          h('td', {}, h('time', { datetime: entry.at }, formatDateTime(entry.at))),
          h('td', {}, entry.actor),
          h('td', {}, messages.draftAuditActions[entry.action] ?? entry.action),
          h(
            'td',
            {},
            entry.message
              ? renderStoredMessage(entry.message, language())
              : [entry.detail, entry.workloadIds && entry.workloadIds.length > 0 ? [h('br'), h('span', { class: 'hint' }, entry.workloadIds.join(', '))] : null],
          ),
          h('td', {}, entry.comment ?? ''),
        ),
      ),
      'draft-audit-table',
    ),
  );
}
