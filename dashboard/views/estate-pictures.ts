/**
 * The two pictures of a run, drawn as SVG by this code from the API's bounded reads: the
 * dependency graph of the estate grouped by wave or zone (`GET /graph`: groups with counts and
 * the dependencies between them, workloads that stay on site apart, hybrid dependencies marked;
 * a group expands to its workloads on click), and the cutover waves against the cutover windows
 * (`GET /schedule`) on a time axis in the customer's time zone. Neither grows with the estate:
 * at ten thousand workloads the graph still draws a few dozen groups.
 */
import {
  type CutoverSchedule,
  type EstateGraph,
  type GraphGrouping,
  graphGroupName,
  HOSTING_LEVELS,
  type HostingLevel,
  type MigrationOverview,
  PICTURE_COLOURS,
  PICTURE_TEXTS,
  type PictureTexts,
  scheduleAxisTicks,
} from '../../domain';
import type { AppContext } from '../app-context';
import { h } from '../dom';
import { language, t } from '../i18n';

const texts = (): PictureTexts => PICTURE_TEXTS[language()];

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes; text children become text nodes. */
function svg(tag: string, attributes: Record<string, string | number | undefined> = {}, ...children: (Node | string | undefined | false)[]): SVGElement {
  const element: SVGElement = document.createElementNS(SVG_NS, tag as 'svg');
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, String(value));
  for (const child of children) if (child !== undefined && child !== false) element.append(child);
  return element;
}

const LEVEL_COLOURS: Record<HostingLevel, string> = PICTURE_COLOURS.levels;
const HYBRID_COLOUR = PICTURE_COLOURS.hybrid;
const HDS_COLOUR = PICTURE_COLOURS.hds;

function legendSwatch(colour: string, label: string, shape: 'box' | 'line' | 'dashed' | 'ring' = 'box'): HTMLElement {
  const mark =
    shape === 'box'
      ? svg('rect', { x: 1, y: 3, width: 14, height: 10, rx: 2, fill: colour })
      : shape === 'ring'
        ? svg('rect', { x: 1, y: 2, width: 14, height: 12, rx: 3, fill: 'none', stroke: colour, 'stroke-width': 2.5 })
        : svg('line', { x1: 0, y1: 8, x2: 16, y2: 8, stroke: colour, 'stroke-width': 2.5, 'stroke-dasharray': shape === 'dashed' ? '4 2' : undefined });
  return h('li', { class: 'legend__item' }, svg('svg', { width: 16, height: 16, 'aria-hidden': 'true' }, mark), ' ', label);
}

const BOX = { width: 168, height: 78, gapX: 36, gapY: 44 };

