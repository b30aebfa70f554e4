import fc from 'fast-check';
import {
  assessPlan,
  classifyPlan,
  compareHostingLevels,
  planWaves,
  validatePlan,
  type ClassificationReport,
  type Plan,
  type WorkloadClassification,
} from '../../domain';
import { permutedPlanInput, validPlanInputArbitrary } from './support/arbitraries';
import { validPlan } from './support/plans';

const numRuns = 200;

function byId(report: ClassificationReport): Map<string, WorkloadClassification> {
  return new Map(report.workloads.map((workload) => [workload.id, workload]));
}

function assertValidPlan(property: (plan: Plan) => void): void {
  fc.assert(
    fc.property(validPlanInputArbitrary(), (input) => property(validPlan(input))),
    { numRuns },
  );
}

describe('properties of validation', () => {
  it('accepts every plan of the valid-plan arbitrary', () => {
    fc.assert(
      fc.property(validPlanInputArbitrary(), (input) => {
        expect(validatePlan(input)).toMatchObject({ ok: true });
      }),
      { numRuns },
    );
  });

  it('never throws on arbitrary values', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withNullPrototype: true }),
        (input) => {
          expect(validatePlan(input).ok).toBe(false);
        },
      ),
      { numRuns },
    );
  });

  it('never throws on arbitrary JSON, including plan-shaped JSON with random parts', () => {
    const planShaped = fc.record(
      {
        customer: fc.oneof(fc.jsonValue(), fc.record({ id: fc.string(), name: fc.string(), type: fc.constantFrom('OIV', 'STATE', 'X') })),
        workloads: fc.array(
          fc.oneof(
            fc.jsonValue(),
            fc.record(
              {
                id: fc.oneof(fc.string(), fc.constantFrom('a', 'b', '__proto__')),
                dependsOn: fc.array(fc.oneof(fc.constantFrom('a', 'b', 'c', '__proto__'), fc.jsonValue()), { maxLength: 4 }),
                dataCategories: fc.array(fc.oneof(fc.constantFrom('SIIV', 'HEALTH', 'CLASSIFIED'), fc.jsonValue()), { maxLength: 3 }),
                sizeGb: fc.oneof(fc.double(), fc.jsonValue()),
              },
              { requiredKeys: [] },
            ),
          ),
          { maxLength: 6 },
        ),
        settings: fc.dictionary(fc.constantFrom('approvalDeadline', 'reminderBefore', 'maxWaveSize', '__proto__'), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), planShaped), (input) => {
        const result = validatePlan(input);
        if (!result.ok) for (const error of result.errors) expect(typeof error.message).toBe('string');
      }),
      { numRuns },
    );
  });

  it('reports a dependency cycle exactly when the graph has one, naming real edges in cycle order', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const graph = fc.tuple(...ids.map(() => fc.subarray(ids, { maxLength: 3 })));
    fc.assert(
      fc.property(graph, (dependencies) => {
        const edges = new Map(ids.map((id, index) => [id, (dependencies[index] ?? []).filter((target) => target !== id)]));
        const input = {
          customer: { id: 'c', name: 'C', type: 'PRIVATE' },
          workloads: ids.map((id) => ({
            id,
            name: id,
            kind: 'app',
            sizeGb: 1,
            dataCategories: ['INTERNAL'],
            dependsOn: edges.get(id),
            criticality: 'LOW',
          })),
        };
        const result = validatePlan(input);
        const messages = result.ok ? [] : result.errors.map((error) => error.message);
        const cycleMessages = messages.filter((message) => message.startsWith('dependency cycle: '));
        expect(cycleMessages.length > 0).toBe(hasCycle(edges));
        for (const message of cycleMessages) {
          const members = (message.replace('dependency cycle: ', '').split(' (')[0] ?? '').split(' -> ');
          expect(members[0]).toBe(members[members.length - 1]);
          for (let index = 0; index + 1 < members.length; index += 1) {
            expect(edges.get(members[index] ?? '')).toContain(members[index + 1]);
          }
        }
      }),
      { numRuns },
    );
  });
});

