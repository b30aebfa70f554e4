import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createActivities, type Notification } from '../../activities';
import { createHttpCloudProvider } from '../../activities/provider/http-client';
import { fixtureExpected, fixturePlan } from '../support/plans';
import { startHarness, type SimCloudHarness } from '../sim-cloud/harness';
import { fakeLandingZones, fakeProvider, validationWith } from './fake-provider';
import { failureOf, runActivity } from './run-activity';

/** Activities that must not reach any provider: every call fails the test. */
const offline = () => createActivities({ landingZones: fakeLandingZones({}), provider: fakeProvider({}) });
const workloadCall = { idempotencyKey: 'migration-x/cutover.wave-1.db.validate/0', tenantId: 'tnt-1', workloadId: 'db' };

describe('analysePlan', () => {
  it('classifies every workload as docs/rules.md says, lists the approvals, and sizes the transfers of those that migrate', async () => {
    const plan = fixturePlan('hospital-group');
    const expected = fixtureExpected('hospital-group');
    const { plan: analysed, report, assessment } = await runActivity(offline(), 'analysePlan', plan);

    expect(analysed).toEqual(plan);
    expect(Object.fromEntries(report.workloads.map((workload) => [workload.id, { level: workload.level, hds: workload.hds }]))).toEqual(
      Object.fromEntries(Object.entries(expected.workloads).map(([id, { level, hds }]) => [id, { level, hds }])),
    );
    expect(report.approvals.map((approval) => approval.id)).toEqual(expected.approvals);
    expect(report.warnings).toEqual(expected.warnings);

    const staying = Object.entries(expected.workloads).filter(([, { level }]) => level === 'NOT_ELIGIBLE').map(([id]) => id);
    const migrating = plan.workloads.filter((workload) => !staying.includes(workload.id));
    const seconds = (sizeGb: number) => (sizeGb * 8000) / plan.settings.bandwidthMbps;
    expect(assessment.bandwidthMbps).toBe(plan.settings.bandwidthMbps);
    expect(assessment.totals).toMatchObject({
      workloads: plan.workloads.length,
      migrating: migrating.length,
      blocked: staying.length,
      sizeGb: migrating.reduce((sum, workload) => sum + workload.sizeGb, 0),
      longestTransferSeconds: Math.max(...migrating.map((workload) => seconds(workload.sizeGb))),
    });
    expect(assessment.totals.transferSeconds).toBeCloseTo(migrating.reduce((sum, workload) => sum + seconds(workload.sizeGb), 0), 6);
    expect(assessment.workloads.filter((workload) => !workload.migrates).map((workload) => [workload.id, workload.blockers.map((blocker) => blocker.code)])).toEqual(
      staying.map((id) => [id, ['NOT_ELIGIBLE']]),
    );
  });

  it('answers the same analysis when repeated: it reads nothing and changes nothing', async () => {
    const plan = fixturePlan('regional-council');
    const activities = offline();
    expect(await runActivity(activities, 'analysePlan', plan)).toEqual(await runActivity(activities, 'analysePlan', plan));
  });

  it('refuses an invalid plan without retry (InvalidPlanError), naming each offending field', async () => {
    const plan = fixturePlan('hospital-group');
    const broken = { ...plan, workloads: [{ ...plan.workloads[0]!, dependsOn: ['nowhere'] }, { ...plan.workloads[1]!, dataCategories: [] }] };
    const failure = await failureOf(runActivity(offline(), 'analysePlan', broken));
    expect(failure).toMatchObject({ type: 'InvalidPlanError', retryable: false });
    expect(failure.message).toMatch(/^The plan is not valid: /);
    expect(failure.message).toContain('workloads[0].dependsOn[0]');
    expect(failure.message).toContain('workloads[1].dataCategories');
  });
});

