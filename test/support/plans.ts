import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Actor, type Plan, validatePlan } from '../../domain';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'estates');

/** A fixture plan, validated (defaults applied), with a fresh planId so that runs do not collide. */
export function fixturePlan(name: 'hospital-group' | 'regional-council', overrides: { planId?: string; settings?: Partial<Plan['settings']> } = {}): Plan {
  const raw = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.plan.json`), 'utf8')) as Record<string, unknown> & { settings?: object };
  const result = validatePlan({ ...raw, planId: overrides.planId ?? raw.planId, settings: { ...raw.settings, ...overrides.settings } });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

export function fixtureExpected(name: 'hospital-group' | 'regional-council'): {
  workloads: Record<string, { level: string; hds: boolean; inherited?: boolean }>;
  approvals: string[];
  warnings: unknown[];
} {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.expected.json`), 'utf8')) as ReturnType<typeof fixtureExpected>;
}

/** A small plan: one workload that depends on another, for quick end-to-end runs. */
export function smallPlan(planId: string, options: { customerId?: string; categories?: string[]; workloadSuffix?: string } = {}): Plan {
  // A customer's runs share its tenant, where a workload id names one system: runs of one customer
  // that cut over at the same time need their own workloads (`workloadSuffix`), or the second to
  // replicate `db` is refused while the first does.
  const web = options.workloadSuffix === undefined ? 'web' : `web-${options.workloadSuffix}`;
  const db = options.workloadSuffix === undefined ? 'db' : `db-${options.workloadSuffix}`;
  const result = validatePlan({
    planId,
    customer: { id: options.customerId ?? 'mairie-test', name: 'Mairie de Test', type: 'LOCAL_AUTHORITY' },
    workloads: [
      { id: web, name: 'Site', kind: 'app', sizeGb: 10, dataCategories: options.categories ?? ['PUBLIC'], dependsOn: [db], criticality: 'LOW' },
      { id: db, name: 'Base', kind: 'database', sizeGb: 20, dataCategories: ['INTERNAL'], dependsOn: [], criticality: 'MEDIUM' },
    ],
    settings: { approvalDeadline: 'P30D', maxWaveSize: 2, bandwidthMbps: 1000 },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

export const consultant: Actor = { subject: 'consultant-1', roles: ['consultant'], approverRoles: [] };
export const ops: Actor = { subject: 'ops-1', roles: ['ops'], approverRoles: [] };
export function approver(customerId: string, roles: string[], subject = `approver-${roles.join('-').toLowerCase()}`): Actor {
  return { subject, roles: ['customer'], customerId, approverRoles: roles };
}

/** A unique suffix for ids created by a test. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
