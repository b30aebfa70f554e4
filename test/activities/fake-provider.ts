import type { CloudProvider, LandingZoneProvider, Validation } from '../../provider';

/**
 * A CloudProvider whose methods are the given ones; any other call fails the test with the
 * method's name, so that an activity cannot reach the provider behind the test's back.
 */
export function fakeProvider(methods: Partial<CloudProvider>): CloudProvider {
  return new Proxy(methods, {
    get(target, name: string) {
      const method = target[name as keyof CloudProvider];
      if (method) return method;
      return () => Promise.reject(new Error(`unexpected provider call: ${name}`));
    },
  }) as CloudProvider;
}

/** A LandingZoneProvider whose methods are the given ones; any other call fails the test with the method's name. */
export function fakeLandingZones(methods: Partial<LandingZoneProvider>): LandingZoneProvider {
  return new Proxy(methods, {
    get(target, name: string) {
      const method = target[name as keyof LandingZoneProvider];
      if (method) return method;
      return () => Promise.reject(new Error(`unexpected landing-zone call: ${name}`));
    },
  }) as LandingZoneProvider;
}

/** A validation of workload `db` with the given check outcomes. */
export function validationWith(checks: Validation['checks']): Validation {
  return {
    id: 'val-1',
    type: 'validation',
    createdAt: '2027-01-01T00:03:00.000Z',
    tenantId: 'tnt-1',
    workloadId: 'db',
    finalSyncId: 'fsync-1',
    outcome: checks.every((check) => check.outcome === 'PASSED') ? 'PASSED' : 'FAILED',
    checks,
  };
}
