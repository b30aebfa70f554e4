import fc from 'fast-check';
import {
  classifyPlan,
  gateMessages,
  grantDerogation,
  renderMessage,
  planCutoverWaves,
  planGate,
  planWaves,
  requestDerogation,
  type Derogation,
  type GatePlan,
  type Plan,
  type ProviderCredentials,
  SECNUMCLOUD_STATUSES,
} from '../../domain';
import { permutedPlanInput, validPlanInputArbitrary } from './support/arbitraries';
import { loadEstate } from './support/estates';
import { plan, validPlan, workload } from './support/plans';

const J2_WITHOUT_HDS: ProviderCredentials = { secnumcloud: 'J2', hds: false };
const J2_WITH_HDS: ProviderCredentials = { secnumcloud: 'J2', hds: true };
const QUALIFIED_WITH_HDS: ProviderCredentials = { secnumcloud: 'QUALIFIED', hds: true };
const authority = { subject: 'ha@ministry', customerId: 'acme', approverRoles: ['HOMOLOGATION_AUTHORITY'] };

function gateOf(estatePlan: Plan, provider: ProviderCredentials, derogations: Derogation[] = [], at = '2027-01-01T00:00:00Z'): GatePlan {
  return planGate({ plan: estatePlan, report: classifyPlan(estatePlan), provider, derogations, at });
}

function grantedDerogation(statePlan: Plan, zoneId: string, at: string, expiresAt: string): Derogation {
  const report = classifyPlan(statePlan);
  const requested = requestDerogation(report, J2_WITHOUT_HDS, [], { zoneId, reason: 'the ministry cannot wait', actor: authority, at });
  if (!requested.ok) throw new Error(requested.refusal.message);
  const granted = grantDerogation(
    requested.derogation,
    { customerId: 'acme', report, provider: J2_WITHOUT_HDS },
    { justification: 'accepted', compensatingMeasures: ['encryption with keys held by the ministry'], expiresAt, actor: authority, at },
  );
  if (!granted.ok) throw new Error(granted.refusal.message);
  return granted.derogation;
}

