/**
 * The run's steps as continue-as-new carries them. A run of 10,000 workloads holds some 60,000
 * cutover steps (13 MiB of JSON as objects); each one's id, phase, title, workload and wave
 * follow from the plan and the waves, so a cutover step travels as a short tuple of indexes,
 * its state and its times (as milliseconds after the run's start), about a tenth of the size.
 * Every other step, and any step the tuple would not give back exactly, travels whole, so
 * that {@link unpackSteps} returns the very steps {@link packSteps} was given, in their order.
 */
import type { Plan } from './plan';
import { CUTOVER_STEPS, STEP_STATES, stepIds } from './run';
import type { StepView, WaveView } from './run-status';

/**
 * One cutover step: wave (index in the waves), workload (index in the plan), step (index in
 * CUTOVER_STEPS), state (index in STEP_STATES), started and ended (milliseconds after the
 * run's start, or null), and its progress when it has one.
 */
export type PackedCutoverStep = [number, number, number, number, number | null, number | null] | [number, number, number, number, number | null, number | null, number];

/** The steps as carried: whole steps and packed cutover steps, in the run's order. */
export type PackedSteps = Array<StepView | PackedCutoverStep>;

/** What packing and unpacking read: the plan's workloads, the waves and the run's start. */
export interface StepPackingFrame {
  plan: Pick<Plan, 'workloads'>;
  waves: ReadonlyArray<Pick<WaveView, 'id'>>;
  startedAt: string;
}

const offsetOf = (at: string | undefined, base: number): number | null => (at === undefined ? null : Date.parse(at) - base);
const timeAt = (offset: number | null, base: number): string | undefined => (offset === null ? undefined : new Date(base + offset).toISOString());

function unpackOne(packed: PackedCutoverStep, frame: StepPackingFrame, base: number): StepView | undefined {
  const [waveIndex, workloadIndex, stepIndex, stateIndex, started, ended, progress] = packed;
  const wave = frame.waves[waveIndex];
  const workload = frame.plan.workloads[workloadIndex];
  const definition = CUTOVER_STEPS[stepIndex];
  const state = STEP_STATES[stateIndex];
  if (!wave || !workload || !definition || !state) return undefined;
  const startedAt = timeAt(started, base);
  const endedAt = timeAt(ended, base);
  return {
    id: stepIds.cutover(wave.id, workload.id, definition.name),
    phase: 'CUTOVER',
    title: `${workload.name}: ${definition.title}`,
    state,
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(endedAt !== undefined ? { endedAt } : {}),
    ...(progress !== undefined ? { progress } : {}),
    workloadId: workload.id,
    waveId: wave.id,
  };
}

const KEYS_OF_A_PACKED_STEP = new Set(['id', 'phase', 'title', 'state', 'startedAt', 'endedAt', 'progress', 'workloadId', 'waveId']);

/** True when the unpacked step is the step itself, field for field (no error, no skip reason, nothing else). */
function sameStep(step: StepView, unpacked: StepView | undefined): boolean {
  if (!unpacked) return false;
  const keys = Object.keys(step);
  if (keys.some((key) => !KEYS_OF_A_PACKED_STEP.has(key)) || keys.length !== Object.keys(unpacked).length) return false;
  return keys.every((key) => step[key as keyof StepView] === unpacked[key as keyof StepView]);
}

/** The steps as continue-as-new carries them: cutover steps as tuples, the others whole. */
export function packSteps(steps: readonly StepView[], frame: StepPackingFrame): PackedSteps {
  const base = Date.parse(frame.startedAt);
  const waveIndex = new Map(frame.waves.map((wave, index) => [wave.id, index]));
  const workloadIndex = new Map(frame.plan.workloads.map((workload, index) => [workload.id, index]));
  const stepIndex = new Map<string, number>(CUTOVER_STEPS.map((definition, index) => [definition.name, index]));
  const stateIndex = new Map<string, number>(STEP_STATES.map((state, index) => [state, index]));
  return steps.map((step) => {
    if (step.phase !== 'CUTOVER' || step.waveId === undefined || step.workloadId === undefined) return step;
    const prefix = `cutover.${step.waveId}.${step.workloadId}.`;
    const wave = waveIndex.get(step.waveId);
    const workload = workloadIndex.get(step.workloadId);
    const name = step.id.startsWith(prefix) ? stepIndex.get(step.id.slice(prefix.length)) : undefined;
    const state = stateIndex.get(step.state);
    if (wave === undefined || workload === undefined || name === undefined || state === undefined) return step;
    const times = [wave, workload, name, state, offsetOf(step.startedAt, base), offsetOf(step.endedAt, base)] as const;
    const packed: PackedCutoverStep = step.progress === undefined ? [...times] : [...times, step.progress];
    return sameStep(step, unpackOne(packed, frame, base)) ? packed : step;
  });
}

/** The steps {@link packSteps} packed, as they were. */
export function unpackSteps(packed: PackedSteps, frame: StepPackingFrame): StepView[] {
  const base = Date.parse(frame.startedAt);
  return packed.map((entry) => {
    if (!Array.isArray(entry)) return entry;
    const step = unpackOne(entry, frame, base);
    if (!step) throw new Error(`A carried cutover step names no wave, workload, step or state of the run: ${JSON.stringify(entry)}`);
    return step;
  });
}
