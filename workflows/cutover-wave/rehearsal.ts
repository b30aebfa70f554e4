/**
 * A wave's rehearsal (test migration, domain/rehearsals.ts): once every workload of the wave has
 * replicated, each is launched in an isolated test network and smoke-tested there; the
 * customer's approver then confirms the rehearsal or reports a problem before its deadline. The
 * test launches are always torn down, whatever happened (a non-cancellable `finally`). Nothing
 * here touches a source or a DNS record: a failed rehearsal leaves every source live, and the
 * wave waits for an operator to retry the rehearsal or skip it with a reason before any freeze.
 */
import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';
import {
  type AttentionView,
  formatDuration,
  message,
  REHEARSAL_APPROVER_ROLE,
  REHEARSAL_STEPS,
  type RehearsalDecision,
  type RehearsalLaunch,
  type RehearsalStepName,
  type RehearsalView,
  rehearsalApprovalId,
  rehearsalAttentionId,
  stepIds,
} from '../../domain';
import type { WaveRehearsalInput, WaveWorkload } from '../cutover-wave';
import { describeFailure, nowIso } from '../run-state';
import type { WaveState } from './state';

/**
 * The most rehearsals a wave runs (the first and the operator's retries): each costs its
 * history a few events per workload, so that this bounds the wave's history with a rehearsal.
 * Past it, the operator may only skip the rehearsal (the run's validator says so).
 */
export const MAX_REHEARSAL_ATTEMPTS = 5;

/** The customer's decision on a rehearsal, as the run forwards it. */
export interface RehearsalDecisionInput {
  decision: RehearsalDecision;
  by: string;
  at: string;
  comment?: string;
}

/** One wave's rehearsal, shared by the workloads of the wave: each waits for it before its freeze. */
export class WaveRehearsal {
  view: RehearsalView;
  /** True once the rehearsal passed or an operator skipped it: the workloads may freeze. */
  private settled = false;
  private decision: RehearsalDecisionInput | undefined;
  /** Test launches an earlier attempt could not tear down: the next attempt takes them down first. */
  private leftovers: Array<{ workloadId: string; launchId: string }> = [];

  constructor(
    private readonly wave: WaveState,
    private readonly input: WaveRehearsalInput,
  ) {
    const { waveId } = wave.input;
    this.view = {
      state: 'WAITING_FOR_REPLICATION',
      approvalId: rehearsalApprovalId(waveId),
      role: REHEARSAL_APPROVER_ROLE,
      attempt: 1,
      launches: wave.input.workloads.map((workload) => ({ workloadId: workload.id })),
    };
    const id = this.stepId;
    wave.steps.set(id, { id, phase: 'CUTOVER', title: `${waveId}: rehearsal`, state: 'PENDING', waveId });
    wave.changedSteps.add(id);
    for (const workload of wave.input.workloads) {
      for (const definition of REHEARSAL_STEPS) {
        const stepId = this.workloadStepId(workload.id, definition.name);
        wave.steps.set(stepId, { id: stepId, phase: 'CUTOVER', title: `${workload.name}: ${definition.title}`, state: 'PENDING', workloadId: workload.id, waveId });
        wave.changedSteps.add(stepId);
      }
    }
  }

  /** The wave-level step of the rehearsal, under which it waits for an operator after a failure. */
  get stepId(): string {
    return rehearsalAttentionId(this.wave.input.waveId);
  }

  private workloadStepId(workloadId: string, name: RehearsalStepName): string {
    return stepIds.rehearsal(this.wave.input.waveId, workloadId, name);
  }

  /** Takes the customer's decision, forwarded by the run; only while the rehearsal waits for it. */
  decide(decision: RehearsalDecisionInput): void {
    if (this.view.state === 'AWAITING_DECISION' && this.decision === undefined) this.decision = decision;
  }

  /** Resolves once the rehearsal passed or was skipped: a workload calls it before its freeze. */
  async passed(): Promise<void> {
    await condition(() => this.settled);
  }

  /**
   * Runs the rehearsal once every workload has replicated (or was skipped), then again on each
   * operator's retry after a failure, until it passes or an operator skips it.
   */
  async run(replicated: ReadonlySet<string>): Promise<void> {
    const { wave } = this;
    await condition(() => wave.input.workloads.every((workload) => replicated.has(workload.id) || wave.skipped.includes(workload.id)));
    for (;;) {
      const failure = await this.attempt();
      if (failure === undefined) {
        this.view.state = 'PASSED';
        wave.setState(this.stepId, 'SUCCEEDED');
        break;
      }
      const decision = await this.holdForOperator(failure);
      if (decision.action === 'skip') {
        this.view.state = 'SKIPPED';
        this.view.skippedReason = decision.reason ?? 'skipped by an operator';
        delete this.view.failure;
        wave.setState(this.stepId, 'SKIPPED', { skippedReason: this.view.skippedReason });
        break;
      }
      this.startOver();
    }
    this.settled = true;
    wave.dirty = true;
  }