describe('the gate per landing zone (R9)', () => {
  it('lets the STANDARD zone of the hospital through at milestone J2 and holds the SecNumCloud/HDS zone and the Microsoft 365 tenant', () => {
    const { plan: hospital } = loadEstate('hospital-group');
    const gate = gateOf(hospital, J2_WITHOUT_HDS);
    expect(gate.zones.map(({ zoneId, state, needs, waitingFor }) => ({ zoneId, state, needs, waitingFor }))).toEqual([
      { zoneId: 'standard', state: 'CLEAR', needs: [], waitingFor: [] },
      {
        zoneId: 'secnumcloud-hds',
        state: 'WAITING',
        needs: ['SECNUMCLOUD_QUALIFICATION', 'HDS_CERTIFICATE'],
        waitingFor: ['SECNUMCLOUD_QUALIFICATION', 'HDS_CERTIFICATE'],
      },
      {
        zoneId: 'm365-tenant',
        state: 'WAITING',
        needs: ['SECNUMCLOUD_QUALIFICATION', 'HDS_CERTIFICATE'],
        waitingFor: ['SECNUMCLOUD_QUALIFICATION', 'HDS_CERTIFICATE'],
      },
    ]);
    expect(gate.clearZoneIds).toEqual(['standard']);
    expect(gate.waitingZoneIds).toEqual(['secnumcloud-hds', 'm365-tenant']);
    expect(gate.allClear).toBe(false);
    // The website relies on nothing; payroll sits in the STANDARD zone but relies on the directory, which waits.
    expect(gate.proceedingWorkloadIds).toEqual(['website']);
    expect(gate.waitingWorkloads.find((wait) => wait.workloadId === 'payroll')).toEqual({
      workloadId: 'payroll',
      zoneId: 'standard',
      ownZoneWaiting: false,
      waitingZoneIds: ['secnumcloud-hds'],
    });
    expect(gate.waitingWorkloads.find((wait) => wait.workloadId === 'mail')).toEqual({
      workloadId: 'mail',
      zoneId: 'm365-tenant',
      ownZoneWaiting: true,
      waitingZoneIds: ['secnumcloud-hds', 'm365-tenant'],
    });
  });

  it('tells people what each waiting zone lacks, in French and in English', () => {
    const { plan: hospital } = loadEstate('hospital-group');
    const messages = gateMessages(gateOf(hospital, J2_WITH_HDS), J2_WITH_HDS);
    expect(messages).toEqual([
      { code: 'GATE_ZONE_WAITS', params: { zoneId: 'secnumcloud-hds', needs: ['SECNUMCLOUD_QUALIFICATION'], milestone: 'J2' } },
      { code: 'GATE_ZONE_WAITS', params: { zoneId: 'm365-tenant', needs: ['SECNUMCLOUD_QUALIFICATION'], milestone: 'J2' } },
    ]);
    const [first] = messages;
    if (first?.code !== 'GATE_ZONE_WAITS') throw new Error('expected a waiting zone');
    expect(renderMessage(first.code, first.params, 'fr')).toBe('La zone secnumcloud-hds attend la qualification SecNumCloud en vigueur (jalon actuel : J2)');
    expect(renderMessage(first.code, first.params, 'en')).toBe('Zone secnumcloud-hds waits for a SecNumCloud qualification in force (milestone now: J2)');
    expect(gateMessages(gateOf(hospital, QUALIFIED_WITH_HDS), QUALIFIED_WITH_HDS)).toEqual([]);
  });

  it('says that a zone waits only for what the provider still lacks', () => {
    const { plan: hospital } = loadEstate('hospital-group');
    const gate = gateOf(hospital, J2_WITH_HDS);
    expect(gate.zones.find((zone) => zone.zoneId === 'secnumcloud-hds')).toMatchObject({
      state: 'WAITING',
      waitingFor: ['SECNUMCLOUD_QUALIFICATION'],
    });
  });

  it('clears every zone and lets every migrating workload proceed once the provider is qualified and certified', () => {
    const { plan: hospital, report } = loadEstate('hospital-group');
    const gate = gateOf(hospital, QUALIFIED_WITH_HDS);
    expect(gate.allClear).toBe(true);
    expect(gate.waitingWorkloads).toEqual([]);
    expect(gate.proceedingWorkloadIds).toEqual(report.workloads.filter((entry) => entry.migrates).map((entry) => entry.id));
  });

  it('holds the dedicated zone of the regional council whatever the milestone, and what relies on its directory', () => {
    const { plan: council } = loadEstate('regional-council');
    for (const secnumcloud of ['J0', 'J1', 'J2'] as const) {
      const gate = gateOf(council, { secnumcloud, hds: true });
      expect(gate.waitingZoneIds).toEqual(['secnumcloud-dedicated']);
      // Everything but cctv and opendata relies on the directory, which sits in the dedicated zone.
      expect(gate.proceedingWorkloadIds).toEqual(['cctv', 'opendata']);
    }
    expect(gateOf(council, { secnumcloud: 'QUALIFIED', hds: false }).allClear).toBe(true);
  });

  it('never holds a plan of STANDARD workloads without health data, whatever the provider holds', () => {
    const standardOnly = plan([workload('web', { dependsOn: ['db'] }), workload('db')]);
    const gate = gateOf(standardOnly, { secnumcloud: 'J0', hds: false });
    expect(gate.allClear).toBe(true);
    expect(gate.proceedingWorkloadIds).toEqual(['db', 'web']);
  });

  it('holds a STANDARD zone with health data until the provider is HDS certified, not for SecNumCloud', () => {
    const health = plan([workload('care', { dataCategories: ['HEALTH'] })]);
    expect(gateOf(health, { secnumcloud: 'J0', hds: false }).zones).toEqual([
      {
        zoneId: 'standard-hds',
        level: 'STANDARD',
        hds: true,
        workloadIds: ['care'],
        needs: ['HDS_CERTIFICATE'],
        waitingFor: ['HDS_CERTIFICATE'],
        state: 'WAITING',
      },
    ]);
    expect(gateOf(health, { secnumcloud: 'J0', hds: true }).allClear).toBe(true);
  });

  it('holds a workload whose dependency waits through a workload that stays on site', () => {
    const estate = plan(
      [
        workload('portal', { dataCategories: ['HEALTH'], dependsOn: ['plc'] }),
        workload('plc', { kind: 'ot', dependsOn: ['store'] }),
        workload('store', { dataCategories: ['DIFFUSION_RESTREINTE'] }),
        workload('brochure'),
      ],
      'PRIVATE',
    );
    // portal is STANDARD with hds; store is dedicated and, through plc, hds as well.
    const gate = gateOf(estate, { secnumcloud: 'J2', hds: true });
    expect(gate.zones.map(({ zoneId, state }) => ({ zoneId, state }))).toEqual([
      { zoneId: 'standard', state: 'CLEAR' },
      { zoneId: 'standard-hds', state: 'CLEAR' },
      { zoneId: 'secnumcloud-dedicated-hds', state: 'WAITING' },
    ]);
    expect(gate.proceedingWorkloadIds).toEqual(['brochure']);
    expect(gate.waitingWorkloads).toEqual([
      { workloadId: 'portal', zoneId: 'standard-hds', ownZoneWaiting: false, waitingZoneIds: ['secnumcloud-dedicated-hds'] },
      { workloadId: 'store', zoneId: 'secnumcloud-dedicated-hds', ownZoneWaiting: true, waitingZoneIds: ['secnumcloud-dedicated-hds'] },
    ]);
  });
});

