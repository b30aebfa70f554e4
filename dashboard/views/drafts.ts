import { ApiError } from '../../client/api-client';
import type { DraftListItem } from '../../domain';
import { customerTypeLabel } from '../../domain/messages';
import { CUSTOMER_TYPES } from '../../domain/plan';
import type { AppContext, Cleanup } from '../app-context';
import { h, idFragment, Section } from '../dom';
import { formatDateTime, language, t } from '../i18n';
import { mayDo } from '../session';

/** How often the list reads the drafts again while it is shown. */
const LIST_REFRESH_MS = 5_000;

/** A file's bytes in base64, as the import route takes them (an xlsx workbook is binary). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode takes its bytes as arguments, and arguments are bounded.
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

function renderRows(items: readonly DraftListItem[]) {
  const messages = t();
  return items.map((item) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('a', { href: `#/drafts/${encodeURIComponent(item.id)}`, id: `draft-link-${idFragment(item.id)}` }, item.id)),
      h('td', {}, item.customerId ?? '—'),
      h('td', {}, h('span', { class: `badge ${item.open ? 'badge--waiting' : 'badge--completed'}` }, item.open ? messages.draftOpen : messages.draftClosed)),
      h('td', {}, formatDateTime(item.createdAt)),
    ),
  );
}

/** The import form of consultants: the customer and the export files, sent in base64; a refusal names every problem. */
function importForm(context: AppContext): HTMLElement {
  const messages = t();
  const feedback = h('div', { class: 'message message--error', role: 'alert', id: 'import-error' });
  feedback.hidden = true;
  const submit = h('button', { type: 'submit', class: 'button button--primary', id: 'import-submit' }, messages.importSubmit);
  return h(
    'form',
    {
      class: 'card',
      id: 'import',
      'aria-labelledby': 'import-title',
      on: {
        submit: (event) => {
          event.preventDefault();
          const form = event.target as HTMLFormElement;
          const data = new FormData(form);
          const text = (name: string) => {
            const value = data.get(name);
            return typeof value === 'string' ? value.trim() : '';
          };
          const files = [...((form.elements.namedItem('files') as HTMLInputElement | null)?.files ?? [])];
          if (text('customerId') === '' || text('customerName') === '' || files.length === 0) {
            feedback.textContent = messages.importMissing;
            feedback.hidden = false;
            return;
          }
          submit.disabled = true;
          feedback.hidden = true;
          void (async () => {
            try {
              const imported = await context.client.importDraft({
                customer: { id: text('customerId'), name: text('customerName'), type: text('customerType') },
                files: await Promise.all(files.map(async (file) => ({ name: file.name, contentBase64: await base64Of(file) }))),
              });
              context.navigate(`#/drafts/${encodeURIComponent(imported.id)}`);
            } catch (error) {
              if (error instanceof ApiError && error.status !== 401) {
                feedback.replaceChildren(
                  h('p', {}, messages.importRefused(messages.apiProblem(error))),
                  h('ul', {}, (error.errors ?? []).map((problem) => h('li', {}, `${problem.path} : ${problem.message}`))),
                );
                feedback.hidden = false;
              } else context.fail(error, feedback);
            } finally {
              submit.disabled = false;
            }
          })();
        },
      },
    },
    h('h2', { id: 'import-title' }, messages.importTitle),
    h('p', { class: 'hint' }, messages.importIntro),
    h(
      'div',
      { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'import-customer-id' }, messages.importCustomerId), h('input', { id: 'import-customer-id', name: 'customerId', type: 'text', autocomplete: 'off' })),
      h('div', { class: 'field' }, h('label', { for: 'import-customer-name' }, messages.importCustomerName), h('input', { id: 'import-customer-name', name: 'customerName', type: 'text', autocomplete: 'off' })),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'import-customer-type' }, messages.importCustomerType),
        h('select', { id: 'import-customer-type', name: 'customerType' }, CUSTOMER_TYPES.map((type) => h('option', { value: type }, `${customerTypeLabel(type, language())} (${type})`))),
      ),
      h('div', { class: 'field' }, h('label', { for: 'import-files' }, messages.importFiles), h('input', { id: 'import-files', name: 'files', type: 'file', multiple: true, accept: '.csv,.xlsx' })),
    ),
    h('div', { class: 'actions' }, submit),
    feedback,
  );
}

/** The drafts the user may see (a customer: its own), and for consultants the import of new exports. */
export function renderDrafts(main: HTMLElement, context: AppContext): Cleanup {
  const messages = t();
  const results = new Section(h('div', { class: 'results', 'aria-live': 'off' }));
  const controller = new AbortController();

  const load = async () => {
    try {
      const page = await context.client.listDrafts({ limit: 50 }, controller.signal);
      results.update(JSON.stringify([page, language()]), () => [
        h(
          'div',
          { class: 'table-scroll', role: 'region', 'aria-labelledby': 'drafts-caption', tabindex: 0 },
          h(
            'table',
            { class: 'table' },
            h('caption', { id: 'drafts-caption' }, messages.draftsCaption(page.items.length)),
            h('thead', {}, h('tr', {}, [messages.colDraft, messages.colCustomer, messages.colDraftState, messages.colCreated].map((label) => h('th', { scope: 'col' }, label)))),
            h('tbody', {}, renderRows(page.items)),
          ),
        ),
        page.items.length === 0 ? h('p', { class: 'empty' }, messages.noDrafts) : null,
      ]);
    } catch (error) {
      if (!controller.signal.aborted) context.fail(error, results.host);
    }
  };

  const page = h(
    'div',
    {},
    h(
      'div',
      { class: 'page-heading' },
      h('h1', { id: 'page-title', tabindex: -1 }, messages.draftsTitle),
      h('button', { type: 'button', class: 'button', id: 'refresh', on: { click: () => void load() } }, messages.refresh),
    ),
    h('p', {}, messages.draftsIntro),
    mayDo(context.session, 'draft.import') ? importForm(context) : null,
    results.host,
  );
  main.replaceChildren(...page.childNodes);
  void load();
  const timer = setInterval(() => void load(), LIST_REFRESH_MS);
  return () => {
    clearInterval(timer);
    controller.abort();
  };
}
