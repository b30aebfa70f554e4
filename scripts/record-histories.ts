/**
 * Records the histories that test/replay replays: representative runs of the current workflows
 * against a Temporal dev server (TEMPORAL_ADDRESS, or one started here) and sim-cloud, written
 * to test/histories/<scenario>.json. A scenario's run has the workflow id
 * `migration-replay-<scenario>` (a wave recorded before waves were keyed by the run's first run
 * id adds `.wave-N`; `@tag` names another run of the same id),
 * which replay needs. Payloads are recorded unencrypted, since replay checks the workflow code,
 * not the codec. Run it after a deliberate change of workflow behaviour:
 *
 *   npx tsx scripts/record-histories.ts
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { type MigrationStatus, migrationWorkflowId, type Plan, validatePlan, waveWorkflowId } from '../domain';
import { createSimCloudAdminClient } from '../sim-cloud/admin-client';
import { startSimCloud } from '../sim-cloud/server';
import {
  acceptRisksUpdate,
  amendPlanUpdate,
  cancelUpdate,
  decideApprovalUpdate,
  decideRehearsalUpdate,
  extendDeadlineUpdate,
  grantDerogationUpdate,
  openCutoverWindowUpdate,
  qualificationChangedSignal,
  requestDerogationUpdate,
  retryStepUpdate,
  statusQuery,
} from '../workflows/messages';
import type { RunTuning } from '../workflows/tuning';
import { historyToJson } from '../test/replay/history-json';
import { startMigrationRun } from '../use-cases/start-migration-run';
import { approver, consultant, fixturePlan, ops, smallPlan } from '../test/support/plans';
import { createLandingZonesForSimCloud } from '../worker/landing-zones';
import { createPasserelleWorker } from '../worker/worker';
import { startTemporalDevServer } from './lib/dev-server';
import { findFreePort } from './lib/processes';
import { ensureTemporalCli } from './lib/temporal-cli';

const HISTORIES = path.resolve(__dirname, '..', 'test', 'histories');
/** Each ARM call is sent twice by the SDK (a try and one retry of its own) before an activity attempt fails. */
const ARM_CALL_ATTEMPTS = 2;
const TUNING: Partial<RunTuning> = { stepMaxAttempts: 2, retryInitialInterval: '100ms', retryMaximumInterval: '200ms', stepTimeout: '10s', heartbeatTimeout: '5s', progressInterval: '200ms' };

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const wanted = (scenario: string): boolean => only.length === 0 || only.includes(scenario);
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  let address = process.env.TEMPORAL_ADDRESS;
  let server: Awaited<ReturnType<typeof startTemporalDevServer>> | undefined;
  if (!address) {
    const port = await findFreePort();
    server = await startTemporalDevServer({ cli: await ensureTemporalCli(), host: '127.0.0.1', port, uiPort: port + 1000, headless: true });
    address = server.address;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-record-'));
  const simCloud = await startSimCloud({ port: 0, dataFile: path.join(dir, 'sim-cloud.db'), speedup: 1_000_000, credentials: { secnumcloud: 'QUALIFIED', hds: true } });
  const admin = createSimCloudAdminClient({ baseUrl: simCloud.url });
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const taskQueue = `record-${randomUUID()}`;
  const worker = await createPasserelleWorker({ connection: nativeConnection, namespace: 'default', taskQueue, simCloudUrl: simCloud.url, landingZones: createLandingZonesForSimCloud(simCloud, { maxRetries: ARM_CALL_ATTEMPTS - 1 }), replicationPollMs: 50, shutdownGraceTime: '2s' });
  const running = worker.run();

  const start = (plan: Plan, tuning: Partial<RunTuning> = {}) =>
    startMigrationRun(client, { plan, startedBy: consultant, taskQueue, tuning: { ...TUNING, ...tuning } }).then(({ handle }) => handle);
  const waitFor = async (handle: WorkflowHandle, predicate: (status: MigrationStatus) => boolean): Promise<MigrationStatus> => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const status = await handle.query(statusQuery).catch(() => undefined);
      if (status && predicate(status)) return status;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${handle.workflowId} never reached the expected status`);
  };
  const approveAll = async (handle: WorkflowHandle, plan: Plan): Promise<void> => {
    const waiting = await waitFor(handle, (status) => status.phase === 'AWAITING_APPROVAL' && status.approvals.some((approval) => approval.round === status.round));
    for (const approval of waiting.approvals.filter((candidate) => candidate.round === waiting.round && candidate.state === 'PENDING')) {
      await handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: approval.id, decision: 'APPROVE', actor: approver(plan.customer.id, [approval.role]) }] });
    }
  };
  const record = async (name: string, runId?: string): Promise<void> => {
    const history = await client.workflow.getHandle(migrationWorkflowId(`replay-${name.replace(/@.*$/, '')}`), runId).fetchHistory();
    writeFileSync(path.join(HISTORIES, `${name}.json`), `${historyToJson(history)}\n`);
    console.info(`${name}: ${history.events?.length ?? 0} events`);
  };

  try {
    mkdirSync(HISTORIES, { recursive: true });

    if (wanted('approved-completed-hospital')) {
      const hospital = fixturePlan('hospital-group', { planId: 'replay-approved-completed-hospital' });
      const completed = await start(hospital);
      await approveAll(completed, hospital);
      await completed.result();
      await record('approved-completed-hospital');
    }

    if (wanted('rejected')) {
      const rejectedPlan = smallPlan('replay-rejected');
      const rejected = await start(rejectedPlan);
      await waitFor(rejected, (status) => status.phase === 'AWAITING_APPROVAL');
      await rejected.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: 'rssi', decision: 'REJECT', comment: 'no risk analysis', actor: approver(rejectedPlan.customer.id, ['RSSI']) }] });
      await rejected.result();
      await record('rejected');
    }

    if (wanted('request-changes-amended')) {
      const amendPlan = smallPlan('replay-request-changes-amended');
      const amended = await start(amendPlan);
      await waitFor(amended, (status) => status.phase === 'AWAITING_APPROVAL');
      await amended.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: 'rssi', decision: 'REQUEST_CHANGES', comment: 'personal data', actor: approver(amendPlan.customer.id, ['RSSI']) }] });
      const newPlan = smallPlan(amendPlan.planId!, { categories: ['PERSONAL'] });
      await amended.executeUpdate(amendPlanUpdate, { args: [{ plan: newPlan, actor: consultant }] });
      await approveAll(amended, newPlan);
      await amended.result();
      await record('request-changes-amended');
    }

    if (wanted('gate-released')) {
      await admin.setCredentials({ secnumcloud: 'J2', hds: true });
      const gatePlan = smallPlan('replay-gate-released', { categories: ['DIFFUSION_RESTREINTE'] });
      gatePlan.settings.qualificationCheckInterval = 'PT1H';
      const gated = await start(gatePlan);
      await approveAll(gated, gatePlan);
      await waitFor(gated, (status) => (status.gate?.checks ?? 0) > 0);
      await admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
      await gated.signal(qualificationChangedSignal);
      await gated.result();
      await record('gate-released');
    }

    if (wanted('deadline-escalated-extended-cancelled')) {
      const deadlinePlan = smallPlan('replay-deadline-escalated-extended-cancelled');
      deadlinePlan.settings.approvalDeadline = 'PT3S';
      deadlinePlan.settings.reminderBefore = 'PT1S';
      const overdue = await start(deadlinePlan);
      await waitFor(overdue, (status) => status.status === 'NEEDS_ATTENTION');
      await overdue.executeUpdate(extendDeadlineUpdate, { args: [{ extendBy: 'P7D', actor: ops }] });
      await overdue.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'withdrawn' }] });
      await overdue.result();
      await record('deadline-escalated-extended-cancelled');
    }

    if (wanted('fault-retried')) {
      const faultPlan = smallPlan('replay-fault-retried');
      await admin.armFault({ operation: 'arm.vaults.put', mode: 'error', times: 2 * ARM_CALL_ATTEMPTS });
      await admin.armFault({ operation: 'smokeTest', mode: 'error', times: 2 });
      const faulty = await start(faultPlan);
      await approveAll(faulty, faultPlan);
      await waitFor(faulty, (status) => status.attention.some((item) => item.stepId === 'provisioning.key-vault.standard'));
      await faulty.executeUpdate(retryStepUpdate, { args: [{ stepId: 'provisioning.key-vault.standard', actor: ops }] });
      await waitFor(faulty, (status) => status.attention.some((item) => item.stepId === 'cutover.wave-1.db.smoke-test'));
      await faulty.executeUpdate(retryStepUpdate, { args: [{ stepId: 'cutover.wave-1.db.smoke-test', actor: ops }] });
      await faulty.result();
      await record('fault-retried');
      await record('fault-retried.wave-1');
    }

    if (wanted('wave-squatted')) {
      // A workflow already holds the first wave's id: the run waits for an operator, who retries once it is gone.
      const squattedPlan = smallPlan('replay-wave-squatted');
      const squatted = await start(squattedPlan);
      const squatter = client.workflow.getHandle(waveWorkflowId(squatted.workflowId, 'wave-1', squatted.firstExecutionRunId));
      await client.workflow.start('cutoverWaveWorkflow', { workflowId: squatter.workflowId, taskQueue: `${taskQueue}-nobody`, args: [] });
      await approveAll(squatted, squattedPlan);
      await waitFor(squatted, (status) => status.attention.some((item) => item.stepId === 'cutover.wave-1.start'));
      await squatter.terminate('squatter removed');
      await squatted.executeUpdate(retryStepUpdate, { args: [{ stepId: 'cutover.wave-1.start', actor: ops }] });
      await squatted.result();
      await record('wave-squatted');
    }

    if (wanted('drift-detected-repaired')) {
      // The drift check (patched('drift-check-before-cutover')) fails on a key disabled after provisioning, then passes once it is enabled again.
      const driftPlan = smallPlan('replay-drift-detected-repaired');
      await admin.armFault({ operation: 'arm.diagnosticSettings.put', mode: 'error', times: 2 * ARM_CALL_ATTEMPTS });
      const drifting = await start(driftPlan);
      await approveAll(drifting, driftPlan);
      const stopped = await waitFor(drifting, (status) => status.attention.some((item) => item.stepId === 'provisioning.log-forwarding.standard'));
      const keyId = `${stopped.resources['provisioning.key-vault.standard']}/keys/data-encryption`;
      await admin.driftArmResource({ id: keyId, properties: { attributes: { enabled: false } } });
      await drifting.executeUpdate(retryStepUpdate, { args: [{ stepId: 'provisioning.log-forwarding.standard', actor: ops }] });
      await waitFor(drifting, (status) => status.attention.some((item) => item.stepId === 'provisioning.drift-check.standard'));
      await admin.driftArmResource({ id: keyId, properties: { attributes: { enabled: true } } });
      await drifting.executeUpdate(retryStepUpdate, { args: [{ stepId: 'provisioning.drift-check.standard', actor: ops }] });
      await drifting.result();
      await record('drift-detected-repaired');
    }

    if (wanted('continued-as-new')) {
      const longPlan = smallPlan('replay-continued-as-new');
      const continued = await start(longPlan, { continueAsNewAfterEvents: 1 });
      await approveAll(continued, longPlan);
      await continued.result();
      await record('continued-as-new@first-run', continued.firstExecutionRunId);
      await record('continued-as-new');
    }
    if (wanted('gate-continued-as-new')) {
      // A gate wait that continues as new (bounded waits): checks every 50 ms until the history passes the wait floor.
      await admin.setCredentials({ secnumcloud: 'J2', hds: true });
      const waitPlan = smallPlan('replay-gate-continued-as-new', { categories: ['DIFFUSION_RESTREINTE'] });
      waitPlan.settings.qualificationCheckInterval = 'PT0.05S';
      const waiting = await start(waitPlan, { continueAsNewAfterEvents: 1 });
      await approveAll(waiting, waitPlan);
      const deadline = Date.now() + 120_000;
      while ((await waiting.describe()).runId === waiting.firstExecutionRunId) {
        if (Date.now() > deadline) throw new Error('the gate never continued as new');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
      await waiting.signal(qualificationChangedSignal);
      await waiting.result();
      await record('gate-continued-as-new@first-run', waiting.firstExecutionRunId);
      await record('gate-continued-as-new');
    }
    if (wanted('gate-per-zone')) {
      // The gate per zone (R9): the hospital at milestone J2 moves its website while the SecNumCloud/HDS zone waits; the
      // wait continues as new with the per-zone state, then everything else moves once the provider is qualified.
      await admin.setCredentials({ secnumcloud: 'J2', hds: true });
      const hospital = fixturePlan('hospital-group', { planId: 'replay-gate-per-zone', settings: { qualificationCheckInterval: 'PT0.05S' } });
      const zoned = await start(hospital, { continueAsNewAfterEvents: 1 });
      await approveAll(zoned, hospital);
      const deadline = Date.now() + 120_000;
      while ((await zoned.describe()).runId === zoned.firstExecutionRunId) {
        if (Date.now() > deadline) throw new Error('the gate per zone never continued as new');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
      await zoned.signal(qualificationChangedSignal);
      await zoned.result();
      await record('gate-per-zone@first-run', zoned.firstExecutionRunId);
      await record('gate-per-zone');
    }

    if (wanted('cutover-window-opened')) {
      // Cutover windows: the plan's window has passed, so the wave waits for an operator, who
      // opens an exceptional window two seconds ahead; the wave waits for it on a timer, then switches.
      const windowPlan = smallPlan('replay-cutover-window-opened');
      windowPlan.cutoverWindow = { start: '2026-01-10T22:00:00Z', end: '2026-01-11T04:00:00Z', switchoverDuration: 'PT5S' };
      const windowed = await start(windowPlan);
      await approveAll(windowed, windowPlan);
      await waitFor(windowed, (status) => status.attention.some((item) => item.reason === 'NO_CUTOVER_WINDOW'));
      const opensAt = new Date(Date.now() + 2_000).toISOString();
      const closesAt = new Date(Date.now() + 10 * 60_000).toISOString();
      await windowed.executeUpdate(openCutoverWindowUpdate, { args: [{ opensAt, closesAt, reason: 'switch moved to today', actor: ops }] });
      await windowed.result();
      await record('cutover-window-opened');
      // The wave holds the window's wait; its file keeps the `.wave-1` name, replayed under the id the name gives.
      const wave = await client.workflow.getHandle(waveWorkflowId(windowed.workflowId, 'wave-1', windowed.firstExecutionRunId)).fetchHistory();
      writeFileSync(path.join(HISTORIES, 'cutover-window-opened.wave-1.json'), `${historyToJson(wave)}\n`);
      console.info(`cutover-window-opened.wave-1: ${wave.events?.length ?? 0} events`);
    }

    if (wanted('rehearsal-retried')) {
      // Rehearsals (patched('rehearsal')): wave-1 rehearses; the customer's RSSI reports a problem, an operator retries
      // the rehearsal, the RSSI confirms it, and the wave cuts over.
      const rehearsalPlan = smallPlan('replay-rehearsal-retried');
      rehearsalPlan.settings = { ...rehearsalPlan.settings, rehearsal: 'OPTIONAL', rehearsalWaves: ['wave-1'] };
      const rssi = approver(rehearsalPlan.customer.id, ['RSSI']);
      const rehearsed = await start(rehearsalPlan);
      await approveAll(rehearsed, rehearsalPlan);
      await waitFor(rehearsed, (status) => status.waves[0]?.rehearsal?.state === 'AWAITING_DECISION');
      await rehearsed.executeUpdate(decideRehearsalUpdate, { args: [{ waveId: 'wave-1', decision: 'REPORT_PROBLEM', comment: 'the export does not open', actor: rssi }] });
      await waitFor(rehearsed, (status) => status.attention.some((item) => item.reason === 'REHEARSAL_FAILED'));
      await rehearsed.executeUpdate(retryStepUpdate, { args: [{ stepId: 'cutover.wave-1.rehearsal', actor: ops }] });
      await waitFor(rehearsed, (status) => status.waves[0]?.rehearsal?.state === 'AWAITING_DECISION' && status.waves[0].rehearsal.attempt === 2);
      await rehearsed.executeUpdate(decideRehearsalUpdate, { args: [{ waveId: 'wave-1', decision: 'CONFIRM', actor: rssi }] });
      await rehearsed.result();
      await record('rehearsal-retried');
      const wave = await client.workflow.getHandle(waveWorkflowId(rehearsed.workflowId, 'wave-1', rehearsed.firstExecutionRunId)).fetchHistory();
      writeFileSync(path.join(HISTORIES, 'rehearsal-retried.wave-1.json'), `${historyToJson(wave)}\n`);
      console.info(`rehearsal-retried.wave-1: ${wave.events?.length ?? 0} events`);
    }

    if (wanted('risk-accepted')) {
      // The residual-risk register (patched('risk-register')): a ministry at milestone J2 is granted a derogation for its
      // SECNUMCLOUD zone; the derogation's risk opens and holds the zone's wave until the homologation authority accepts it.
      await admin.setCredentials({ secnumcloud: 'J2', hds: true });
      const validated = validatePlan({
        planId: 'replay-risk-accepted',
        customer: { id: 'ministere-replay', name: 'Ministère', type: 'STATE' },
        workloads: [{ id: 'portail', name: 'Portail', kind: 'app', sizeGb: 5, dataCategories: ['BUSINESS_SECRET'], dependsOn: [], criticality: 'MEDIUM' }],
        settings: { qualificationCheckInterval: 'PT1H' },
      });
      if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
      const riskPlan = validated.plan;
      const authority = approver(riskPlan.customer.id, ['HOMOLOGATION_AUTHORITY']);
      const derogated = await start(riskPlan);
      await approveAll(derogated, riskPlan);
      // At the gate once the tenant is provisioned: a decision taken while the tenant is provisioned waits for the next check.
      await waitFor(derogated, (status) => status.phase === 'AWAITING_QUALIFICATION' && status.steps.some((step) => step.id === 'provisioning.tenant' && step.state === 'SUCCEEDED'));
      await derogated.executeUpdate(requestDerogationUpdate, { args: [{ zoneId: 'secnumcloud', reason: 'the old site closes', actor: consultant }] });
      const expiresAt = new Date(Date.now() + 90 * 24 * 3600 * 1000).toISOString();
      await derogated.executeUpdate(grantDerogationUpdate, { args: [{ zoneId: 'secnumcloud', justification: 'continuity', compensatingMeasures: ['customer-held keys'], expiresAt, actor: authority }] });
      await waitFor(derogated, (status) => status.waves.some((wave) => wave.heldBy !== undefined));
      await derogated.executeUpdate(acceptRisksUpdate, { args: [{ riskIds: ['derogation.secnumcloud'], actor: authority }] });
      await derogated.result();
      await admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
      await record('risk-accepted');
    }
  } finally {
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
    await simCloud.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