describe('the gate and derogations (R10)', () => {
  const statePlan = plan(
    [
      workload('case-files', { dataCategories: ['LEGALLY_PROTECTED'], dependsOn: ['vault'] }),
      workload('vault', { dataCategories: ['BUSINESS_SECRET'] }),
      workload('intranet'),
      workload('restricted', { dataCategories: ['DIFFUSION_RESTREINTE'] }),
    ],
    'STATE',
  );

  it('lets a SECNUMCLOUD zone through while its derogation is in force, and names the derogation', () => {
    const derogation = grantedDerogation(statePlan, 'secnumcloud', '2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z');
    const gate = gateOf(statePlan, J2_WITHOUT_HDS, [derogation], '2027-06-01T00:00:00Z');
    expect(gate.zones.find((zone) => zone.zoneId === 'secnumcloud')).toMatchObject({
      state: 'CLEAR',
      needs: ['SECNUMCLOUD_QUALIFICATION'],
      waitingFor: [],
      derogationId: 'derogation.secnumcloud',
    });
    expect(gate.zones.find((zone) => zone.zoneId === 'secnumcloud-dedicated')).toMatchObject({ state: 'WAITING' });
    expect(gate.proceedingWorkloadIds).toEqual(['case-files', 'intranet', 'vault']);
  });

  it('holds the zone again once the derogation has expired', () => {
    const derogation = grantedDerogation(statePlan, 'secnumcloud', '2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z');
    const gate = gateOf(statePlan, J2_WITHOUT_HDS, [derogation], '2028-01-01T00:00:00Z');
    expect(gate.zones.find((zone) => zone.zoneId === 'secnumcloud')).toMatchObject({ state: 'WAITING', waitingFor: ['SECNUMCLOUD_QUALIFICATION'] });
    expect(gate.zones.find((zone) => zone.zoneId === 'secnumcloud')?.derogationId).toBeUndefined();
    expect(gate.proceedingWorkloadIds).toEqual(['intranet']);
  });

  it('ignores a derogation for a zone it cannot cover, such as a dedicated one', () => {
    const forged: Derogation = {
      ...grantedDerogation(statePlan, 'secnumcloud', '2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z'),
      id: 'derogation.secnumcloud-dedicated',
      zoneId: 'secnumcloud-dedicated',
    };
    const gate = gateOf(statePlan, J2_WITHOUT_HDS, [forged], '2027-06-01T00:00:00Z');
    expect(gate.zones.find((zone) => zone.zoneId === 'secnumcloud-dedicated')).toMatchObject({ state: 'WAITING' });
  });

  it('refuses to judge derogations without the time', () => {
    const derogation = grantedDerogation(statePlan, 'secnumcloud', '2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z');
    expect(() => planGate({ plan: statePlan, report: classifyPlan(statePlan), provider: J2_WITHOUT_HDS, derogations: [derogation] })).toThrow(
      'planGate needs the time (at) to judge whether derogations are in force',
    );
  });
});

