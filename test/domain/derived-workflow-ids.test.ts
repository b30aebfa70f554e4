/**
 * Names no one can squat: every workflow id the product derives (a run's waves, in their
 * current and legacy forms, and its clean-up) lies outside what a caller can name, whether it
 * starts a run (plan id, Idempotency-Key) or imports a draft (customer id), so no caller can
 * occupy another run's child before that run needs it.
 */
import fc from 'fast-check';
import { IDEMPOTENCY_KEY_PATTERN } from '../../api/validation';
import { BATCH_ID_PATTERN, batchWorkflowId, cleanupWorkflowId, draftWorkflowId, legacyWaveWorkflowId, migrationWorkflowId, PLAN_ID_PATTERN, SLUG_PATTERN, validatePlan, waveWorkflowId } from '../../domain';
import { planInput, workload } from './support/plans';

/** A run's workflow id, from any plan id or Idempotency-Key a caller may send. */
const runId = fc.oneof(fc.stringMatching(PLAN_ID_PATTERN), fc.stringMatching(IDEMPOTENCY_KEY_PATTERN)).map(migrationWorkflowId);
/** A draft's workflow id, from any customer id a caller may send (the random part is the API's). */
const draftId = fc.tuple(fc.stringMatching(SLUG_PATTERN), fc.stringMatching(/^[0-9a-f]{8}$/)).map(([customerId, random]) => draftWorkflowId(customerId, random));
/** Every workflow id a caller can make the product start. */
const callerNamed = fc.oneof(runId, draftId);

/** Every workflow id the product derives from a run's id and what Temporal assigned it. */
const derivedForms: Record<string, (runWorkflowId: string, index: number, temporalRunId: string) => string> = {
  wave: (run, index, temporalRunId) => waveWorkflowId(run, `wave-${index}`, temporalRunId),
  'legacy wave': (run, index) => legacyWaveWorkflowId(run, `wave-${index}`),
  'clean-up': (run, _index, temporalRunId) => cleanupWorkflowId(run, temporalRunId),
};

describe('derived workflow ids', () => {
  it.each(Object.keys(derivedForms))('are never a workflow id a caller can name: %s', (form) => {
    const derive = derivedForms[form]!;
    fc.assert(
      fc.property(runId, callerNamed, fc.integer({ min: 1, max: 10_000 }), fc.uuid(), (victim, attacker, index, temporalRunId) => {
        expect(attacker).not.toBe(derive(victim, index, temporalRunId));
      }),
      { numRuns: 2_000 },
    );
  });

  it('leave batches (fleet operations) out of reach: no run or draft id a caller names is a batch id', () => {
    fc.assert(fc.property(callerNamed, fc.uuid(), (named, uuid) => expect(named).not.toBe(batchWorkflowId(uuid))), { numRuns: 2_000 });
    fc.assert(fc.property(callerNamed, (named) => expect(BATCH_ID_PATTERN.test(named)).toBe(false)));
  });

  it('keep runs and drafts apart', () => {
    fc.assert(fc.property(runId, draftId, (run, draft) => expect(run).not.toBe(draft)));
  });

  it.each(Object.keys(derivedForms))('cannot be reached by a plan id, an Idempotency-Key or a customer id naming the %s of a given run', (form) => {
    const derive = derivedForms[form]!;
    for (const index of [1, 2, 10, 100]) {
      const target = derive(migrationWorkflowId('victim'), index, '8d6c1f0e-3b0e-4c8a-9d5e-0a1b2c3d4e5f');
      // The attacker's key, such that migrationWorkflowId(key) would be the victim's child.
      const squatting = target.slice('migration-'.length);
      expect(validatePlan(planInput([workload('web')], 'PRIVATE', { planId: squatting })).ok).toBe(false);
      expect(IDEMPOTENCY_KEY_PATTERN.test(squatting)).toBe(false);
      expect(target.startsWith('draft-')).toBe(false);
    }
  });

  it('key waves by the run that Temporal started, not by the plan alone', () => {
    const run = migrationWorkflowId('lot-1');
    expect(waveWorkflowId(run, 'wave-1', 'first-run')).not.toBe(waveWorkflowId(run, 'wave-1', 'another-run'));
    expect(waveWorkflowId(run, 'wave-1', 'first-run')).not.toBe(legacyWaveWorkflowId(run, 'wave-1'));
  });
});
