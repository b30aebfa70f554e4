import { z } from 'zod';
import { MAX_REPORTED_ERRORS, MAX_WORKLOADS, PlanSchema, resolveSettingDurations, validatePlan, type ValidationIssue } from '../../domain';
import { planInput, validPlan, workload } from './support/plans';

function errorsOf(input: unknown): ValidationIssue[] {
  const result = validatePlan(input);
  if (result.ok) throw new Error('expected the plan to be rejected');
  return result.errors;
}

describe('validatePlan accepts valid plans', () => {
  it('accepts a minimal plan and applies every default', () => {
    const plan = validPlan({
      customer: { id: 'acme', name: 'ACME', type: 'PRIVATE' },
      workloads: [{ id: 'web', name: 'Web', kind: 'app', sizeGb: 1, dataCategories: ['PUBLIC'], criticality: 'LOW' }],
    });
    expect(plan.workloads[0]?.dependsOn).toEqual([]);
    expect(plan.settings).toEqual({ approvalDeadline: 'P30D', maxWaveSize: 5, bandwidthMbps: 1000, qualificationCheckInterval: 'PT1H' });
  });

  it('accepts every optional field when well formed', () => {
    const plan = validPlan(
      planInput([workload('web')], 'STATE', {
        planId: 'acme-2027-q1_wave',
        approvers: [{ role: 'RSSI', name: 'Alex Martin', email: 'rssi@acme.example' }],
        cutoverWindow: { start: '2027-03-06T22:00:00Z', end: '2027-03-07T06:00:00+01:00' },
        settings: { approvalDeadline: 'P21D', reminderBefore: 'P2D', maxWaveSize: 500, bandwidthMbps: 0.001, qualificationCheckInterval: 'PT15M' },
      }),
    );
    expect(plan.planId).toBe('acme-2027-q1_wave');
    expect(plan.settings.reminderBefore).toBe('P2D');
  });

  it('trims names so that blank-padded input does not leak into reports', () => {
    expect(validPlan(planInput([workload('web', { name: '  Web  ' })])).workloads[0]?.name).toBe('Web');
  });

  it('resolves the reminder to a fifth of the approval deadline by default', () => {
    const plan = validPlan(planInput([workload('web')], 'PRIVATE', { settings: { approvalDeadline: 'P30D' } }));
    expect(resolveSettingDurations(plan.settings)).toEqual({
      approvalDeadlineMs: 30 * 86_400_000,
      reminderBeforeMs: 6 * 86_400_000,
      qualificationCheckIntervalMs: 3_600_000,
    });
  });

  it('keeps an explicit reminder', () => {
    const plan = validPlan(planInput([workload('web')], 'PRIVATE', { settings: { reminderBefore: 'PT12H' } }));
    expect(resolveSettingDurations(plan.settings).reminderBeforeMs).toBe(12 * 3_600_000);
  });
});

