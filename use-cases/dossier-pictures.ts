/**
 * The run's two pictures drawn in the homologation file with pdfkit's vector primitives, from
 * the same data as the dashboard's SVG (domain/estate-pictures.ts) and with its colours and
 * words (PICTURE_COLOURS, PICTURE_TEXTS): the dependency graph grouped by zone or wave (cloud
 * groups in a grid, the workloads that stay on site in their own lane below, hybrid
 * dependencies dashed in red), and the cutover waves against the cutover windows. Both are
 * bounded by their data (a few dozen groups, at most 40 waves), never by the estate's size.
 */
import {
  type CutoverSchedule,
  type EstateGraph,
  formatDateTime,
  graphGroupName,
  HOSTING_LEVELS,
  hostingLevelLabel,
  type Language,
  PICTURE_COLOURS,
  PICTURE_TEXTS,
  scheduleAxisTicks,
  stepStateLabel,
} from '../domain';

/** Where a picture goes on the page: its left edge and width; it starts at `doc.y`. */
interface Frame {
  x: number;
  width: number;
}

const INK = '#222222';
const MUTED = '#666666';

/** `text` in `font` at `size`, cut with an ellipsis to fit `width`. */
function fit(doc: PDFKit.PDFDocument, text: string, width: number, font: string, size: number): string {
  doc.font(font).fontSize(size);
  if (doc.widthOfString(text) <= width) return text;
  let kept = text.length;
  while (kept > 1 && doc.widthOfString(`${text.slice(0, kept)}…`) > width) kept -= 1;
  return `${text.slice(0, kept)}…`;
}

/** Writes `text` at (x, y) on one line, without moving the flow of the document. */
function label(doc: PDFKit.PDFDocument, text: string, x: number, y: number, options: { font?: string; size?: number; colour?: string; width?: number; align?: 'left' | 'center' | 'right' } = {}): void {
  doc
    .font(options.font ?? 'body')
    .fontSize(options.size ?? 7.5)
    .fillColor(options.colour ?? INK)
    .text(text, x, y, { lineBreak: false, ...(options.width !== undefined ? { width: options.width } : {}), align: options.align ?? 'left' });
}

type Swatch = { colour: string; text: string; shape: 'box' | 'ring' | 'line' | 'dashed' };

/** A legend: swatches and their words, wrapped to the frame's width; returns the y below it. */
function drawLegend(doc: PDFKit.PDFDocument, frame: Frame, top: number, title: string, swatches: Swatch[], language: Language): number {
  const colon = language === 'fr' ? ' : ' : ': ';
  label(doc, `${title}${colon}`, frame.x, top, { font: 'bold', size: 7.5 });
  let x = frame.x + doc.font('bold').fontSize(7.5).widthOfString(`${title}${colon}`) + 4;
  let y = top;
  for (const swatch of swatches) {
    const width = 16 + doc.font('body').fontSize(7.5).widthOfString(swatch.text) + 12;
    if (x + width > frame.x + frame.width) {
      x = frame.x;
      y += 12;
    }
    doc.save();
    if (swatch.shape === 'box') doc.rect(x, y + 1, 12, 7).fill(swatch.colour);
    else if (swatch.shape === 'ring') doc.roundedRect(x, y, 12, 9, 2).lineWidth(1.5).strokeColor(swatch.colour).stroke();
    else {
      doc.moveTo(x, y + 4.5).lineTo(x + 12, y + 4.5).lineWidth(1.8).strokeColor(swatch.colour);
      if (swatch.shape === 'dashed') doc.dash(3, { space: 2 });
      doc.stroke().undash();
    }
    doc.restore();
    label(doc, swatch.text, x + 16, y, { size: 7.5 });
    x += width;
  }
  return y + 14;
}

/** An arrowhead at `tip`, pointing away from `from`. */
function arrowhead(doc: PDFKit.PDFDocument, from: { x: number; y: number }, tip: { x: number; y: number }, colour: string): void {
  const angle = Math.atan2(tip.y - from.y, tip.x - from.x);
  const size = 5;
  const left = { x: tip.x - size * Math.cos(angle - 0.45), y: tip.y - size * Math.sin(angle - 0.45) };
  const right = { x: tip.x - size * Math.cos(angle + 0.45), y: tip.y - size * Math.sin(angle + 0.45) };
  doc.polygon([tip.x, tip.y], [left.x, left.y], [right.x, right.y]).fill(colour);
}

/** A small warning triangle (the dashboard's ⚠) whose top is at (x, y). */
function warningMark(doc: PDFKit.PDFDocument, x: number, y: number): void {
  doc.polygon([x + 3.5, y], [x + 7, y + 6.5], [x, y + 6.5]).fill(PICTURE_COLOURS.hybrid);
  doc.rect(x + 3.1, y + 2, 0.8, 2.6).fill('white');
}

