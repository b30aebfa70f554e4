import type { MigrationListFilters, MigrationSummary } from '../../client/api-client';
import { PHASES, type RunStatus } from '../../domain/run';
import type { AppContext, Cleanup } from '../app-context';
import { h, idFragment, Section } from '../dom';
import { formatDateTime, t } from '../i18n';
import { hasRole } from '../session';
import { statusBadge } from './widgets';

/** How often the list reads the runs again while it is shown. */
const LIST_REFRESH_MS = 5_000;

const FILTER_NAMES = ['status', 'phase', 'customer', 'needsAttention', 'cursor'] as const;

function filtersFrom(query: URLSearchParams): MigrationListFilters {
  return {
    ...(query.get('status') ? { status: query.get('status')! } : {}),
    ...(query.get('phase') ? { phase: query.get('phase')! } : {}),
    ...(query.get('customer') ? { customer: query.get('customer')! } : {}),
    ...(query.get('needsAttention') === 'true' ? { needsAttention: true } : {}),
    ...(query.get('cursor') ? { cursor: query.get('cursor')! } : {}),
    limit: 25,
  };
}

function listHash(values: Partial<Record<(typeof FILTER_NAMES)[number], string>>): string {
  const query = new URLSearchParams();
  for (const name of FILTER_NAMES) if (values[name]) query.set(name, values[name]);
  const text = query.toString();
  return text ? `#/?${text}` : '#/';
}

function select(id: string, label: string, options: readonly { value: string; label: string }[], selected: string | null) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'select',
      { id, name: id },
      h('option', { value: '' }, t().filterAny),
      options.map((option) => h('option', { value: option.value, selected: option.value === selected }, option.label)),
    ),
  );
}

function renderRows(items: readonly MigrationSummary[]) {
  const messages = t();
  return items.map((item) =>
    h(
      'tr',
      {},
      h(
        'th',
        { scope: 'row' },
        h('a', { href: `#/migrations/${encodeURIComponent(item.id)}`, id: `link-${idFragment(item.id)}` }, item.id),
        item.needsAttention ? h('span', { class: 'badge badge--attention' }, messages.needsAttention) : null,
      ),
      h('td', {}, item.customerId ?? '—'),
      h('td', {}, item.phase ? messages.phases[item.phase] : '—'),
      h('td', {}, item.status ? statusBadge(item.status) : '—'),
      h('td', {}, formatDateTime(item.startedAt)),
      h('td', {}, formatDateTime(item.closedAt)),
    ),
  );
}

/** The list of migrations the user may see, with filters and pages, refreshed while shown. */
export function renderList(main: HTMLElement, context: AppContext, query: URLSearchParams): Cleanup {
  const messages = t();
  const filters = filtersFrom(query);
  const staff = hasRole(context.session, 'consultant') || hasRole(context.session, 'ops');
  const results = new Section(h('div', { class: 'results', 'aria-live': 'off' }));
  const controller = new AbortController();

  const form = h(
    'form',
    {
      class: 'filters card',
      role: 'search',
      'aria-labelledby': 'filters-title',
      on: {
        submit: (event) => {
          event.preventDefault();
          const data = new FormData(event.target as HTMLFormElement);
          const field = (name: string) => {
            const value = data.get(name);
            return typeof value === 'string' ? value.trim() : '';
          };
          context.navigate(
            listHash({ status: field('status'), phase: field('phase'), customer: field('customer'), needsAttention: field('needsAttention') ? 'true' : '' }),
          );
        },
      },
    },
    h('h2', { id: 'filters-title', class: 'visually-hidden' }, messages.filtersTitle),
    select(
      'status',
      messages.filterStatus,
      (Object.keys(messages.statuses) as RunStatus[]).map((status) => ({ value: status, label: messages.statuses[status] })),
      query.get('status'),
    ),
    select('phase', messages.filterPhase, PHASES.map((phase) => ({ value: phase, label: messages.phases[phase] })), query.get('phase')),
    staff
      ? h('div', { class: 'field' }, h('label', { for: 'customer' }, messages.filterCustomer), h('input', { id: 'customer', name: 'customer', type: 'text', value: query.get('customer') ?? '', autocomplete: 'off' }))
      : null,
    h(
      'div',
      { class: 'field field--checkbox' },
      h('input', { id: 'needsAttention', name: 'needsAttention', type: 'checkbox', checked: query.get('needsAttention') === 'true' }),
      h('label', { for: 'needsAttention' }, messages.filterNeedsAttention),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'button button--primary' }, messages.applyFilters),
      h('button', { type: 'button', class: 'button', on: { click: () => context.navigate('#/') } }, messages.resetFilters),
    ),
  );

  const load = async () => {
    try {
      const page = await context.client.listMigrations(filters, controller.signal);
      results.update(JSON.stringify([page, document.documentElement.lang]), () => [
        h(
          'div',
          { class: 'table-scroll', role: 'region', 'aria-labelledby': 'list-caption', tabindex: 0 },
          h(
            'table',
            { class: 'table' },
            h('caption', { id: 'list-caption' }, messages.listCaption(page.items.length)),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [messages.colMigration, messages.colCustomer, messages.colPhase, messages.colStatus, messages.colStarted, messages.colClosed].map((label) =>
                  h('th', { scope: 'col' }, label),
                ),
              ),
            ),
            h('tbody', {}, renderRows(page.items)),
          ),
        ),
        page.items.length === 0 ? h('p', { class: 'empty' }, messages.noMigrations) : null,
        h(
          'nav',
          { class: 'pager', 'aria-label': 'pagination' },
          filters.cursor
            ? h('a', { class: 'button', href: listHash({ ...Object.fromEntries(query), cursor: '' }), id: 'first-page' }, messages.firstPage)
            : null,
          page.nextCursor
            ? h('a', { class: 'button', href: listHash({ ...Object.fromEntries(query), cursor: page.nextCursor }), id: 'next-page' }, messages.nextPage)
            : null,
        ),
      ]);
    } catch (error) {
      if (!controller.signal.aborted) context.fail(error, results.host);
    }
  };

  main.replaceChildren(
    h(
      'div',
      { class: 'page-heading' },
      h('h1', { id: 'page-title', tabindex: -1 }, messages.migrationsTitle),
      h('button', { type: 'button', class: 'button', id: 'refresh', on: { click: () => void load() } }, messages.refresh),
    ),
    form,
    results.host,
  );
  void load();
  const timer = setInterval(() => void load(), LIST_REFRESH_MS);
  return () => {
    clearInterval(timer);
    controller.abort();
  };
}
