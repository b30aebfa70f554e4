import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { DefaultLogger, Runtime, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/worker';
import { historyFromJson } from './history-json';

const HISTORIES = path.join(__dirname, '..', 'histories');
const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.json')).sort();

/** The workflows as they are now: the bundle global setup built, or the sources. */
function replayOptions(): ReplayWorkerOptions {
  const bundle = process.env.PASSERELLE_TEST_WORKFLOW_BUNDLE;
  return bundle ? { workflowBundle: { codePath: bundle } } : { ...WORKFLOW_BUNDLE_OPTIONS };
}

type HistoryEvent = NonNullable<ReturnType<typeof historyFromJson>['events']>[number];

/** The ids of the patch markers among the events, in their order. */
function patchIdsOf(events: readonly HistoryEvent[]): string[] {
  return events
    .filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_patch')
    .flatMap((event) => Object.values(event.markerRecordedEventAttributes?.details ?? {}).flatMap((payloads) => payloads.payloads ?? []))
    .map((payload) => (JSON.parse(Buffer.from(payload.data ?? new Uint8Array()).toString('utf8')) as { id: string }).id);
}

/**
 * The events up to a local activity's marker that closed its workflow task, the code after the
 * activity recorded in the next one (started by the completion itself); undefined without one.
 */
function eventsBeforeSplitLocalActivity(events: readonly HistoryEvent[]): HistoryEvent[] | undefined {
  const index = events.findIndex(
    (event, at) =>
      event.markerRecordedEventAttributes?.markerName === 'core_local_activity' &&
      events[at + 1]?.workflowTaskScheduledEventAttributes !== undefined &&
      events[at + 2]?.workflowTaskStartedEventAttributes?.requestId === 'request-from-RespondWorkflowTaskCompleted',
  );
  return index < 0 ? undefined : events.slice(0, index);
}

/** The workflow id a history was recorded under: `<scenario>.json` is `migration-replay-<scenario>`; `@tag` names another run of it. */
function workflowIdOf(file: string): string {
  return `migration-replay-${path.basename(file, '.json').replace(/@.*$/, '')}`;
}

beforeAll(() => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  } catch {
    // another suite of this process installed it already
  }
});

describe('replay of recorded histories (scripts/record-histories.ts)', () => {
  it('has the representative runs to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'approved-completed-hospital.json',
        'rejected.json',
        'request-changes-amended.json',
        'gate-released.json',
        'fault-retried.json',
        'fault-retried.wave-1.json',
        'continued-as-new@first-run.json',
        'continued-as-new.json',
        'gate-continued-as-new@first-run.json',
        'gate-continued-as-new.json',
        'wave-squatted.json',
        'drift-detected-repaired.json',
        'gate-per-zone@first-run.json',
        'gate-per-zone.json',
        'cutover-window-opened.json',
        'cutover-window-opened.wave-1.json',
        'risk-accepted.json',
        'rehearsal-retried.json',
        'rehearsal-retried.wave-1.json',
        'local-activity-split.json',
      ]),
    );
  });

  it('holds a run through the drift check before cutover: its patch marker, a drift found, and the check passed after a repair', () => {
    const history = historyFromJson(readFileSync(path.join(HISTORIES, 'drift-detected-repaired.json'), 'utf8'));
    expect(patchIdsOf(history.events ?? [])).toContain('drift-check-before-cutover');
    const driftChecks = (history.events ?? []).filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'checkLandingZoneDrift');
    const failures = (history.events ?? []).filter((event) => event.activityTaskFailedEventAttributes?.failure?.applicationFailureInfo?.type === 'LandingZoneDriftError');
    expect([driftChecks.length, failures.length > 0]).toEqual([2, true]);
  });

  it('holds a wave on an open residual risk: the register’s patch marker, and the acceptance that released the wave', () => {
    const history = historyFromJson(readFileSync(path.join(HISTORIES, 'risk-accepted.json'), 'utf8'));
    expect(patchIdsOf(history.events ?? [])).toContain('risk-register');
    const updates = (history.events ?? []).flatMap((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? []);
    expect(updates).toEqual(expect.arrayContaining(['grantDerogation', 'acceptRisks']));
    expect(updates.indexOf('acceptRisks')).toBeGreaterThan(updates.indexOf('grantDerogation'));
  });

  it('holds a rehearsal: the wave’s patch marker, its test launches launched and torn down twice, and the run’s decisions', () => {
    const wave = historyFromJson(readFileSync(path.join(HISTORIES, 'rehearsal-retried.wave-1.json'), 'utf8'));
    expect(patchIdsOf(wave.events ?? [])).toContain('rehearsal');
    const activities = (wave.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(['launchTestInstance', 'smokeTestLaunch', 'tearDownTestLaunch'].map((name) => activities.filter((candidate) => candidate === name).length)).toEqual([2, 2, 2]);
    expect(activities.indexOf('freezeSource')).toBeGreaterThan(activities.lastIndexOf('tearDownTestLaunch'));
    const run = historyFromJson(readFileSync(path.join(HISTORIES, 'rehearsal-retried.json'), 'utf8'));
    const updates = (run.events ?? []).flatMap((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? []);
    expect(updates.filter((name) => name !== 'decideApproval')).toEqual(['decideRehearsal', 'retryStep', 'decideRehearsal']);
  });

  it('holds a run whose local activity and the code after it were recorded in two tasks, its patches asked in its first task', () => {
    const history = historyFromJson(readFileSync(path.join(HISTORIES, 'local-activity-split.json'), 'utf8'));
    const before = eventsBeforeSplitLocalActivity(history.events ?? []);
    expect(before).toBeDefined();
    expect(patchIdsOf(before!)).toEqual(expect.arrayContaining(['patches-at-start', 'wave-ids-by-run']));
    expect(patchIdsOf(history.events ?? [])).toEqual(patchIdsOf(before!));
  });

  it('cannot replay such a split in a run recorded before patches-at-start: the SDK defect, kept to see the day an upgrade fixes it', async () => {
    const history = historyFromJson(readFileSync(path.join(HISTORIES, 'sdk-defects', 'local-activity-split-unpatched.json'), 'utf8'));
    const before = eventsBeforeSplitLocalActivity(history.events ?? []);
    expect(before && patchIdsOf(before)).not.toContain('wave-ids-by-run');
    const replay = Worker.runReplayHistory(replayOptions(), history, 'migration-replay-local-activity-split-unpatched');
    await expect(replay).rejects.toThrow(DeterminismViolationError);
    await expect(replay).rejects.toThrow(/Non-deprecated patch marker encountered for change wave-ids-by-run/);
  });

  it('replays every recorded history against the current workflows without a determinism violation', async () => {
    const histories = files.map((file) => ({ workflowId: workflowIdOf(file), history: historyFromJson(readFileSync(path.join(HISTORIES, file), 'utf8')) }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(replayOptions(), histories)) {
      replayed += 1;
      if (result.error) {
        const kind = result.error instanceof DeterminismViolationError ? 'determinism violation' : 'failure';
        failures.push(`${result.workflowId}: ${kind}: ${result.error.message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
