/**
 * Tables over a run's paged collections (workloads, steps, timeline, audit): the first page
 * when shown, the next one on "show more", an optional filter. A run of any size opens with
 * one page of each, never its whole estate.
 */
import type { RunPage } from '../../domain';
import { type Child, h } from '../dom';
import { t } from '../i18n';

/** A filter of a paged table: a select whose value goes to the page request. */
export interface PageFilter {
  id: string;
  label: string;
  options: readonly (readonly [value: string, label: string])[];
}

/** What a paged table shows and how it reads its pages. */
export interface PagedTableOptions<Item> {
  id: string;
  caption: string | null;
  headers: readonly string[];
  row(item: Item): HTMLTableRowElement | HTMLLIElement;
  load(cursor: string | undefined, filter: string | undefined): Promise<RunPage<Item>>;
  filter?: PageFilter;
  /** A list (`ol`) rather than a table, for the timeline. */
  list?: boolean;
  /** Rows already known (the overview's newest entries), shown before any page is read; the first "show more" then reads the first page. */
  preset?: readonly Item[];
  /** Reports a failed read, as the page reports its other failures. */
  fail(error: unknown): void;
}

/** A table that reads its first page at once (or shows `preset`) and the next ones on demand. */
export function pagedTable<Item>(options: PagedTableOptions<Item>): HTMLElement {
  const messages = t();
  const body = options.list ? h('ol', { class: 'timeline', id: `${options.id}-rows` }) : h('tbody', { id: `${options.id}-rows` });
  const more = h('button', { type: 'button', class: 'button', id: `${options.id}-more` }, options.preset ? messages.showOlder : messages.showMore);
  const empty = h('p', { class: 'hint', id: `${options.id}-empty` }, messages.pageEmpty);
  more.hidden = true;
  empty.hidden = true;
  const select = options.filter
    ? h(
        'select',
        { id: options.filter.id, name: options.filter.id },
        h('option', { value: '' }, messages.filterAll),
        options.filter.options.map(([value, label]) => h('option', { value }, label)),
      )
    : undefined;
  let cursor: string | undefined;
  let generation = 0;

  async function read(reset: boolean): Promise<void> {
    const mine = reset ? ++generation : generation;
    more.disabled = true;
    try {
      const page = await options.load(reset ? undefined : cursor, select?.value || undefined);
      if (mine !== generation) return;
      if (reset) body.replaceChildren();
      for (const item of page.items) body.appendChild(options.row(item));
      cursor = page.nextCursor ?? undefined;
      more.hidden = cursor === undefined;
      empty.hidden = body.childElementCount > 0;
    } catch (error) {
      options.fail(error);
    } finally {
      more.disabled = false;
    }
  }

  if (options.preset) {
    for (const item of options.preset) body.appendChild(options.row(item));
    more.hidden = false;
    // The first "show more" reads the first page afresh: it holds the preset rows and older ones.
    more.addEventListener('click', () => void read(cursor === undefined), { once: false });
  } else {
    more.addEventListener('click', () => void read(false));
    void read(true);
  }
  const content: Child = options.list
    ? body
    : h(
        'div',
        { class: 'table-scroll', role: 'region', tabindex: 0, 'aria-label': options.caption ?? options.headers.join(', '), id: options.id },
        h(
          'table',
          { class: 'table' },
          options.caption ? h('caption', {}, options.caption) : null,
          h('thead', {}, h('tr', {}, options.headers.map((header) => h('th', { scope: 'col' }, header)))),
          body,
        ),
      );
  return h(
    'div',
    { class: 'paged' },
    select && options.filter
      ? h(
          'form',
          {
            class: 'inline-form',
            on: {
              submit: (event) => {
                event.preventDefault();
                void read(true);
              },
            },
          },
          h('label', { for: select.id }, options.filter.label),
          select,
          h('button', { type: 'submit', class: 'button' }, messages.filterApply),
        )
      : null,
    content,
    empty,
    more,
  );
}
