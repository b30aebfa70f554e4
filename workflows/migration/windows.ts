/**
 * Exceptional cutover windows: ops open a window outside the plan's (an incident that forces a
 * switch, a weekend moved), for one wave or every wave. The decision is an Update, audited with
 * the verified actor; the running wave takes it at once, later waves from the status.
 */
import { getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { AUDIT_TEXTS, FAILURE_TYPES, formatDuration, MAX_EXCEPTIONAL_WINDOW_MS, MAX_EXCEPTIONAL_WINDOWS, message, runOverview, WAVE_ID_PATTERN } from '../../domain';
import { type OpenCutoverWindowInput, openCutoverWindowUpdate, waveControlSignal } from '../messages';
import { type MigrationContext, refuse, requirePermission } from './context';

/** The window an input asks for, as instants: from `opensAt` (now by default) to `closesAt`. */
function requestedWindow(input: OpenCutoverWindowInput): { opensAt: number; closesAt: number } {
  const now = Date.now();
  const opensAt = input.opensAt === undefined ? now : Date.parse(input.opensAt);
  return { opensAt: Math.max(opensAt, now), closesAt: Date.parse(input.closesAt) };
}

function validateOpening(context: MigrationContext, input: OpenCutoverWindowInput): void {
  context.refuseIfFinal();
  requirePermission(input.actor, 'cutover-window.open');
  if (!input.reason?.trim()) refuse(FAILURE_TYPES.invalid, 'Opening a cutover window needs a reason.');
  const { opensAt, closesAt } = requestedWindow(input);
  if (Number.isNaN(opensAt) || Number.isNaN(closesAt)) refuse(FAILURE_TYPES.invalid, 'opensAt and closesAt must be ISO 8601 date-times.');
  if (closesAt <= opensAt) refuse(FAILURE_TYPES.invalid, `The window must close after it opens (${new Date(opensAt).toISOString()}).`);
  if (closesAt - opensAt > MAX_EXCEPTIONAL_WINDOW_MS) {
    refuse(FAILURE_TYPES.invalid, `An exceptional window lasts at most ${formatDuration(MAX_EXCEPTIONAL_WINDOW_MS)}; this one would last ${formatDuration(closesAt - opensAt)}.`);
  }
  const { waveId } = input;
  if (waveId !== undefined) {
    const planned = context.status.waves;
    // Waves are planned as zones clear the gate (R9): while some wait, later wave ids are still to come.
    const morePlanned = planned.length === 0 || (context.status.gate?.zones ?? []).some((zone) => zone.heldWorkloads > 0);
    const known = planned.some((wave) => wave.id === waveId) || (morePlanned && WAVE_ID_PATTERN.test(waveId));
    if (!known) refuse(FAILURE_TYPES.notFound, `This run has no wave "${waveId}".`);
    if (planned.find((wave) => wave.id === waveId)?.state === 'SUCCEEDED') refuse(FAILURE_TYPES.conflict, `Wave "${waveId}" has already cut over.`);
  }
}

/** Registers the Update by which ops open an exceptional cutover window. */
export function registerCutoverWindowHandlers(context: MigrationContext): void {
  const { run, status } = context;
  setHandler(
    openCutoverWindowUpdate,
    async (input) => {
      const { opensAt, closesAt } = requestedWindow(input);
      const window = { opensAt: new Date(opensAt).toISOString(), closesAt: new Date(closesAt).toISOString() };
      const target = input.waveId ?? AUDIT_TEXTS.everyWave;
      run.audit(input.actor, 'OPEN_CUTOVER_WINDOW', target, AUDIT_TEXTS.windowComment(window.opensAt, window.closesAt, input.reason.trim()));
      status.exceptionalWindows = [
        ...(status.exceptionalWindows ?? []),
        { ...(input.waveId === undefined ? {} : { waveId: input.waveId }), ...window, by: input.actor.subject, reason: input.reason.trim() },
      ].slice(-MAX_EXCEPTIONAL_WINDOWS);
      const opened = message('CUTOVER_WINDOW_OPENED', { ...(input.waveId === undefined ? {} : { waveId: input.waveId }), ...window, actor: input.actor.subject });
      run.record('CUTOVER_WINDOW_OPENED', `Exceptional cutover window for ${target}, ${window.opensAt} to ${window.closesAt}, opened by ${input.actor.subject}`, undefined, opened);
      const running = status.waves.find((wave) => wave.state === 'RUNNING' && (input.waveId === undefined || wave.id === input.waveId));
      if (running && context.runningWaveWorkflowId) await getExternalWorkflowHandle(context.runningWaveWorkflowId).signal(waveControlSignal, { action: 'open-window', window });
      context.changed();
      return runOverview(status);
    },
    { validator: (input: OpenCutoverWindowInput) => validateOpening(context, input) },
  );
}