/** Draws the grouped graph: cloud groups in a grid, the groups that stay on site in their own lane below. */
function drawGraph(graph: EstateGraph, onExpand: (groupId: string) => void, expandedId: string | undefined): SVGElement {
  const words = texts();
  const cloud = graph.groups.filter((group) => group.kind !== 'not-eligible');
  const onSite = graph.groups.filter((group) => group.kind === 'not-eligible');
  const columns = Math.max(1, Math.min(5, cloud.length));
  const cloudRows = Math.max(1, Math.ceil(cloud.length / columns));
  const laneTop = 28 + cloudRows * (BOX.height + BOX.gapY);
  const width = 20 + columns * (BOX.width + BOX.gapX);
  const height = laneTop + (onSite.length > 0 ? 40 + BOX.height + 20 : 10);
  const positions = new Map<string, { x: number; y: number }>();
  cloud.forEach((group, index) => positions.set(group.id, { x: 20 + (index % columns) * (BOX.width + BOX.gapX), y: 28 + Math.floor(index / columns) * (BOX.height + BOX.gapY) }));
  onSite.forEach((group, index) => positions.set(group.id, { x: 20 + index * (BOX.width + BOX.gapX), y: laneTop + 40 }));

  const picture = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'estate-graph', role: 'group', 'aria-label': words.graphSummary(graph.groups.length, graph.workloads) });
  picture.append(
    svg(
      'defs',
      {},
      svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: PICTURE_COLOURS.dependency })),
      svg('marker', { id: 'arrow-hybrid', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: HYBRID_COLOUR })),
    ),
    svg('text', { x: 20, y: 18, class: 'lane-label' }, words.cloudLane),
  );
  if (onSite.length > 0) {
    picture.append(
      svg('line', { x1: 10, y1: laneTop + 8, x2: width - 10, y2: laneTop + 8, stroke: '#999', 'stroke-dasharray': '6 4' }),
      svg('text', { x: 20, y: laneTop + 28, class: 'lane-label' }, words.onSiteLane),
    );
  }
  const edges = svg('g', { class: 'graph-edges' });
  for (const edge of graph.edges) {
    const from = positions.get(edge.from);
    const to = positions.get(edge.to);
    if (!from || !to) continue;
    const x1 = from.x + BOX.width / 2;
    const y1 = from.y + BOX.height / 2;
    const x2 = to.x + BOX.width / 2;
    const y2 = to.y + BOX.height / 2;
    // Ends on the target box's border, so that the arrowhead shows.
    const dx = x2 - x1;
    const dy = y2 - y1;
    const scale = Math.min(Math.abs(dx) > 0 ? BOX.width / 2 / Math.abs(dx) : Infinity, Math.abs(dy) > 0 ? BOX.height / 2 / Math.abs(dy) : Infinity);
    const endX = x2 - dx * scale;
    const endY = y2 - dy * scale;
    const midX = x1 + (endX - x1) / 2;
    const midY = y1 + (endY - y1) / 2 - 18;
    const colour = edge.hybrid ? HYBRID_COLOUR : PICTURE_COLOURS.dependency;
    edges.append(
      svg('path', {
        d: `M${x1},${y1} Q${midX},${midY} ${endX},${endY}`,
        fill: 'none',
        stroke: colour,
        'stroke-width': Math.min(6, 1 + Math.log2(edge.dependencies)),
        'stroke-opacity': 0.75,
        'stroke-dasharray': edge.hybrid ? '6 3' : undefined,
        'marker-end': edge.hybrid ? 'url(#arrow-hybrid)' : 'url(#arrow)',
        class: edge.hybrid ? 'graph-edge graph-edge--hybrid' : 'graph-edge',
        'data-from': edge.from,
        'data-to': edge.to,
      }),
      svg('text', { x: midX, y: midY + 9, class: 'edge-count', fill: colour, 'text-anchor': 'middle' }, String(edge.dependencies)),
    );
  }
  picture.append(edges);
  for (const group of graph.groups) {
    const at = positions.get(group.id)!;
    const name = graphGroupName(group, texts());
    const node = svg('g', {
      class: `graph-group${group.id === expandedId ? ' graph-group--expanded' : ''}`,
      id: `graph-group-${group.id}`,
      'data-group': group.id,
      transform: `translate(${at.x},${at.y})`,
      role: 'button',
      tabindex: 0,
      'aria-label': words.groupSummary(name, words.workloads(group.workloads), group.hybridWorkloads),
      'aria-pressed': group.id === expandedId ? 'true' : 'false',
    });
    node.addEventListener('click', () => onExpand(group.id));
    node.addEventListener('keydown', (event) => {
      if ((event).key === 'Enter' || (event).key === ' ') {
        event.preventDefault();
        onExpand(group.id);
      }
    });
    const hdsZone = group.kind === 'zone' && group.hds === true;
    node.append(
      svg('rect', {
        width: BOX.width,
        height: BOX.height,
        rx: 6,
        fill: '#fff',
        stroke: hdsZone ? HDS_COLOUR : group.kind === 'not-eligible' ? LEVEL_COLOURS.NOT_ELIGIBLE : '#1b3a6b',
        'stroke-width': hdsZone ? 3 : 1.5,
        'stroke-dasharray': group.kind === 'not-eligible' ? '5 3' : undefined,
      }),
      svg('text', { x: 10, y: 20, class: 'group-name' }, name),
      svg('text', { x: 10, y: 38, class: 'group-count' }, words.workloads(group.workloads)),
    );
    // The group's workloads by level, as a stacked bar.
    let offset = 10;
    const barWidth = BOX.width - 20;
    for (const level of HOSTING_LEVELS) {
      const share = group.workloads === 0 ? 0 : (group.byLevel[level] / group.workloads) * barWidth;
      if (share <= 0) continue;
      node.append(svg('rect', { x: offset, y: 46, width: share, height: 9, fill: LEVEL_COLOURS[level] }, svg('title', {}, `${t().levels[level]} : ${group.byLevel[level]}`)));
      offset += share;
    }
    const badges: string[] = [];
    if (group.hdsWorkloads > 0) badges.push(words.hds(group.hdsWorkloads));
    node.append(svg('text', { x: 10, y: 70, class: 'group-badge', fill: HDS_COLOUR }, badges.join(' ')));
    if (group.hybridWorkloads > 0) node.append(svg('text', { x: BOX.width - 10, y: 70, class: 'group-badge group-hybrid', fill: HYBRID_COLOUR, 'text-anchor': 'end' }, `⚠ ${words.hybrid(group.hybridWorkloads)}`));
    picture.append(node);
  }
  return picture;
}