describe('notify', () => {
  const notification: Notification = { workflowId: 'migration-x', customerId: 'chu', kind: 'APPROVAL_REMINDER', message: 'Approval rssi is due soon', approvalId: 'rssi', role: 'RSSI' };
  let webhook: Server;
  let received: { contentType: string | undefined; body: unknown }[];
  let answerStatus: number;
  let webhookUrl: string;

  beforeAll(async () => {
    webhook = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ contentType: request.headers['content-type'], body: JSON.parse(body) as unknown });
        response.statusCode = answerStatus;
        response.end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hooks/passerelle`;
  });
  beforeEach(() => {
    received = [];
    answerStatus = 204;
  });
  afterAll(async () => {
    await new Promise((resolve) => webhook.close(resolve));
  });

  const withWebhook = () => createActivities({ landingZones: fakeLandingZones({}), provider: fakeProvider({}), notifyWebhookUrl: webhookUrl });

  it('posts the notification to the webhook as JSON', async () => {
    await runActivity(withWebhook(), 'notify', notification);
    expect(received).toEqual([{ contentType: 'application/json', body: notification }]);
  });

  it('posts the same notification again when repeated (at least once: receivers tell repeats by their content)', async () => {
    await runActivity(withWebhook(), 'notify', notification);
    await runActivity(withWebhook(), 'notify', notification);
    expect(received).toEqual([
      { contentType: 'application/json', body: notification },
      { contentType: 'application/json', body: notification },
    ]);
  });

  it('only logs when no webhook is configured', async () => {
    await expect(runActivity(offline(), 'notify', notification)).resolves.toBeUndefined();
    expect(received).toEqual([]);
  });

  it('fails with retry when the webhook refuses it', async () => {
    answerStatus = 500;
    expect(await failureOf(runActivity(withWebhook(), 'notify', notification))).toEqual({ type: 'Error', retryable: true, message: 'The notification webhook answered 500' });
  });
});

describe('readProviderCredentials', () => {
  let sim: SimCloudHarness;
  beforeAll(async () => {
    sim = await startHarness();
  });
  afterEach(async () => {
    await sim.admin.clearFaults();
  });
  afterAll(async () => {
    await sim.close();
  });
  const overSimCloud = () => createActivities({ landingZones: fakeLandingZones({}), provider: createHttpCloudProvider({ baseUrl: sim.url, timeoutMs: 5_000 }) });

  it("answers the provider's qualification and certification as it states them, the same on every read", async () => {
    const set = await sim.admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: false });
    const read = await runActivity(overSimCloud(), 'readProviderCredentials', undefined);
    expect(read).toEqual({ secnumcloud: 'QUALIFIED', hds: false, updatedAt: set.updatedAt });
    expect(await runActivity(overSimCloud(), 'readProviderCredentials', undefined)).toEqual(read);
  });

  it('fails with retry while the provider is unavailable, without retry when it refuses the read', async () => {
    await sim.admin.armFault({ operation: 'getQualifications', mode: 'error', status: 503 });
    expect(await failureOf(runActivity(overSimCloud(), 'readProviderCredentials', undefined))).toMatchObject({ type: 'ProviderUnavailableError', retryable: true });
    await sim.admin.armFault({ operation: 'getQualifications', mode: 'error', status: 403 });
    expect(await failureOf(runActivity(overSimCloud(), 'readProviderCredentials', undefined))).toMatchObject({ type: 'ProviderRejectedError', retryable: false });
  });
});

describe('validateWorkload and smokeTest, on outcomes sim-cloud never gives', () => {
  it('name every failed check, and an unknown one when the provider names none', async () => {
    const activities = createActivities({
      landingZones: fakeLandingZones({}),
      provider: fakeProvider({
        validateWorkload: async () =>
          validationWith([
            { name: 'row-count', outcome: 'PASSED' },
            { name: 'checksums-match', outcome: 'FAILED' },
            { name: 'source-still-frozen', outcome: 'FAILED' },
          ]),
        smokeTest: async () => ({ ...validationWith([]), type: 'smoke-test', dnsRecordId: 'dns-1', outcome: 'FAILED', checks: [] }),
      }),
    });
    expect(await failureOf(runActivity(activities, 'validateWorkload', workloadCall))).toEqual({
      type: 'CheckFailedError',
      retryable: false,
      message: 'Validation of db failed: checksums-match, source-still-frozen',
    });
    expect(await failureOf(runActivity(activities, 'smokeTest', workloadCall))).toEqual({ type: 'CheckFailedError', retryable: false, message: 'Smoke test of db failed: unknown check' });
  });
});