describe('properties of classification', () => {
  it('classifies, assesses and plans waves for any valid plan without throwing', () => {
    fc.assert(
      fc.property(validPlanInputArbitrary(40), (input) => {
        const plan = validPlan(input);
        const report = classifyPlan(plan);
        expect(report.workloads).toHaveLength(plan.workloads.length);
        expect(assessPlan(plan, report).workloads).toHaveLength(plan.workloads.length);
        expect(() => planWaves(plan, report)).not.toThrow();
      }),
      { numRuns: 100 },
    );
  });

  it('never lets a migrating dependency sit below what relies on it, in level or hds', () => {
    assertValidPlan((plan) => {
      const classified = byId(classifyPlan(plan));
      for (const workload of plan.workloads) {
        const dependent = classified.get(workload.id);
        if (!dependent?.migrates) continue;
        for (const dependencyId of workload.dependsOn) {
          const dependency = classified.get(dependencyId);
          if (!dependency?.migrates) continue;
          expect(compareHostingLevels(dependency.level, dependent.level)).toBeGreaterThanOrEqual(0);
          if (dependent.hds) expect(dependency.hds).toBe(true);
        }
      }
    });
  });

  it('makes a workload NOT_ELIGIBLE exactly when R1 applies to the workload itself', () => {
    assertValidPlan((plan) => {
      const classified = byId(classifyPlan(plan));
      for (const workload of plan.workloads) {
        const r1 = workload.kind === 'ot' || workload.dataCategories.includes('CLASSIFIED');
        expect(classified.get(workload.id)?.level === 'NOT_ELIGIBLE').toBe(r1);
        expect(classified.get(workload.id)?.migrates).toBe(!r1);
      }
    });
  });

  it('raises a workload no higher than its own rules or a migrating dependent require (directly or through on-site workloads), and says so with R8', () => {
    assertValidPlan((plan) => {
      const report = classifyPlan(plan);
      const classified = byId(report);
      // What R1 to R7 make of each workload on its own: the same workload in a plan without dependencies.
      const alone = new Map(
        plan.workloads.map((workload) => {
          const isolated = classifyPlan({ ...plan, workloads: [{ ...workload, dependsOn: [] }] });
          return [workload.id, byId(isolated).get(workload.id)];
        }),
      );
      for (const entry of report.workloads) {
        if (!entry.migrates) continue;
        const own = alone.get(entry.id);
        const dependents = [...migratingDependentsThroughOnSite(plan, classified, entry.id)].map(
          (id) => classified.get(id) as WorkloadClassification,
        );
        const highest = [own, ...dependents].reduce((best, candidate) =>
          candidate !== undefined && best !== undefined && compareHostingLevels(candidate.level, best.level) > 0 ? candidate : best,
        );
        expect(entry.level).toBe(highest?.level);
        expect(entry.hds).toBe(own?.hds === true || dependents.some((dependent) => dependent.hds));
        const raised = entry.level !== own?.level || entry.hds !== own.hds;
        expect(entry.rules.includes('R8')).toBe(raised);
        expect(entry.inheritedFrom.length > 0).toBe(raised);
        for (const id of entry.inheritedFrom) expect(dependents.map((dependent) => dependent.id)).toContain(id);
        for (const id of entry.inheritedThrough ?? []) expect(classified.get(id)?.migrates).toBe(false);
      }
    });
  });

  it('passes requirements through on-site workloads exactly as if they migrated at the lowest level', () => {
    assertValidPlan((plan) => {
      const report = classifyPlan(plan);
      // Turn every on-site workload into an ordinary STANDARD one: R8 must then give the others the same result.
      const onSite = new Set(report.workloads.filter((workload) => !workload.migrates).map((workload) => workload.id));
      const ordinary = classifyPlan({
        ...plan,
        workloads: plan.workloads.map((workload) =>
          onSite.has(workload.id) ? { ...workload, kind: 'app' as const, dataCategories: ['PUBLIC' as const] } : workload,
        ),
      });
      const ordinaryById = byId(ordinary);
      for (const workload of report.workloads) {
        if (!workload.migrates) continue;
        expect({ id: workload.id, level: workload.level, hds: workload.hds }).toEqual({
          id: workload.id,
          level: ordinaryById.get(workload.id)?.level,
          hds: ordinaryById.get(workload.id)?.hds,
        });
      }
    });
  });

  it('gives the same report whatever the order of workloads, dependencies and categories', () => {
    fc.assert(
      fc.property(validPlanInputArbitrary(), fc.integer(), (input, seed) => {
        const original = classifyPlan(validPlan(input));
        const permuted = classifyPlan(validPlan(permutedPlanInput(input, seed)));
        expect(permuted).toEqual(original);
      }),
      { numRuns },
    );
  });

  it('asks the RSSI first and lists approvals in table order without duplicates', () => {
    const tableOrder = ['rssi', 'dpo', 'dpia', 'homologation', 'anssi-notification'];
    assertValidPlan((plan) => {
      const ids = classifyPlan(plan).approvals.map((approval) => approval.id);
      expect(ids[0]).toBe('rssi');
      expect(ids).toEqual(tableOrder.filter((id) => ids.includes(id as never)));
    });
  });
});

