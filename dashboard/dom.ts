/**
 * A few DOM helpers. Elements are built with properties and text nodes, never from HTML
 * strings, so that nothing the API returns can inject markup.
 */

/** What may stand as a child: nodes, text, and nothing (skipped). */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

/** Attributes (`aria-*`, `data-*`, `class`, …), a few properties, and event listeners. */
export interface Props {
  [attribute: string]: string | number | boolean | undefined | null | EventListeners;
  on?: EventListeners;
}

/** Event listeners by event name. */
export type EventListeners = { [event: string]: (event: Event) => void };

/** Properties set as such rather than as attributes, so that they reflect the live state. */
const PROPERTY_NAMES = new Set(['value', 'checked', 'selected', 'disabled']);

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const item of child as readonly Child[]) append(parent, item);
    return;
  }
  parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child as string | number)));
}

/** Creates an element: `h('button', { type: 'button', on: { click } }, 'Approve')`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'on') {
      for (const [event, listener] of Object.entries((value as EventListeners | undefined) ?? {})) element.addEventListener(event, listener);
    } else if (value === undefined || value === null || value === false || typeof value === 'object') {
      continue;
    } else if (PROPERTY_NAMES.has(name)) {
      (element as unknown as Record<string, unknown>)[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children) append(element, child);
  return element;
}

/** Turns any string into something usable in an element id. */
export function idFragment(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * A part of a page that is redrawn when its data changes and only then. A redraw keeps what
 * the user was doing: the value of every field and the focus, matched by element id, so that
 * live updates never take a half-written comment or the keyboard focus away.
 */
export class Section {
  private signature: string | undefined;

  constructor(readonly host: HTMLElement) {}

  /** Redraws with `render` unless `signature` is the one drawn last. */
  update(signature: string, render: () => Child): void {
    if (signature === this.signature) return;
    this.signature = signature;
    const values = new Map<string, string>();
    for (const field of this.host.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[id], textarea[id]')) {
      if (field.type !== 'checkbox') values.set(field.id, field.value);
    }
    const openDetails = new Set([...this.host.querySelectorAll<HTMLDetailsElement>('details[id][open]')].map((details) => details.id));
    const focused = document.activeElement instanceof HTMLElement && this.host.contains(document.activeElement) ? document.activeElement.id : '';
    const fragment = document.createDocumentFragment();
    append(fragment, render());
    this.host.replaceChildren(fragment);
    for (const [id, value] of values) {
      const field = document.getElementById(id);
      if ((field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) && this.host.contains(field) && field.value === '') field.value = value;
    }
    for (const id of openDetails) {
      const details = document.getElementById(id);
      if (details instanceof HTMLDetailsElement && this.host.contains(details)) details.open = true;
    }
    if (focused) {
      const target = document.getElementById(focused);
      if (target && this.host.contains(target)) {
        target.focus({ preventScroll: true });
      } else {
        // The button just used is gone (an approval decided): keep the keyboard in this part of the page.
        const heading = this.host.querySelector<HTMLElement>('h2, h3');
        if (heading) {
          heading.tabIndex = -1;
          heading.focus({ preventScroll: true });
        }
      }
    }
  }

  /** Forgets what was drawn, so that the next update redraws. */
  invalidate(): void {
    this.signature = undefined;
  }
}