  /** One rehearsal: launches, smoke tests, the customer's decision; the test launches torn down in every case. Answers why it failed, or undefined when it passed. */
  private async attempt(): Promise<string | undefined> {
    const { wave } = this;
    const workloads = wave.input.workloads.filter((workload) => !wave.skipped.includes(workload.id));
    this.view.state = 'LAUNCHING';
    wave.setState(this.stepId, 'RUNNING');
    const leftover = await this.tearDownLeftovers();
    if (leftover !== undefined) return leftover;
    try {
      const launchFailures = (await Promise.all(workloads.map((workload) => this.launch(workload)))).filter((failure) => failure !== undefined);
      if (launchFailures.length > 0) return launchFailures.join('; ');
      const smokeFailures = (await Promise.all(workloads.map((workload) => this.smokeTest(workload)))).filter((failure) => failure !== undefined);
      if (smokeFailures.length > 0) return smokeFailures.join('; ');
      return await this.awaitDecision();
    } finally {
      // A cancelled run still takes its test launches down: they cost, and hold a copy of the data.
      await CancellationScope.nonCancellable(() => this.tearDown(workloads));
    }
  }

  private launchOf(workloadId: string): RehearsalLaunch {
    return this.view.launches.find((launch) => launch.workloadId === workloadId)!;
  }

  private async launch(workload: WaveWorkload): Promise<string | undefined> {
    const { wave } = this;
    const id = this.workloadStepId(workload.id, 'rehearse-launch');
    wave.setState(id, 'RUNNING');
    try {
      const { launchId, network } = await wave.activities.provider.launchTestInstance({ idempotencyKey: wave.keyFor(id), tenantId: wave.input.tenantId, workloadId: workload.id });
      Object.assign(this.launchOf(workload.id), { launchId, network });
      wave.setState(id, 'SUCCEEDED');
      return undefined;
    } catch (error) {
      if (isCancellation(error)) throw error;
      return this.fail(workload, id, `the test instance of ${workload.name} could not be launched`, error);
    }
  }

  private async smokeTest(workload: WaveWorkload): Promise<string | undefined> {
    const { wave } = this;
    const id = this.workloadStepId(workload.id, 'rehearse-smoke-test');
    const launch = this.launchOf(workload.id);
    wave.setState(id, 'RUNNING');
    try {
      const result = await wave.activities.provider.smokeTestLaunch({ idempotencyKey: wave.keyFor(id), launchId: launch.launchId! });
      launch.smokeTest = result;
      if (result.outcome === 'PASSED') {
        wave.setState(id, 'SUCCEEDED');
        return undefined;
      }
      const failed = result.checks.filter((check) => check.outcome !== 'PASSED').map((check) => check.name);
      const reason = `the smoke test of ${workload.name}'s test instance failed (${failed.join(', ')})`;
      wave.setState(id, 'FAILED', { error: { message: reason, type: 'CheckFailedError', attempts: 1, at: nowIso() } });
      return reason;
    } catch (error) {
      if (isCancellation(error)) throw error;
      return this.fail(workload, id, `the test instance of ${workload.name} could not be smoke-tested`, error);
    }
  }

  private fail(workload: WaveWorkload, id: string, what: string, error: unknown): string {
    const failure = describeFailure(error);
    this.launchOf(workload.id).error = failure.message;
    this.wave.setState(id, 'FAILED', { error: { ...failure, attempts: this.wave.input.tuning.stepMaxAttempts, at: nowIso() } });
    return `${what}: ${failure.message}`;
  }

  /** Waits for the customer's decision until the deadline: one condition with its timer. */
  private async awaitDecision(): Promise<string | undefined> {
    const { wave } = this;
    this.view.state = 'AWAITING_DECISION';
    this.view.deadline = new Date(Date.now() + this.input.deadlineMs).toISOString();
    wave.setState(this.stepId, 'WAITING');
    await wave.flush();
    const decided = await condition(() => this.decision !== undefined, this.input.deadlineMs);
    delete this.view.deadline;
    if (!decided) return `no decision from the customer's ${REHEARSAL_APPROVER_ROLE} within ${formatDuration(this.input.deadlineMs)}`;
    const decision = this.decision!;
    this.view.decision = decision;
    if (decision.decision === 'CONFIRM') return undefined;
    return `${decision.by} reported a problem${decision.comment ? `: ${decision.comment}` : ''}`;
  }