describe('cutover waves for what may proceed', () => {
  it('plans the waves of the workloads the gate lets through, then continues the numbering for the rest', () => {
    const { plan: council, report } = loadEstate('regional-council');
    const now = gateOf(council, { secnumcloud: 'J2', hds: false });
    const first = planCutoverWaves(council, report, { workloadIds: now.proceedingWorkloadIds });
    expect(first).toEqual([{ index: 1, id: 'wave-1', workloadIds: ['cctv', 'opendata'] }]);
    const rest = now.waitingWorkloads.map((wait) => wait.workloadId);
    const later = planCutoverWaves(council, report, { workloadIds: rest, firstIndex: first.length + 1 });
    expect(later).toEqual([
      { index: 2, id: 'wave-2', workloadIds: ['ad'] },
      { index: 3, id: 'wave-3', workloadIds: ['collab', 'finance', 'hr'] },
      { index: 4, id: 'wave-4', workloadIds: ['mail', 'port-security', 'transport'] },
      { index: 5, id: 'wave-5', workloadIds: ['grants'] },
      { index: 6, id: 'wave-6', workloadIds: ['eservices'] },
    ]);
    expect(later.flatMap((wave) => wave.workloadIds).sort()).toEqual([...rest].sort());
  });

  it('plans the same waves as planWaves when no dependency crosses a workload that stays on site', () => {
    for (const name of ['hospital-group', 'regional-council'] as const) {
      const { plan: estate, report } = loadEstate(name);
      expect(planCutoverWaves(estate, report)).toEqual(planWaves(estate, report));
    }
  });

  it('moves a workload after what it relies on through a workload that stays on site', () => {
    const estate = plan([workload('front', { dependsOn: ['plc'] }), workload('plc', { kind: 'ot', dependsOn: ['back'] }), workload('back')]);
    const report = classifyPlan(estate);
    expect(planCutoverWaves(estate, report)).toEqual([
      { index: 1, id: 'wave-1', workloadIds: ['back'] },
      { index: 2, id: 'wave-2', workloadIds: ['front'] },
    ]);
  });

  it('takes dependencies outside the set as settled, and ignores ids that do not migrate', () => {
    const estate = plan([workload('front', { dependsOn: ['back'] }), workload('back'), workload('plc', { kind: 'ot' })]);
    expect(planCutoverWaves(estate, classifyPlan(estate), { workloadIds: ['front', 'plc', 'nobody'], firstIndex: 3 })).toEqual([
      { index: 3, id: 'wave-3', workloadIds: ['front'] },
    ]);
  });

  it('refuses a first index that is not a positive integer', () => {
    const estate = plan([workload('web')]);
    expect(() => planCutoverWaves(estate, classifyPlan(estate), { firstIndex: 0 })).toThrow('firstIndex must be a positive integer, not 0');
  });
});