/** Draws an expanded group's workloads: a node per workload, coloured by level, HDS ringed, hybrid marked. */
function drawExpanded(expanded: NonNullable<EstateGraph['expanded']>): SVGElement {
  const columns = 6;
  const cell = { width: 150, height: 56 };
  const rows = Math.max(1, Math.ceil(expanded.workloads.length / columns));
  const width = columns * cell.width + 20;
  const height = rows * cell.height + 20;
  const picture = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'estate-workloads', role: 'list' });
  const positions = new Map<string, { x: number; y: number }>();
  expanded.workloads.forEach((workload, index) => positions.set(workload.id, { x: 10 + (index % columns) * cell.width + cell.width / 2, y: 10 + Math.floor(index / columns) * cell.height + 16 }));
  for (const edge of expanded.edges) {
    const from = positions.get(edge.from)!;
    const to = positions.get(edge.to)!;
    picture.append(svg('line', { x1: from.x, y1: from.y, x2: to.x, y2: to.y, stroke: '#777', 'stroke-width': 1, 'stroke-opacity': 0.6 }));
  }
  for (const workload of expanded.workloads) {
    const at = positions.get(workload.id)!;
    const level = workload.level ?? 'NOT_ELIGIBLE';
    const label = workload.id.length > 20 ? `${workload.id.slice(0, 19)}…` : workload.id;
    picture.append(
      svg(
        'g',
        { class: `graph-workload${workload.hybrid ? ' graph-workload--hybrid' : ''}`, role: 'listitem', 'data-workload': workload.id },
        svg('title', {}, `${workload.name} (${workload.id}) — ${workload.level ? t().levels[workload.level] : '—'}${workload.hds ? ', HDS' : ''}`),
        workload.hds ? svg('circle', { cx: at.x, cy: at.y, r: 12, fill: 'none', stroke: HDS_COLOUR, 'stroke-width': 2.5 }) : undefined,
        svg('circle', { cx: at.x, cy: at.y, r: 8, fill: LEVEL_COLOURS[level], stroke: workload.hybrid ? HYBRID_COLOUR : 'none', 'stroke-width': 3 }),
        svg('text', { x: at.x, y: at.y + 26, 'text-anchor': 'middle', class: 'workload-label' }, `${workload.hybrid ? '⚠ ' : ''}${label}`),
      ),
    );
  }
  return picture;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Draws the waves against the windows: bands, planned and actual spans, the now marker. */