describe('validatePlan rejects malformed plans with the path and the reason', () => {
  it('rejects input that is not an object', () => {
    expect(errorsOf(null)).toEqual([{ path: '', message: 'must be an object, not null' }]);
    expect(errorsOf([])).toEqual([{ path: '', message: 'must be an object, not an array' }]);
    expect(errorsOf('plan')).toEqual([{ path: '', message: 'must be an object, not "plan"' }]);
  });

  it('rejects unknown fields at the root, in a workload and in the settings', () => {
    const input = { ...planInput([{ ...workload('web'), colour: 'blue' } as never]), owner: 'me', settings: { speed: 3 } };
    expect(errorsOf(input)).toEqual([
      { path: 'workloads[0].colour', message: 'unknown field "colour"' },
      { path: 'settings.speed', message: 'unknown field "speed"' },
      { path: 'owner', message: 'unknown field "owner"' },
    ]);
  });

  it('rejects a __proto__ key as an unknown field instead of polluting anything', () => {
    const input = JSON.parse('{"customer":{"id":"a","name":"A","type":"OIV","__proto__":{"admin":true}},"workloads":[]}') as unknown;
    expect(errorsOf(input)).toEqual(
      expect.arrayContaining([{ path: 'customer.__proto__', message: 'unknown field "__proto__"' }]),
    );
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('names every missing required field', () => {
    expect(errorsOf({ workloads: [{ id: 'web' }] })).toEqual([
      { path: 'customer', message: 'is required' },
      { path: 'workloads[0].name', message: 'is required' },
      { path: 'workloads[0].kind', message: 'is required' },
      { path: 'workloads[0].sizeGb', message: 'is required' },
      { path: 'workloads[0].dataCategories', message: 'is required' },
      { path: 'workloads[0].criticality', message: 'is required' },
    ]);
  });

  it('rejects values outside an enumeration and lists the allowed ones', () => {
    expect(errorsOf(planInput([workload('web', { kind: 'mainframe' as never })]))).toEqual([
      { path: 'workloads[0].kind', message: 'must be one of vm, database, storage, m365, app, kubernetes, ot, not "mainframe"' },
    ]);
    expect(errorsOf({ ...planInput([workload('web')]), customer: { id: 'acme', name: 'ACME', type: 'BANK' } })).toEqual([
      { path: 'customer.type', message: 'must be one of OIV, OSE, STATE, HOSPITAL, LOCAL_AUTHORITY, PRIVATE, not "BANK"' },
    ]);
  });

  it('rejects a value of the wrong type', () => {
    expect(errorsOf(planInput([workload('web', { sizeGb: '12' as never })]))).toEqual([
      { path: 'workloads[0].sizeGb', message: 'must be a finite number, not "12"' },
    ]);
  });

  it('rejects ids that are not URL-safe slugs', () => {
    const errors = errorsOf({
      ...planInput([workload('Web Server'), workload('db.primary')]),
      planId: '-plan',
      customer: { id: 'jean.dupont@example.fr', name: 'ACME', type: 'PRIVATE' },
    });
    expect(errors.map((error) => error.path)).toEqual(['planId', 'customer.id', 'workloads[0].id', 'workloads[1].id']);
    expect(errors[0]?.message).toMatch(/plan id/);
    expect(errors[1]?.message).toMatch(/URL-safe slug/);
    expect(errors[2]?.message).toMatch(/workload id/);
  });

  it('rejects an id longer than 64 characters', () => {
    expect(errorsOf(planInput([workload('a'.repeat(65))]))[0]?.path).toBe('workloads[0].id');
    expect(validatePlan(planInput([workload('a'.repeat(64))])).ok).toBe(true);
  });

  it('rejects a workload without data categories', () => {
    expect(errorsOf(planInput([workload('web', { dataCategories: [] })]))).toEqual([
      { path: 'workloads[0].dataCategories', message: expect.stringMatching(/at least one data category/) as unknown },
    ]);
  });

  it('rejects a data category listed twice', () => {
    expect(errorsOf(planInput([workload('web', { dataCategories: ['PUBLIC', 'PERSONAL', 'PUBLIC'] })]))).toEqual([
      { path: 'workloads[0].dataCategories[2]', message: 'duplicate data category "PUBLIC"' },
    ]);
  });

  it('rejects an unknown data category', () => {
    expect(errorsOf(planInput([workload('web', { dataCategories: ['SECRET' as never] })]))[0]?.path).toBe('workloads[0].dataCategories[0]');
  });

  it('rejects a plan without workloads', () => {
    expect(errorsOf(planInput([]))).toEqual([{ path: 'workloads', message: 'must hold at least one workload' }]);
  });

  it('rejects a plan of more than ten thousand workloads', () => {
    const workloads = Array.from({ length: MAX_WORKLOADS + 1 }, (_, index) => workload(`w${index}`));
    expect(errorsOf(planInput(workloads))).toEqual([{ path: 'workloads', message: 'must hold at most 10000 workloads' }]);
  });

  it('rejects negative, infinite and absurdly large sizes', () => {
    expect(errorsOf(planInput([workload('web', { sizeGb: -1 })]))).toEqual([{ path: 'workloads[0].sizeGb', message: 'must be at least 0' }]);
    expect(errorsOf(planInput([workload('web', { sizeGb: 1e300 })]))).toEqual([
      { path: 'workloads[0].sizeGb', message: 'must be at most 1000000000' },
    ]);
    expect(errorsOf(planInput([workload('web', { sizeGb: Number.POSITIVE_INFINITY })]))[0]?.path).toBe('workloads[0].sizeGb');
    expect(errorsOf(planInput([workload('web', { sizeGb: Number.NaN })]))[0]?.path).toBe('workloads[0].sizeGb');
  });

  it('rejects wave sizes outside 1 to 500 and fractional ones', () => {
    for (const maxWaveSize of [0, 501, 1.5]) {
      expect(errorsOf(planInput([workload('web')], 'PRIVATE', { settings: { maxWaveSize } }))[0]?.path).toBe('settings.maxWaveSize');
    }
  });

  it('rejects a bandwidth of zero', () => {
    expect(errorsOf(planInput([workload('web')], 'PRIVATE', { settings: { bandwidthMbps: 0 } }))).toEqual([
      { path: 'settings.bandwidthMbps', message: 'must be at least 0.001' },
    ]);
  });

  it.each(['approvalDeadline', 'reminderBefore', 'qualificationCheckInterval'])('rejects a %s that is not an ISO 8601 duration', (field) => {
    expect(errorsOf(planInput([workload('web')], 'PRIVATE', { settings: { [field]: '30 days' } }))).toEqual([
      { path: `settings.${field}`, message: 'must be an ISO 8601 duration such as P30D, PT1H or P1DT12H, not "30 days"' },
    ]);
  });

  it('rejects an empty P or PT duration and a zero deadline', () => {
    expect(errorsOf(planInput([workload('web')], 'PRIVATE', { settings: { approvalDeadline: 'P' } }))[0]?.path).toBe('settings.approvalDeadline');
    expect(errorsOf(planInput([workload('web')], 'PRIVATE', { settings: { qualificationCheckInterval: 'PT' } }))[0]?.path).toBe(
      'settings.qualificationCheckInterval',
    );
    expect(errorsOf(planInput([workload('web')], 'PRIVATE', { settings: { approvalDeadline: 'P0D' } }))).toEqual([
      { path: 'settings.approvalDeadline', message: 'must be longer than zero' },
    ]);
  });

  it('rejects a reminder that is not shorter than the approval deadline', () => {
    expect(errorsOf(planInput([workload('web')], 'PRIVATE', { settings: { approvalDeadline: 'P7D', reminderBefore: 'P1W' } }))).toEqual([
      { path: 'settings.reminderBefore', message: expect.stringMatching(/^must be shorter than the approval deadline \(P7D\)/) as unknown },
    ]);
  });

  it('rejects a cutover window that ends before it starts', () => {
    const cutoverWindow = { start: '2027-03-07T06:00:00Z', end: '2027-03-07T07:00:00+02:00' };
    expect(errorsOf(planInput([workload('web')], 'PRIVATE', { cutoverWindow }))).toEqual([
      { path: 'cutoverWindow.end', message: 'must be after the start (2027-03-07T06:00:00Z)' },
    ]);
  });

  it('rejects a cutover date-time without a time zone', () => {
    const cutoverWindow = { start: '2027-03-06T22:00:00', end: '2027-03-07T06:00:00Z' };
    expect(errorsOf(planInput([workload('web')], 'PRIVATE', { cutoverWindow }))).toEqual([
      { path: 'cutoverWindow.start', message: expect.stringMatching(/ISO 8601 date-time with a time zone/) as unknown },
    ]);
  });

  it('rejects an approver with a malformed email or an unknown role', () => {
    const approvers = [{ role: 'CEO', name: 'Alex', email: 'not-an-email' }];
    expect(errorsOf(planInput([workload('web')], 'PRIVATE', { approvers: approvers as never }))).toEqual([
      { path: 'approvers[0].role', message: 'must be one of RSSI, DPO, HOMOLOGATION_AUTHORITY, not "CEO"' },
      { path: 'approvers[0].email', message: 'must be an email address' },
    ]);
  });
});

describe('validatePlan checks the rules that span several fields', () => {
  it('rejects a duplicate workload id at the duplicate and names the id', () => {
    expect(errorsOf(planInput([workload('web'), workload('db'), workload('web')]))).toEqual([
      { path: 'workloads[2].id', message: 'duplicate workload id "web": workloads[0] already uses it' },
    ]);
  });

  it('rejects a dependency on an unknown workload and names it', () => {
    expect(errorsOf(planInput([workload('web', { dependsOn: ['db'] })]))).toEqual([
      { path: 'workloads[0].dependsOn[0]', message: 'unknown workload id "db": no workload of the plan has it' },
    ]);
  });

  it('rejects a workload that depends on itself', () => {
    expect(errorsOf(planInput([workload('web', { dependsOn: ['web'] })]))).toEqual([
      { path: 'workloads[0].dependsOn[0]', message: 'workload "web" depends on itself' },
    ]);
  });

  it('rejects a dependency listed twice', () => {
    expect(errorsOf(planInput([workload('web', { dependsOn: ['db', 'db'] }), workload('db')]))).toEqual([
      { path: 'workloads[0].dependsOn[1]', message: 'dependency "db" is listed twice' },
    ]);
  });

  it('rejects a plan whose dependencies form a cycle, with one error naming the cycle in order', () => {
    const workloads = [
      workload('c', { dependsOn: ['a'] }),
      workload('b', { dependsOn: ['c'] }),
      workload('a', { dependsOn: ['b'] }),
      workload('d', { dependsOn: ['a'] }),
    ];
    expect(errorsOf(planInput(workloads))).toEqual([{ path: 'workloads[2].dependsOn[0]', message: 'dependency cycle: a -> b -> c -> a' }]);
  });

  it('reports one error per independent cycle', () => {
    const workloads = [
      workload('a', { dependsOn: ['b'] }),
      workload('b', { dependsOn: ['a'] }),
      workload('x', { dependsOn: ['y'] }),
      workload('y', { dependsOn: ['x'] }),
    ];
    expect(errorsOf(planInput(workloads)).map((error) => error.message)).toEqual([
      'dependency cycle: a -> b -> a',
      'dependency cycle: x -> y -> x',
    ]);
  });

  it('names the other workloads caught in a tangle of several cycles', () => {
    const workloads = [
      workload('a', { dependsOn: ['b'] }),
      workload('b', { dependsOn: ['a', 'c'] }),
      workload('c', { dependsOn: ['b'] }),
    ];
    expect(errorsOf(planInput(workloads))).toEqual([
      { path: 'workloads[0].dependsOn[0]', message: 'dependency cycle: a -> b -> a (c is caught in the same tangle)' },
    ]);
  });

  it('rejects SIIV data for a customer that is not an OIV', () => {
    expect(errorsOf(planInput([workload('scada-hmi', { dataCategories: ['INTERNAL', 'SIIV'] })], 'OSE'))).toEqual([
      {
        path: 'workloads[0].dataCategories[1]',
        message: 'SIIV (vital information system under the LPM) applies to OIV customers only, and this customer is OSE',
      },
    ]);
    expect(validatePlan(planInput([workload('scada-hmi', { dataCategories: ['SIIV'] })], 'OIV')).ok).toBe(true);
  });

  it('collects schema errors and dependency errors in the same answer', () => {
    const errors = errorsOf(planInput([workload('web', { kind: 'x' as never, dependsOn: ['ghost'] })]));
    expect(errors.map((error) => error.path)).toEqual(['workloads[0].kind', 'workloads[0].dependsOn[0]']);
  });

  it('does not call a malformed dependency id unknown on top of its format error', () => {
    expect(errorsOf(planInput([workload('web', { dependsOn: ['Not An Id'] })])).map((error) => error.path)).toEqual([
      'workloads[0].dependsOn[0]',
    ]);
  });
});

describe('validatePlan never throws', () => {
  it('answers an error for hostile objects such as a throwing getter or a proxy', () => {
    const throwing = Object.defineProperty({}, 'customer', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    for (const input of [throwing, proxy]) {
      const result = validatePlan(input);
      expect(result.ok).toBe(false);
    }
  });

  it('answers an error for huge numbers, deep nesting and odd primitives', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 10_000; level += 1) deep = [deep];
    for (const input of [undefined, 0, Number.MAX_VALUE, 10n, Symbol('plan'), () => 1, deep, { workloads: deep }]) {
      expect(validatePlan(input).ok).toBe(false);
    }
  });
});

describe('PlanSchema', () => {
  it('can be described as JSON Schema for the OpenAPI document, rejecting unknown fields', () => {
    const schema = z.toJSONSchema(PlanSchema, { io: 'input' }) as { additionalProperties?: boolean; required?: string[] };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['customer', 'workloads']);
  });
});

