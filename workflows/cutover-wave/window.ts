/**
 * A wave's cutover window: a workload's freeze starts only inside a window that still holds
 * the wave's switchover estimate, and waits durably (one timer to the window's opening) for
 * the next one otherwise. The windows come from a local activity (the time-zone database is
 * not a deterministic input of workflow code); an exceptional window that ops open wakes the
 * wait at once.
 */
import { condition, proxyLocalActivities } from '@temporalio/workflow';
import type { MigrationActivities } from '../../activities';
import { type AttentionView, formatDuration, message, type WaveWindowView } from '../../domain';
import type { WaveWindowInput } from '../cutover-wave';
import { nowIso } from '../run-state';
import { stepRetryPolicy } from '../tuning';
import type { WaveState } from './state';

/** One wave's window gate, shared by the workloads of the wave. */
export class CutoverWindowGate {
  private readonly windows;
  private readonly exceptional: Array<{ opensAt: string; closesAt: string }>;
  /** Counts the exceptional windows opened while the wave runs, so that a wait looks again. */
  private openings = 0;
  /** The search in progress, which workloads reaching their freeze together share. */
  private entering: Promise<number> | undefined;
  /** What the wave's status shows; undefined until a workload first reaches its freeze. */
  view: WaveWindowView | undefined;
  private readonly switchoverDuration: string;

  constructor(
    private readonly wave: WaveState,
    private readonly input: WaveWindowInput,
  ) {
    this.windows = proxyLocalActivities<MigrationActivities>({ startToCloseTimeout: '30s', retry: stepRetryPolicy(wave.input.tuning) });
    this.exceptional = [...input.exceptional];
    this.switchoverDuration = formatDuration(input.switchoverMs);
  }

  private get attentionId(): string {
    return `cutover.${this.wave.input.waveId}.window`;
  }

  /** Takes in a window that ops opened; a wave waiting for its window looks again at once. */
  open(window: { opensAt: string; closesAt: string }): void {
    this.exceptional.push(window);
    this.openings += 1;
  }

  /**
   * Resolves once the wave is inside a window that still holds its switchover, with the instant
   * that window closes (ms). Workloads that arrive together share one search.
   */
  async enter(): Promise<number> {
    this.entering ??= this.search().finally(() => {
      this.entering = undefined;
    });
    return await this.entering;
  }

  private async search(): Promise<number> {
    for (;;) {
      const seen = this.openings;
      const next = await this.windows.nextCutoverWindow({ rule: this.input.rule, now: nowIso(), durationMs: this.input.switchoverMs, exceptional: this.exceptional });
      if (!next) {
        this.show({ state: 'NO_WINDOW_LEFT' }, {
          stepId: this.attentionId,
          reason: 'NO_CUTOVER_WINDOW',
          message: `${this.wave.input.waveId}: no cutover window is left that holds its switchover (${this.switchoverDuration}); ops may open an exceptional window`,
          ...(this.wave.messageCodes ? { text: message('ATTENTION_NO_CUTOVER_WINDOW', { waveId: this.wave.input.waveId, switchoverDuration: this.switchoverDuration }) } : {}),
          since: nowIso(),
        });
        await this.wave.flush();
        await condition(() => this.openings !== seen);
        continue;
      }
      const opensAt = Date.parse(next.opensAt);
      if (opensAt <= Date.now()) {
        this.show({ state: 'IN_WINDOW', opensAt: next.opensAt, closesAt: next.closesAt, exceptional: next.exceptional });
        return Date.parse(next.closesAt);
      }
      this.show({ state: 'WAITING_FOR_WINDOW', opensAt: next.opensAt, closesAt: next.closesAt, exceptional: next.exceptional });
      await this.wave.flush();
      // One durable timer to the window's opening; an exceptional window ends it early.
      await condition(() => this.openings !== seen, opensAt - Date.now());
    }
  }

  private show(change: Pick<WaveWindowView, 'state' | 'opensAt' | 'closesAt' | 'exceptional'>, attention?: AttentionView): void {
    const timeZone = this.input.rule.timeZone;
    this.view = { ...(timeZone === undefined ? {} : { timeZone }), switchoverDuration: this.switchoverDuration, ...change };
    if (attention) this.wave.attention.set(this.attentionId, attention);
    else this.wave.attention.delete(this.attentionId);
    this.wave.dirty = true;
  }
}