function drawSchedule(schedule: CutoverSchedule): SVGElement {
  const words = texts();
  const timeZone = schedule.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const from = Date.parse(schedule.from);
  const to = Date.parse(schedule.to);
  const left = 110;
  const plotWidth = 760;
  const rowHeight = 28;
  const top = 36;
  const height = top + schedule.waves.length * rowHeight + 10;
  const x = (ms: number) => left + ((Math.min(Math.max(ms, from), to) - from) / (to - from)) * plotWidth;
  const picture = svg('svg', { viewBox: `0 0 ${left + plotWidth + 20} ${height}`, width: left + plotWidth + 20, height, class: 'cutover-schedule', role: 'img', 'aria-label': words.scheduleTitle });
  const locale = language() === 'fr' ? 'fr-FR' : 'en-GB';
  const short = to - from <= 3 * DAY_MS;
  const tickFormat = new Intl.DateTimeFormat(locale, short ? { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } : { timeZone, day: 'numeric', month: 'short' });
  for (const tick of scheduleAxisTicks(from, to, timeZone)) {
    picture.append(
      svg('line', { x1: x(tick), y1: top - 6, x2: x(tick), y2: height - 10, stroke: '#ddd' }),
      svg('text', { x: x(tick) + 2, y: top - 10, class: 'axis-label' }, tickFormat.format(new Date(tick))),
    );
  }
  const rowOf = new Map(schedule.waves.map((wave, index) => [wave.id, index]));
  for (const band of schedule.bands) {
    const row = band.waveId === undefined ? undefined : rowOf.get(band.waveId);
    if (band.waveId !== undefined && row === undefined) continue;
    const y = row === undefined ? top : top + row * rowHeight;
    const bandHeight = row === undefined ? schedule.waves.length * rowHeight : rowHeight;
    picture.append(
      svg('rect', {
        x: x(Date.parse(band.opensAt)),
        y,
        width: Math.max(1, x(Date.parse(band.closesAt)) - x(Date.parse(band.opensAt))),
        height: bandHeight,
        fill: band.exceptional ? PICTURE_COLOURS.exceptionalWindow : PICTURE_COLOURS.window,
        'fill-opacity': 0.8,
        class: band.exceptional ? 'window-band window-band--exceptional' : 'window-band',
      }),
    );
  }
  schedule.waves.forEach((wave, index) => {
    const y = top + index * rowHeight;
    const label = words.wave(wave.index);
    const row = svg('g', { class: 'schedule-row', 'data-wave': wave.id, 'aria-label': words.waveRow(label, t().stepStates[wave.state]) });
    row.append(svg('text', { x: 6, y: y + 18, class: 'row-label' }, label), svg('line', { x1: left, y1: y + rowHeight, x2: left + plotWidth, y2: y + rowHeight, stroke: '#eee' }));
    if (wave.planned) {
      const start = Date.parse(wave.planned.start);
      const end = wave.planned.end === undefined ? start + HOUR_MS : Date.parse(wave.planned.end);
      row.append(svg('rect', { x: x(start), y: y + 4, width: Math.max(3, x(end) - x(start)), height: 9, fill: 'none', stroke: '#1b3a6b', 'stroke-width': 1.5, 'stroke-dasharray': '3 2', class: 'planned-span' }));
    }
    if (wave.actual) {
      const start = Date.parse(wave.actual.start);
      const end = wave.actual.end === undefined ? Date.parse(schedule.now) : Date.parse(wave.actual.end);
      row.append(svg('rect', { x: x(start), y: y + 15, width: Math.max(3, x(end) - x(start)), height: 9, fill: wave.state === 'FAILED' ? HYBRID_COLOUR : '#1b3a6b', class: 'actual-span' }));
    }
    picture.append(row);
  });
  const now = x(Date.parse(schedule.now));
  picture.append(
    svg('line', { x1: now, y1: top - 4, x2: now, y2: height - 6, stroke: HYBRID_COLOUR, 'stroke-width': 2, class: 'now-marker' }),
    svg('text', { x: now + 3, y: height - 2, class: 'axis-label', fill: HYBRID_COLOUR }, words.now),
  );
  return picture;
}

/** The pictures' part of a run's page: its host, and what redraws it when the run changed. */
export interface EstatePictures {
  host: HTMLElement;
  refresh(overview: MigrationOverview): void;
}