describe('validatePlan bounds what it reports', () => {
  it.each(['victim.wave-1', 'victim:wave-1', 'victim/wave-1', 'Victim'])('refuses the plan id %j, whose characters derived workflow ids use', (planId) => {
    const errors = errorsOf(planInput([workload('web')], 'PRIVATE', { planId }));
    expect(errors.map((error) => error.path)).toEqual(['planId']);
    expect(errors[0]?.message).toMatch(/lower-case letters, digits, "_" or "-"/);
  });

  it('lists the first errors of a workload with fifty thousand unknown dependencies, and how many there were', () => {
    const dependsOn = Array.from({ length: 50_000 }, (_, index) => `missing-${index}`);
    const result = validatePlan(planInput([workload('web', { dependsOn })]));
    if (result.ok) throw new Error('expected the plan to be rejected');
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(result.errorCount).toBe(50_001);
    expect(result.errors[0]).toEqual({ path: 'workloads[0].dependsOn', message: `must hold at most ${MAX_WORKLOADS - 1} items` });
    expect(result.errors[1]).toEqual({ path: 'workloads[0].dependsOn[0]', message: 'unknown workload id "missing-0": no workload of the plan has it' });
    expect(JSON.stringify(result.errors).length).toBeLessThan(20_000);
  });

  it('counts every unknown field while listing the first ones', () => {
    const input = { ...planInput([workload('web')]), ...Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`extra${index}`, 1])) };
    const result = validatePlan(input);
    if (result.ok) throw new Error('expected the plan to be rejected');
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(result.errorCount).toBe(500);
  });
});
