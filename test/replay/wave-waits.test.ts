import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A cutover wave (child workflow) may wait months for an operator (a failed step,
 * NEEDS_ATTENTION) or in a pause. Its waits are conditions on its state without a timer, so its
 * history grows with what happens (steps, reports, operators' signals), never with the time it
 * waits, and it needs no continue-as-new: a recorded wave that waited for an operator starts no
 * timer and schedules nothing between the failure and the operator's decision.
 */
describe('a cutover wave that waits for an operator', () => {
  // The recorded JSON as written (event types by name).
  const { events } = JSON.parse(readFileSync(path.join(__dirname, '..', 'histories', 'fault-retried.wave-1.json'), 'utf8')) as {
    events: Array<{ eventType: string; workflowExecutionSignaledEventAttributes?: { signalName?: string } }>;
  };
  const typeOf = (index: number) => events[index]?.eventType ?? '';

  it('writes nothing to its history while it waits, whatever the wait lasts', () => {
    const failed = events.findIndex((event) => event.eventType === 'EVENT_TYPE_ACTIVITY_TASK_FAILED');
    const decision = events.findIndex((event, index) => index > failed && event.workflowExecutionSignaledEventAttributes?.signalName === 'waveControl');
    expect(failed).toBeGreaterThan(0);
    expect(decision).toBeGreaterThan(failed);
    const during = events.slice(failed + 1, decision).map((event) => event.eventType);
    // The source made live again and the failure reported to the run; then nothing until the decision.
    expect(during.filter((type) => type.includes('TIMER_STARTED'))).toEqual([]);
    expect(during.filter((type) => type.includes('ACTIVITY_TASK_SCHEDULED'))).toHaveLength(2);
    expect(typeOf(decision - 1)).toMatch(/WORKFLOW_TASK_COMPLETED/);
    expect(typeOf(decision - 2)).toMatch(/WORKFLOW_TASK_STARTED/);
    expect(typeOf(decision - 3)).toMatch(/WORKFLOW_TASK_SCHEDULED/);
  });
});