describe('properties of waves', () => {
  it('puts every migrating workload in exactly one wave, after its migrating dependencies, within the maximum size', () => {
    assertValidPlan((plan) => {
      const report = classifyPlan(plan);
      const waves = planWaves(plan, report);
      const waveOf = new Map<string, number>();
      waves.forEach((wave, position) => {
        expect(wave).toMatchObject({ index: position + 1, id: `wave-${position + 1}` });
        expect(wave.workloadIds.length).toBeGreaterThan(0);
        expect(wave.workloadIds.length).toBeLessThanOrEqual(plan.settings.maxWaveSize);
        for (const id of wave.workloadIds) {
          expect(waveOf.has(id)).toBe(false);
          waveOf.set(id, wave.index);
        }
      });
      const migrating = report.workloads.filter((workload) => workload.migrates).map((workload) => workload.id);
      expect([...waveOf.keys()].sort()).toEqual([...migrating].sort());
      for (const workload of plan.workloads) {
        if (!waveOf.has(workload.id)) continue;
        for (const dependency of workload.dependsOn) {
          if (waveOf.has(dependency)) expect(waveOf.get(dependency)).toBeLessThan(waveOf.get(workload.id) ?? 0);
        }
      }
    });
  });

  it('plans the same waves whatever the order of the plan', () => {
    fc.assert(
      fc.property(validPlanInputArbitrary(), fc.integer(), (input, seed) => {
        const original = validPlan(input);
        const permuted = validPlan(permutedPlanInput(input, seed));
        expect(planWaves(permuted, classifyPlan(permuted))).toEqual(planWaves(original, classifyPlan(original)));
      }),
      { numRuns },
    );
  });
});

function hasCycle(edges: ReadonlyMap<string, readonly string[]>): boolean {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'visiting') return true;
    state.set(id, 'visiting');
    const found = (edges.get(id) ?? []).some(visit);
    state.set(id, 'done');
    return found;
  };
  return [...edges.keys()].some(visit);
}

/** Migrating workloads that depend on `id` directly or through NOT_ELIGIBLE workloads only. */
function migratingDependentsThroughOnSite(plan: Plan, classified: ReadonlyMap<string, WorkloadClassification>, id: string): Set<string> {
  const found = new Set<string>();
  const visited = new Set<string>([id]);
  const queue = [id];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const workload of plan.workloads) {
      if (!workload.dependsOn.includes(current) || visited.has(workload.id)) continue;
      visited.add(workload.id);
      if (classified.get(workload.id)?.migrates) found.add(workload.id);
      else queue.push(workload.id);
    }
  }
  return found;
}
