import {
  classifyPlan,
  checkRehearsals,
  rehearsalApprovalId,
  rehearsalAttentionId,
  rehearsalDeadlineMs,
  stepIds,
  stepOperationOf,
  validatePlan,
  type ValidationIssue,
  waveRehearses,
} from '../../domain';
import { planInput, validPlan, workload } from './support/plans';

function errorsOf(input: unknown): ValidationIssue[] {
  const result = validatePlan(input);
  if (result.ok) throw new Error('expected the plan to be rejected');
  return result.errors;
}

const withSettings = (settings: Record<string, unknown>) => planInput([workload('web'), workload('app', { dependsOn: ['web'] })], 'PRIVATE', { settings });

describe('the rehearsal setting of a plan', () => {
  it('rehearses every wave when REQUIRED, the listed waves when OPTIONAL, and none without the setting', () => {
    const required = validPlan(withSettings({ rehearsal: 'REQUIRED' }));
    expect(['wave-1', 'wave-2'].map((waveId) => waveRehearses(required.settings, waveId))).toEqual([true, true]);
    const optional = validPlan(withSettings({ rehearsal: 'OPTIONAL', rehearsalWaves: ['wave-2'] }));
    expect(['wave-1', 'wave-2'].map((waveId) => waveRehearses(optional.settings, waveId))).toEqual([false, true]);
    const none = validPlan(withSettings({}));
    expect(waveRehearses(none.settings, 'wave-1')).toBe(false);
    expect(none.settings).not.toHaveProperty('rehearsal');
  });

  it('gives the customer seven days to decide unless the plan says otherwise', () => {
    expect(rehearsalDeadlineMs(validPlan(withSettings({ rehearsal: 'REQUIRED' })).settings)).toBe(7 * 86_400_000);
    expect(rehearsalDeadlineMs(validPlan(withSettings({ rehearsal: 'REQUIRED', rehearsalApprovalDeadline: 'PT36H' })).settings)).toBe(36 * 3_600_000);
  });

  it('names each setting that contradicts another', () => {
    expect(errorsOf(withSettings({ rehearsal: 'REQUIRED', rehearsalWaves: ['wave-1'] }))).toEqual([
      { path: 'settings.rehearsalWaves', message: 'must be left out when settings.rehearsal is REQUIRED: every wave rehearses' },
    ]);
    expect(errorsOf(withSettings({ rehearsal: 'OPTIONAL' }))).toEqual([
      { path: 'settings.rehearsalWaves', message: 'must name at least one wave (wave-1, wave-2…) when settings.rehearsal is OPTIONAL' },
    ]);
    expect(errorsOf(withSettings({ rehearsalWaves: ['wave-1'] }))).toEqual([{ path: 'settings.rehearsalWaves', message: 'needs settings.rehearsal set to OPTIONAL' }]);
    expect(errorsOf(withSettings({ rehearsalApprovalDeadline: 'P3D' }))).toEqual([
      { path: 'settings.rehearsalApprovalDeadline', message: 'needs settings.rehearsal (REQUIRED or OPTIONAL): no wave rehearses without it' },
    ]);
  });

  it('refuses an unknown mode, a malformed or repeated wave id, and a deadline that is no duration', () => {
    expect(errorsOf(withSettings({ rehearsal: 'ALWAYS' }))[0]).toMatchObject({ path: 'settings.rehearsal' });
    expect(errorsOf(withSettings({ rehearsal: 'OPTIONAL', rehearsalWaves: ['wave-1', 'second', 'wave-1'] }))).toEqual([
      { path: 'settings.rehearsalWaves[1]', message: 'must be a wave id such as wave-2, not "second"' },
      { path: 'settings.rehearsalWaves[2]', message: 'repeats "wave-1"' },
    ]);
    expect(errorsOf(withSettings({ rehearsal: 'REQUIRED', rehearsalApprovalDeadline: 'a week' }))[0]).toMatchObject({ path: 'settings.rehearsalApprovalDeadline' });
  });

  it('names a listed wave the plan does not have, once classified', () => {
    const plan = validPlan(withSettings({ rehearsal: 'OPTIONAL', rehearsalWaves: ['wave-2', 'wave-9'] }));
    expect(checkRehearsals(plan, classifyPlan(plan))).toEqual([{ path: 'settings.rehearsalWaves[1]', message: 'names no wave of this plan, which has 2 (wave-1 to wave-2)' }]);
  });
});

describe('the rehearsal’s ids', () => {
  it('names the approval, the attention item and each workload’s steps, and a fleet operation finds each', () => {
    expect(rehearsalApprovalId('wave-2')).toBe('rehearsal.wave-2');
    expect(rehearsalAttentionId('wave-2')).toBe('cutover.wave-2.rehearsal');
    expect(stepIds.rehearsal('wave-2', 'dpi', 'rehearse-launch')).toBe('cutover.wave-2.dpi.rehearse-launch');
    expect(stepOperationOf(rehearsalAttentionId('wave-2'))).toBe('rehearsal');
    expect(stepOperationOf(stepIds.rehearsal('wave-2', 'dpi', 'rehearse-smoke-test'))).toBe('rehearse-smoke-test');
    expect(stepOperationOf(stepIds.waveStart('wave-2'))).toBe('wave-start');
  });
});
