import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { CheckFailedError, InvalidPlanError } from '../../activities/errors';
import type { StartReplicationRequest } from '../../provider';
import { fixturePlan } from '../support/plans';
import { fakeLandingZones, fakeProvider, replicationAt, validationWith } from './fake-provider';

/** An activity environment that keeps the expected failures out of the test output. */
function environment(attempt = 1): MockActivityEnvironment {
  return new MockActivityEnvironment({ attempt }, { logger: new DefaultLogger('ERROR') });
}

/** Runs an activity in `env`, typed as the activity is (MockActivityEnvironment.run cannot infer the result type). */
function run<A, R>(env: MockActivityEnvironment, activity: (input: A) => Promise<R>, input: A): Promise<R> {
  return env.run<[A], R, (input: A) => Promise<R>>(activity, input);
}

const workloadCall = { idempotencyKey: 'migration-x/cutover.wave-1.db.replicate/0', tenantId: 'tnt-1', workloadId: 'db' };

describe('analysePlan', () => {
  it('classifies a valid plan and returns it with its defaults applied', async () => {
    const activities = createActivities({ landingZones: fakeLandingZones({}), provider: fakeProvider({}) });
    const plan = fixturePlan('hospital-group');
    const result = await run(environment(), (input) => activities.analysePlan(input), plan);
    expect(result.plan.settings.maxWaveSize).toBe(plan.settings.maxWaveSize);
    expect(result.report.approvals.map((approval) => approval.id)).toEqual(['rssi', 'dpo', 'dpia', 'homologation']);
    expect(result.assessment).toBeDefined();
  });

  it('refuses an invalid plan with an InvalidPlanError naming each offending field', async () => {
    const activities = createActivities({ landingZones: fakeLandingZones({}), provider: fakeProvider({}) });
    const plan = fixturePlan('hospital-group');
    const broken = { ...plan, workloads: [{ ...plan.workloads[0]!, dependsOn: ['nowhere'] }, { ...plan.workloads[1]!, dataCategories: [] }] };
    const failure = await run(environment(), (input) => activities.analysePlan(input), broken).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidPlanError);
    const errors = (failure as InvalidPlanError).errors;
    expect(errors.map((error) => error.path)).toEqual(expect.arrayContaining(['workloads[0].dependsOn[0]', 'workloads[1].dataCategories']));
    expect((failure as InvalidPlanError).name).toBe('InvalidPlanError');
  });
});

describe('replicateWorkload', () => {
  it('heartbeats its progress until the provider says the copy is complete, then returns the job', async () => {
    const progress = [0.25, 0.5, 1];
    const activities = createActivities({
      landingZones: fakeLandingZones({}),
      provider: fakeProvider({
        startReplication: async () => replicationAt(0),
        getReplication: async () => replicationAt(progress.shift()!),
      }),
      replicationPollMs: 1,
    });
    const env = environment();
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));

    const jobId = await run(env, (input) => activities.replicateWorkload(input), { ...workloadCall, targetId: 'lz-1', sizeGb: 20, bandwidthMbps: 1000 });
    expect(jobId).toBe('rep-1');
    expect(heartbeats).toEqual([
      { workloadId: 'db', progress: 0 },
      { workloadId: 'db', progress: 0.25 },
      { workloadId: 'db', progress: 0.5 },
      { workloadId: 'db', progress: 1 },
    ]);
  });

  it('resumes the same provider job after a retry, since the job is keyed by the step', async () => {
    // The provider stands for its idempotency ledger: the same key answers the job started before.
    const jobs = new Map<string, number>();
    const starts: StartReplicationRequest[] = [];
    const activities = createActivities({
      landingZones: fakeLandingZones({}),
      provider: fakeProvider({
        startReplication: async (request) => {
          starts.push(request);
          jobs.set(request.idempotencyKey, jobs.has(request.idempotencyKey) ? 0.6 : 0);
          return replicationAt(jobs.get(request.idempotencyKey)!, `rep-${request.idempotencyKey.length}`);
        },
        getReplication: async ({ replicationId }) => replicationAt(1, replicationId),
      }),
      replicationPollMs: 1,
    });
    const request = { ...workloadCall, targetId: 'lz-1', sizeGb: 20, bandwidthMbps: 1000 };
    await run(environment(1), (input) => activities.replicateWorkload(input), request);

    const retry = environment(2);
    const heartbeats: unknown[] = [];
    retry.on('heartbeat', (details: unknown) => heartbeats.push(details));
    const jobId = await run(retry, (input) => activities.replicateWorkload(input), request);

    expect(starts.map((start) => start.idempotencyKey)).toEqual([workloadCall.idempotencyKey, workloadCall.idempotencyKey]);
    expect(jobId).toBe(`rep-${workloadCall.idempotencyKey.length}`);
    expect(heartbeats[0]).toEqual({ workloadId: 'db', progress: 0.6 });
  });

  it('stops polling when the activity is cancelled', async () => {
    let polls = 0;
    const activities = createActivities({
      landingZones: fakeLandingZones({}),
      provider: fakeProvider({
        startReplication: async () => replicationAt(0),
        getReplication: async () => {
          polls += 1;
          return replicationAt(0.1);
        },
      }),
      replicationPollMs: 5,
    });
    const env = environment();
    const running = run(env, (input) => activities.replicateWorkload(input), { ...workloadCall, targetId: 'lz-1', sizeGb: 20, bandwidthMbps: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    env.cancel();
    await expect(running).rejects.toThrow();
    const seen = polls;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(polls).toBe(seen);
  });
});

describe('validateWorkload', () => {
  it('returns the validation when every check passed', async () => {
    const activities = createActivities({ landingZones: fakeLandingZones({}), provider: fakeProvider({ validateWorkload: async () => validationWith([{ name: 'row-count', outcome: 'PASSED' }]) }) });
    expect(await run(environment(), (input) => activities.validateWorkload(input), workloadCall)).toBe('val-1');
  });

  it('fails with a CheckFailedError naming the failed checks when the outcome is FAILED', async () => {
    const activities = createActivities({
      landingZones: fakeLandingZones({}),
      provider: fakeProvider({
        validateWorkload: async () =>
          validationWith([
            { name: 'row-count', outcome: 'PASSED' },
            { name: 'source-still-frozen', outcome: 'FAILED' },
          ]),
      }),
    });
    const failure = await run(environment(), (input) => activities.validateWorkload(input), workloadCall).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CheckFailedError);
    expect((failure as Error).message).toBe('Validation of db failed: source-still-frozen');
  });
});