  /** Tears down every launch of this attempt; a teardown that keeps failing is shown, and fails the rehearsal. */
  private async tearDown(workloads: WaveWorkload[]): Promise<void> {
    const { wave } = this;
    this.view.state = 'TEARING_DOWN';
    await Promise.all(
      workloads.map(async (workload) => {
        const launch = this.launchOf(workload.id);
        const id = this.workloadStepId(workload.id, 'rehearse-teardown');
        if (launch.launchId === undefined) {
          wave.setState(id, 'SKIPPED', { skippedReason: 'nothing was launched' });
          return;
        }
        wave.setState(id, 'RUNNING');
        try {
          await wave.activities.provider.tearDownTestLaunch({ idempotencyKey: wave.keyFor(id), launchId: launch.launchId });
          launch.tornDown = true;
          wave.setState(id, 'SUCCEEDED');
        } catch (error) {
          this.fail(workload, id, `the test instance of ${workload.name} could not be torn down`, error);
        }
      }),
    );
  }

  /** Takes down what an earlier attempt left up; answers why one is still up, if one is. */
  private async tearDownLeftovers(): Promise<string | undefined> {
    const { wave } = this;
    const remaining: typeof this.leftovers = [];
    for (const leftover of this.leftovers) {
      const id = this.workloadStepId(leftover.workloadId, 'rehearse-teardown');
      try {
        await wave.activities.provider.tearDownTestLaunch({ idempotencyKey: `${wave.keyFor(id)}/leftover`, launchId: leftover.launchId });
      } catch (error) {
        if (isCancellation(error)) throw error;
        remaining.push(leftover);
      }
    }
    this.leftovers = remaining;
    if (remaining.length === 0) return undefined;
    this.view.launches = this.view.launches.map((launch) => {
      const left = remaining.find((candidate) => candidate.workloadId === launch.workloadId);
      return left ? { ...launch, launchId: left.launchId } : launch;
    });
    return `test launch(es) ${remaining.map((left) => left.launchId).join(', ')} of an earlier rehearsal could not be torn down`;
  }

  /** Shows the failure, with every source still live, and waits for an operator's retry or skip. */
  private async holdForOperator(failure: string): Promise<{ action: 'retry' | 'skip'; reason?: string }> {
    const { wave } = this;
    const teardownFailed = this.view.launches.some((launch) => launch.launchId !== undefined && !launch.tornDown);
    const reason = teardownFailed ? `${failure}; a test instance is still up: retry to tear it down` : failure;
    this.view.state = 'FAILED';
    this.view.failure = reason;
    wave.setState(this.stepId, 'FAILED', { error: { message: reason, type: 'RehearsalFailed', attempts: this.view.attempt, at: nowIso() } });
    const waveId = wave.input.waveId;
    const attention: AttentionView = {
      stepId: this.stepId,
      reason: 'REHEARSAL_FAILED',
      message: `The rehearsal of ${waveId} failed: ${reason}; every source stays live until an operator retries or skips it`,
      text: message('ATTENTION_REHEARSAL_FAILED', { waveId, error: reason }),
      since: nowIso(),
    };
    wave.attention.set(this.stepId, attention);
    await wave.flush();
    await condition(() => wave.decisions.has(this.stepId));
    const decision = wave.decisions.get(this.stepId)!;
    wave.decisions.delete(this.stepId);
    wave.attention.delete(this.stepId);
    return decision;
  }

  /** A retry: a new attempt with new idempotency generations, so that the provider launches again. */
  private startOver(): void {
    const { wave } = this;
    this.view.attempt += 1;
    delete this.view.failure;
    delete this.view.decision;
    this.decision = undefined;
    for (const launch of this.view.launches) {
      if (launch.launchId !== undefined && !launch.tornDown && !this.leftovers.some((left) => left.launchId === launch.launchId)) {
        this.leftovers.push({ workloadId: launch.workloadId, launchId: launch.launchId });
      }
    }
    this.view.launches = this.view.launches.map((launch) => ({ workloadId: launch.workloadId }));
    for (const workload of wave.input.workloads) {
      for (const definition of REHEARSAL_STEPS) {
        const id = this.workloadStepId(workload.id, definition.name);
        wave.generations[id] = (wave.generations[id] ?? 0) + 1;
        wave.setState(id, 'PENDING');
      }
    }
  }
}