describe('properties of the gate', () => {
  const providerArbitrary = fc.record({ secnumcloud: fc.constantFrom(...SECNUMCLOUD_STATUSES), hds: fc.boolean() });

  /** Migrating workloads that `id` relies on directly or through on-site workloads only. */
  function reliedOn(estate: Plan, migrating: ReadonlySet<string>, id: string): string[] {
    const byId = new Map(estate.workloads.map((entry) => [entry.id, entry]));
    const found: string[] = [];
    const visited = new Set<string>([id]);
    const stack = [...(byId.get(id)?.dependsOn ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (visited.has(next)) continue;
      visited.add(next);
      if (migrating.has(next)) found.push(next);
      else stack.push(...(byId.get(next)?.dependsOn ?? []));
    }
    return found;
  }

  it('lets a workload proceed only with its own zone clear and everything it relies on proceeding too', () => {
    fc.assert(
      fc.property(validPlanInputArbitrary(25), providerArbitrary, (input, provider) => {
        const estate = validPlan(input);
        const report = classifyPlan(estate);
        const gate = planGate({ plan: estate, report, provider });
        const migrating = new Set(report.workloads.filter((entry) => entry.migrates).map((entry) => entry.id));
        const proceeding = new Set(gate.proceedingWorkloadIds);
        const zoneOf = new Map(gate.zones.flatMap((zone) => zone.workloadIds.map((id) => [id, zone] as const)));
        expect([...proceeding, ...gate.waitingWorkloads.map((wait) => wait.workloadId)].sort()).toEqual([...migrating].sort());
        for (const id of proceeding) {
          expect(zoneOf.get(id)?.state).toBe('CLEAR');
          for (const dependency of reliedOn(estate, migrating, id)) expect(proceeding.has(dependency)).toBe(true);
        }
        for (const wait of gate.waitingWorkloads) {
          expect(wait.waitingZoneIds.length).toBeGreaterThan(0);
          for (const zoneId of wait.waitingZoneIds) expect(gate.waitingZoneIds).toContain(zoneId);
          const blocked = wait.ownZoneWaiting || reliedOn(estate, migrating, wait.workloadId).some((dependency) => !proceeding.has(dependency));
          expect(blocked).toBe(true);
        }
        // Waves for what proceeds respect every dependency, through on-site workloads too.
        const waves = planCutoverWaves(estate, report, { workloadIds: gate.proceedingWorkloadIds });
        const waveOf = new Map(waves.flatMap((wave) => wave.workloadIds.map((id) => [id, wave.index] as const)));
        expect([...waveOf.keys()].sort()).toEqual([...proceeding].sort());
        for (const [id, index] of waveOf) {
          for (const dependency of reliedOn(estate, migrating, id)) expect(waveOf.get(dependency) ?? 0).toBeLessThan(index);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same answer whatever the order of the plan', () => {
    fc.assert(
      fc.property(validPlanInputArbitrary(20), fc.integer(), providerArbitrary, (input, seed, provider) => {
        const original = validPlan(input);
        const permuted = validPlan(permutedPlanInput(input, seed));
        expect(planGate({ plan: permuted, report: classifyPlan(permuted), provider })).toEqual(
          planGate({ plan: original, report: classifyPlan(original), provider }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('never holds back more when the provider holds more', () => {
    fc.assert(
      fc.property(validPlanInputArbitrary(20), (input) => {
        const estate = validPlan(input);
        const report = classifyPlan(estate);
        const proceeding = (provider: ProviderCredentials): string[] => planGate({ plan: estate, report, provider }).proceedingWorkloadIds;
        const least = proceeding({ secnumcloud: 'J0', hds: false });
        const certified = proceeding({ secnumcloud: 'J2', hds: true });
        const all = proceeding({ secnumcloud: 'QUALIFIED', hds: true });
        for (const id of least) expect(certified).toContain(id);
        for (const id of certified) expect(all).toContain(id);
        expect(all).toEqual(report.workloads.filter((entry) => entry.migrates).map((entry) => entry.id));
      }),
      { numRuns: 150 },
    );
  });
});