/**
 * Draws the grouped dependency graph in `frame` from `doc.y`, then its legend; leaves `doc.y`
 * below both. Groups in a grid of at most five columns, the groups that stay on site in a lane
 * of their own under a dashed line; each box holds its name, its count of workloads, its split
 * by hosting level as a stacked bar, its HDS workloads and its hybrid ones.
 */
export function drawEstateGraph(doc: PDFKit.PDFDocument, graph: EstateGraph, language: Language, frame: Frame): void {
  const words = PICTURE_TEXTS[language];
  const cloud = graph.groups.filter((group) => group.kind !== 'not-eligible');
  const onSite = graph.groups.filter((group) => group.kind === 'not-eligible');
  const columns = Math.max(1, Math.min(cloud.length <= 8 ? 4 : 5, cloud.length));
  const gapX = columns > 4 ? 16 : 28;
  const box = { width: Math.min(150, (frame.width - (columns - 1) * gapX) / columns), height: 64 };
  const gapY = 28;
  const top = doc.y;
  const cloudTop = top + 22;
  const cloudRows = Math.max(1, Math.ceil(cloud.length / columns));
  const laneTop = cloudTop + cloudRows * (box.height + gapY) - gapY + 14;
  const bottom = onSite.length > 0 ? laneTop + 22 + box.height : laneTop;
  const positions = new Map<string, { x: number; y: number }>();
  cloud.forEach((group, index) => positions.set(group.id, { x: frame.x + (index % columns) * (box.width + gapX), y: cloudTop + Math.floor(index / columns) * (box.height + gapY) }));
  onSite.forEach((group, index) => positions.set(group.id, { x: frame.x + index * (box.width + gapX), y: laneTop + 22 }));

  label(doc, words.cloudLane, frame.x, top, { font: 'bold', size: 8, colour: MUTED });
  if (onSite.length > 0) {
    doc.save().moveTo(frame.x, laneTop + 2).lineTo(frame.x + frame.width, laneTop + 2).lineWidth(0.8).strokeColor('#999999').dash(5, { space: 3 }).stroke().undash().restore();
    label(doc, words.onSiteLane, frame.x, laneTop + 8, { font: 'bold', size: 8, colour: MUTED });
  }

  /** Where the line from the centre of the box at `at` towards the centre of the box at `towards` leaves it. */
  const border = (at: { x: number; y: number }, towards: { x: number; y: number }) => {
    const dx = towards.x - at.x;
    const dy = towards.y - at.y;
    const scale = Math.min(Math.abs(dx) > 0 ? box.width / 2 / Math.abs(dx) : Infinity, Math.abs(dy) > 0 ? box.height / 2 / Math.abs(dy) : Infinity);
    return { x: at.x + box.width / 2 + dx * scale, y: at.y + box.height / 2 + dy * scale };
  };
  // Edges first, their counts last, above everything.
  const counts: { x: number; y: number; text: string; colour: string }[] = [];
  for (const edge of graph.edges) {
    const from = positions.get(edge.from);
    const to = positions.get(edge.to);
    if (!from || !to) continue;
    // Both ends on the boxes' borders; between boxes of one row that are not neighbours, an arc over the row.
    const sameRow = Math.abs(from.y - to.y) < 1;
    const over = sameRow && Math.abs(from.x - to.x) > box.width + gapX + 1;
    const start = over ? { x: from.x + box.width / 2, y: from.y } : border(from, to);
    const end = over ? { x: to.x + box.width / 2, y: to.y } : border(to, from);
    const control = over
      ? { x: (start.x + end.x) / 2, y: from.y - 24 }
      : { x: (start.x + end.x) / 2 + (end.y - start.y) * 0.15, y: (start.y + end.y) / 2 - (end.x - start.x) * 0.15 };
    const [x1, y1] = [start.x, start.y];
    const colour = edge.hybrid ? PICTURE_COLOURS.hybrid : PICTURE_COLOURS.dependency;
    doc.save().moveTo(x1, y1).quadraticCurveTo(control.x, control.y, end.x, end.y);
    doc.lineWidth(Math.min(4, 0.8 + Math.log2(edge.dependencies) * 0.6)).strokeColor(colour).strokeOpacity(0.8);
    if (edge.hybrid) doc.dash(4, { space: 2 });
    doc.stroke().undash().restore();
    doc.save();
    arrowhead(doc, control, end, colour);
    doc.restore();
    counts.push({ x: 0.25 * x1 + 0.5 * control.x + 0.25 * end.x, y: 0.25 * y1 + 0.5 * control.y + 0.25 * end.y, text: String(edge.dependencies), colour });
  }

  for (const group of graph.groups) {
    const at = positions.get(group.id)!;
    const hdsZone = group.kind === 'zone' && group.hds === true;
    const apart = group.kind === 'not-eligible';
    doc.save().roundedRect(at.x, at.y, box.width, box.height, 4).lineWidth(hdsZone ? 2.2 : 1).fillColor('white');
    doc.strokeColor(hdsZone ? PICTURE_COLOURS.hds : apart ? PICTURE_COLOURS.levels.NOT_ELIGIBLE : PICTURE_COLOURS.span);
    if (apart) doc.dash(4, { space: 2 });
    doc.fillAndStroke().undash().restore();
    const inner = box.width - 14;
    label(doc, fit(doc, graphGroupName(group, PICTURE_TEXTS[language]), inner, 'bold', 8), at.x + 7, at.y + 5, { font: 'bold', size: 8 });
    const detail = group.kind === 'zone' && group.level !== undefined ? `${hostingLevelLabel(group.level, language)}${group.hds === true ? ', HDS' : ''} — ` : '';
    label(doc, fit(doc, `${detail}${words.workloads(group.workloads)}`, inner, 'body', 7), at.x + 7, at.y + 17, { size: 7, colour: MUTED });
    let offset = at.x + 7;
    for (const level of HOSTING_LEVELS) {
      const share = group.workloads === 0 ? 0 : (group.byLevel[level] / group.workloads) * inner;
      if (share <= 0) continue;
      doc.save().rect(offset, at.y + 29, share, 7).fill(PICTURE_COLOURS.levels[level]).restore();
      offset += share;
    }
    // HDS on the left, hybrid on the right of one line; on two lines when they would meet.
    const hds = group.hdsWorkloads > 0 ? words.hds(group.hdsWorkloads) : undefined;
    const hybrid = group.hybridWorkloads > 0 ? words.hybrid(group.hybridWorkloads) : undefined;
    const hdsWidth = hds === undefined ? 0 : doc.font('bold').fontSize(7).widthOfString(hds);
    const hybridWidth = hybrid === undefined ? 0 : doc.font('bold').fontSize(7).widthOfString(hybrid) + 10;
    if (hds !== undefined) label(doc, hds, at.x + 7, at.y + 41, { font: 'bold', size: 7, colour: PICTURE_COLOURS.hds });
    if (hybrid !== undefined) {
      const y = hds !== undefined && hdsWidth + hybridWidth + 6 > inner ? at.y + 51 : at.y + 41;
      const left = y === at.y + 41 ? at.x + box.width - 7 - hybridWidth : at.x + 7;
      doc.save();
      warningMark(doc, left, y + 0.5);
      doc.restore();
      label(doc, fit(doc, hybrid, inner - 10, 'bold', 7), left + 10, y, { font: 'bold', size: 7, colour: PICTURE_COLOURS.hybrid });
    }
  }

  for (const count of counts) {
    const width = doc.font('bold').fontSize(7).widthOfString(count.text) + 4;
    doc.save().rect(count.x - width / 2, count.y - 4.5, width, 9).fill('white').restore();
    label(doc, count.text, count.x - width / 2, count.y - 3.5, { font: 'bold', size: 7, colour: count.colour, width, align: 'center' });
  }

  const legendBottom = drawLegend(
    doc,
    frame,
    bottom + 10,
    words.legendTitle,
    [
      ...HOSTING_LEVELS.map((level): Swatch => ({ colour: PICTURE_COLOURS.levels[level], text: hostingLevelLabel(level, language), shape: 'box' })),
      { colour: PICTURE_COLOURS.hds, text: words.legendHds, shape: 'ring' },
      { colour: PICTURE_COLOURS.dependency, text: words.legendDependency, shape: 'line' },
      { colour: PICTURE_COLOURS.hybrid, text: words.legendHybrid, shape: 'dashed' },
      { colour: PICTURE_COLOURS.levels.NOT_ELIGIBLE, text: words.legendOnSite, shape: 'ring' },
    ],
    language,
  );
  doc.x = frame.x;
  doc.y = legendBottom;
  doc.font('body').fontSize(9.5).fillColor('black');
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The height {@link drawCutoverSchedule} needs for `schedule`, legend included. */
export function cutoverScheduleHeight(schedule: CutoverSchedule): number {
  return 24 + schedule.waves.length * SCHEDULE_ROW + 16 + 40;
}
const SCHEDULE_ROW = 15;

/**
 * Draws the waves against the cutover windows in `frame` from `doc.y`, then its legend: a row
 * per wave (its name and state), the windows as bands (every wave's across all rows, a wave's
 * on its row, exceptional ones in their colour), the planned freeze → switch span outlined and
 * the actual one solid (red when the wave failed), the axis in `timeZone` and a "now" line.
 */
export function drawCutoverSchedule(doc: PDFKit.PDFDocument, schedule: CutoverSchedule, language: Language, frame: Frame, timeZone: string): void {
  const words = PICTURE_TEXTS[language];
  const from = Date.parse(schedule.from);
  const to = Date.parse(schedule.to);
  const left = frame.x + 92;
  const plotWidth = frame.x + frame.width - left;
  const top = doc.y + 14;
  const rowsBottom = top + schedule.waves.length * SCHEDULE_ROW;
  const x = (ms: number) => left + ((Math.min(Math.max(ms, from), to) - from) / Math.max(1, to - from)) * plotWidth;
  const short = to - from <= 3 * DAY_MS;
  const tickFormat = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', short ? { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } : { timeZone, day: 'numeric', month: 'short' });

  const ticks = scheduleAxisTicks(from, to, timeZone);
  const every = Math.max(1, Math.ceil(ticks.length / 8));
  ticks.forEach((tick, index) => {
    doc.save().moveTo(x(tick), top - 3).lineTo(x(tick), rowsBottom).lineWidth(0.5).strokeColor('#dddddd').stroke().restore();
    if (index % every === 0) label(doc, tickFormat.format(new Date(tick)), x(tick) + 2, top - 12, { size: 6.5, colour: MUTED });
  });

  const rowOf = new Map(schedule.waves.map((wave, index) => [wave.id, index]));
  for (const band of schedule.bands) {
    const row = band.waveId === undefined ? undefined : rowOf.get(band.waveId);
    if (band.waveId !== undefined && row === undefined) continue;
    const y = row === undefined ? top : top + row * SCHEDULE_ROW;
    const height = row === undefined ? schedule.waves.length * SCHEDULE_ROW : SCHEDULE_ROW;
    const start = x(Date.parse(band.opensAt));
    doc.save().rect(start, y, Math.max(1, x(Date.parse(band.closesAt)) - start), height).fillOpacity(0.8).fill(band.exceptional ? PICTURE_COLOURS.exceptionalWindow : PICTURE_COLOURS.window).restore();
  }

  const now = Date.parse(schedule.now);
  schedule.waves.forEach((wave, index) => {
    const y = top + index * SCHEDULE_ROW;
    label(doc, fit(doc, `${words.wave(wave.index)} — ${stepStateLabel(wave.state, language)}`, 88, 'body', 7), frame.x, y + 4, { size: 7 });
    doc.save().moveTo(left, y + SCHEDULE_ROW).lineTo(left + plotWidth, y + SCHEDULE_ROW).lineWidth(0.4).strokeColor('#eeeeee').stroke().restore();
    if (wave.planned) {
      const start = Date.parse(wave.planned.start);
      const end = wave.planned.end === undefined ? start + HOUR_MS : Date.parse(wave.planned.end);
      doc.save().rect(x(start), y + 2, Math.max(3, x(end) - x(start)), 5).lineWidth(0.9).strokeColor(PICTURE_COLOURS.span).dash(2, { space: 1.5 }).stroke().undash().restore();
    }
    if (wave.actual) {
      const start = Date.parse(wave.actual.start);
      const end = wave.actual.end === undefined ? now : Date.parse(wave.actual.end);
      doc.save().rect(x(start), y + 8, Math.max(3, x(end) - x(start)), 5).fill(wave.state === 'FAILED' ? PICTURE_COLOURS.hybrid : PICTURE_COLOURS.span).restore();
    }
  });

  doc.save().moveTo(x(now), top - 3).lineTo(x(now), rowsBottom + 3).lineWidth(1.2).strokeColor(PICTURE_COLOURS.hybrid).stroke().restore();
  label(doc, words.now, x(now) + 2, rowsBottom + 3, { size: 6.5, colour: PICTURE_COLOURS.hybrid });

  const legendBottom = drawLegend(
    doc,
    frame,
    rowsBottom + 16,
    words.legendTitle,
    [
      { colour: PICTURE_COLOURS.window, text: words.legendWindow, shape: 'box' },
      { colour: PICTURE_COLOURS.exceptionalWindow, text: words.legendExceptional, shape: 'box' },
      { colour: PICTURE_COLOURS.span, text: words.legendPlanned, shape: 'ring' },
      { colour: PICTURE_COLOURS.span, text: words.legendActual, shape: 'box' },
      { colour: PICTURE_COLOURS.hybrid, text: words.legendNow, shape: 'line' },
    ],
    language,
  );
  doc.x = frame.x;
  doc.y = legendBottom;
  doc.font('body').fontSize(9.5).fillColor('black');
}

/** The schedule's caption: how many waves it shows, from when to when. */
export function scheduleCaption(schedule: CutoverSchedule, language: Language): string {
  return PICTURE_TEXTS[language].scheduleCaption(schedule.waves.length, formatDateTime(schedule.from, language), formatDateTime(schedule.to, language));
}