/** Creates the pictures of run `id`; they keep their grouping and expanded group across redraws. */
export function createEstatePictures(context: AppContext, id: string, signal: AbortSignal, onError: (error: unknown) => void): EstatePictures {
  const words = texts();
  let groupBy: GraphGrouping = 'wave';
  let expand: string | undefined;
  const graphHost = h('div', { class: 'picture', id: 'estate-graph' });
  const expandedHost = h('div', { class: 'picture', id: 'estate-expanded' });
  const scheduleHost = h('div', { class: 'picture', id: 'cutover-schedule' });
  const toggle = h(
    'div',
    { class: 'picture-toggle', role: 'radiogroup', 'aria-label': words.groupByLabel },
    h('span', {}, `${words.groupByLabel}${language() === 'fr' ? ' : ' : ': '}`),
    ...(['wave', 'zone'] as const).map((grouping) =>
      h(
        'label',
        {},
        h('input', {
          type: 'radio',
          name: 'graph-group-by',
          id: `graph-group-by-${grouping}`,
          value: grouping,
          checked: grouping === groupBy,
          on: {
            change: () => {
              groupBy = grouping;
              expand = undefined;
              void drawGraphPart();
            },
          },
        }),
        ' ',
        grouping === 'wave' ? words.byWave : words.byZone,
      ),
    ),
  );
  const legend = h(
    'ul',
    { class: 'picture-legend', id: 'graph-legend', 'aria-label': words.legendTitle },
    ...HOSTING_LEVELS.map((level) => legendSwatch(LEVEL_COLOURS[level], t().levels[level])),
    legendSwatch(HDS_COLOUR, words.legendHds, 'ring'),
    legendSwatch(PICTURE_COLOURS.dependency, words.legendDependency, 'line'),
    legendSwatch(HYBRID_COLOUR, words.legendHybrid, 'dashed'),
    legendSwatch(LEVEL_COLOURS.NOT_ELIGIBLE, words.legendOnSite, 'ring'),
  );
  const scheduleLegend = h(
    'ul',
    { class: 'picture-legend', id: 'schedule-legend', 'aria-label': words.legendTitle },
    legendSwatch(PICTURE_COLOURS.window, words.legendWindow),
    legendSwatch(PICTURE_COLOURS.exceptionalWindow, words.legendExceptional),
    legendSwatch('#1b3a6b', words.legendPlanned, 'ring'),
    legendSwatch('#1b3a6b', words.legendActual),
    legendSwatch(HYBRID_COLOUR, words.legendNow, 'line'),
  );
  const scheduleNote = h('p', { class: 'hint', id: 'schedule-note' });

  async function drawGraphPart(): Promise<void> {
    try {
      const graph = await context.client.readGraph(id, groupBy, expand, signal);
      graphHost.replaceChildren(
        drawGraph(
          graph,
          (groupId) => {
            expand = expand === groupId ? undefined : groupId;
            void drawGraphPart();
          },
          graph.expanded?.groupId,
        ),
      );
      const expanded = graph.expanded;
      const group = expanded ? graph.groups.find((candidate) => candidate.id === expanded.groupId) : undefined;
      if (!expanded || !group) {
        expandedHost.replaceChildren();
        return;
      }
      expandedHost.replaceChildren(
        h('h3', { id: 'estate-expanded-title' }, words.expandedTitle(graphGroupName(group, texts()))),
        h('p', { class: 'hint' }, words.expandedMore(expanded.workloads.length, expanded.total)),
        expanded.workloads.length === 0 ? h('p', {}, words.noWorkloads) : drawExpanded(expanded),
        h(
          'button',
          {
            type: 'button',
            class: 'button button--secondary',
            on: {
              click: () => {
                expand = undefined;
                void drawGraphPart();
              },
            },
          },
          words.collapse,
        ),
      );
    } catch (error) {
      if (!signal.aborted) onError(error);
    }
  }

  async function drawSchedulePart(): Promise<void> {
    try {
      const schedule = await context.client.readSchedule(id, signal);
      const notes: string[] = [words.timeZone(schedule.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone)];
      if (!schedule.hasWindows) notes.push(words.noWindows);
      if (schedule.waves.length < schedule.totalWaves) notes.push(words.wavesShown(schedule.waves.length, schedule.totalWaves));
      scheduleNote.textContent = notes.join(' — ');
      scheduleHost.replaceChildren(schedule.waves.length === 0 ? h('p', { id: 'schedule-empty' }, words.noWaves) : drawSchedule(schedule));
    } catch (error) {
      if (!signal.aborted) onError(error);
    }
  }

  const host = h(
    'section',
    { class: 'card', 'aria-labelledby': 'pictures-title', id: 'pictures' },
    h('h2', { id: 'pictures-title' }, words.graphTitle),
    h('p', { class: 'hint' }, words.graphIntro),
    toggle,
    legend,
    h('div', { class: 'picture-scroll' }, graphHost),
    expandedHost,
    h('h2', { id: 'schedule-title' }, words.scheduleTitle),
    h('p', { class: 'hint' }, words.scheduleIntro),
    scheduleNote,
    scheduleLegend,
    h('div', { class: 'picture-scroll' }, scheduleHost),
  );

  let signature: string | undefined;
  return {
    host,
    refresh(overview) {
      const next = JSON.stringify([overview.workloads, overview.phase, overview.status, overview.waves.total, overview.waves.byState, overview.waves.active.map((wave) => wave.window), overview.exceptionalWindows]);
      if (next === signature) return;
      signature = next;
      void drawGraphPart();
      void drawSchedulePart();
    },
  };
}
