import type { HostingLevel, RunStatus, StepState } from '../../domain';
import { h } from '../dom';
import { t } from '../i18n';

/** A run status as a coloured label (the colour repeats the word, never replaces it). */
export function statusBadge(status: RunStatus): HTMLElement {
  return h('span', { class: `badge badge--${status.toLowerCase()}` }, t().statuses[status]);
}

/** A step state as a coloured label. */
export function stepStateBadge(state: StepState): HTMLElement {
  return h('span', { class: `badge badge--step-${state.toLowerCase()}` }, t().stepStates[state]);
}

/** A hosting level as a coloured label. */
export function levelBadge(level: HostingLevel): HTMLElement {
  return h('span', { class: `badge badge--level-${level.toLowerCase().replace(/_/g, '-')}` }, t().levels[level]);
}

/**
 * A progress bar that assistive technologies read as such: named by `labelId`, its value
 * as a percentage, and the same value written next to it for everyone.
 */
export function progressBar(percent: number, labelId: string, options: { failed?: boolean; valueText?: string } = {}): HTMLElement {
  const clamped = Math.max(0, Math.min(100, Math.round(percent)));
  const fill = h('div', { class: `bar__fill${options.failed ? ' bar__fill--failed' : ''}` });
  // CSSOM, not a style attribute: the page's Content-Security-Policy allows no inline style.
  fill.style.width = `${clamped}%`;
  return h(
    'div',
    { class: 'bar-row' },
    h(
      'div',
      {
        class: 'bar',
        role: 'progressbar',
        'aria-labelledby': labelId,
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': clamped,
        'aria-valuetext': options.valueText ? `${clamped} % — ${options.valueText}` : `${clamped} %`,
      },
      fill,
    ),
    h('span', { class: 'bar__value', 'aria-hidden': 'true' }, `${clamped} %`),
  );
}
