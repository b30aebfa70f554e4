/**
 * Names no one can squat: every workflow id the product derives from a run's id (today its
 * cutover waves) lies outside what a plan id or an Idempotency-Key can name, so no plan can
 * occupy another run's child before that run needs it.
 */
import fc from 'fast-check';
import { IDEMPOTENCY_KEY_PATTERN } from '../../api/validation';
import { migrationWorkflowId, PLAN_ID_PATTERN, validatePlan, waveWorkflowId } from '../../domain';
import { planInput, workload } from './support/plans';

/** Every id a caller can make the product start a run under. */
const callerChosenKey = fc.oneof(fc.stringMatching(PLAN_ID_PATTERN), fc.stringMatching(IDEMPOTENCY_KEY_PATTERN));

/** Every workflow id the product derives from a run's id. */
const derivedForms: ((runWorkflowId: string, index: number) => string)[] = [(runWorkflowId, index) => waveWorkflowId(runWorkflowId, `wave-${index}`)];

describe('derived workflow ids', () => {
  it('are never the workflow id of a run that a caller can start', () => {
    fc.assert(
      fc.property(callerChosenKey, callerChosenKey, fc.integer({ min: 1, max: 10_000 }), (victimKey, attackerKey, index) => {
        const victim = migrationWorkflowId(victimKey);
        for (const derive of derivedForms) expect(migrationWorkflowId(attackerKey)).not.toBe(derive(victim, index));
      }),
      { numRuns: 2_000 },
    );
  });

  it('cannot be reached by a plan id or an Idempotency-Key naming the child of a given run', () => {
    for (const derive of derivedForms) {
      for (const index of [1, 2, 10, 100]) {
        // The attacker's key, such that migrationWorkflowId(key) would be the victim's child.
        const squatting = derive(migrationWorkflowId('victim'), index).slice('migration-'.length);
        expect(validatePlan(planInput([workload('web')], 'PRIVATE', { planId: squatting })).ok).toBe(false);
        expect(IDEMPOTENCY_KEY_PATTERN.test(squatting)).toBe(false);
      }
    }
  });
});
