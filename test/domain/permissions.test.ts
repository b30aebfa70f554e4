import {
  ACTIONS,
  APPROVAL_DECIDERS,
  APPROVAL_IDS,
  approvalDecisionRefusal,
  classifyPlan,
  mayPerform,
  maySeeRun,
  PERMISSIONS,
  rolesAllowedTo,
  USER_ROLES,
} from '../../domain';
import { plan, workload } from './support/plans';

const customer = { roles: ['customer' as const], customerId: 'customer-a', approverRoles: ['RSSI'] };

describe('the permission table', () => {
  it('names only known actions, and every action is allowed to some role', () => {
    for (const role of USER_ROLES) for (const action of PERMISSIONS[role]) expect(ACTIONS).toContain(action);
    for (const action of ACTIONS) expect(rolesAllowedTo(action).length).toBeGreaterThan(0);
  });

  it('lets a consultant amend a plan and cancel a run, but not retry a step', () => {
    expect(mayPerform(['consultant'], 'plan.amend')).toBe(true);
    expect(mayPerform(['consultant'], 'run.cancel')).toBe(true);
    expect(mayPerform(['consultant'], 'step.retry')).toBe(false);
  });

  it('keeps operator controls for ops, and cancelling for ops and consultants', () => {
    for (const action of ['step.retry', 'step.skip', 'run.pause', 'run.resume', 'deadline.extend'] as const) expect(rolesAllowedTo(action)).toEqual(['ops']);
    expect(rolesAllowedTo('run.cancel')).toEqual(['consultant', 'ops']);
    expect(rolesAllowedTo('approval.decide')).toEqual(['customer']);
  });

  it('allows what any of several roles allows', () => {
    expect(mayPerform(['customer', 'ops'], 'step.skip')).toBe(true);
    expect(mayPerform([], 'migration.read')).toBe(false);
  });

  it('shows staff every run and a customer only its own', () => {
    expect(maySeeRun({ roles: ['ops'] }, 'customer-b')).toBe(true);
    expect(maySeeRun(customer, 'customer-a')).toBe(true);
    expect(maySeeRun(customer, 'customer-b')).toBe(false);
    expect(maySeeRun(customer, undefined)).toBe(false);
  });
});

describe('approval decisions', () => {
  const rssi = { id: 'rssi', role: 'RSSI' };

  it('lets the run’s own customer decide an approval bound to a role it holds', () => {
    expect(approvalDecisionRefusal(customer, { customerId: 'customer-a' }, rssi)).toBeUndefined();
  });

  it('refuses another customer, a missing approver role and a caller who is not a customer, each with its reason', () => {
    expect(approvalDecisionRefusal(customer, { customerId: 'customer-b' }, rssi)?.reason).toBe('other-customer');
    expect(approvalDecisionRefusal(customer, { customerId: 'customer-a' }, { id: 'dpo', role: 'DPO' })?.reason).toBe('approver-role');
    expect(approvalDecisionRefusal({ ...customer, roles: ['ops'] }, { customerId: 'customer-a' }, rssi)?.reason).toBe('action');
  });

  it('binds every approval the classification may ask for to one approver role, and the classification follows it', () => {
    expect(Object.keys(APPROVAL_DECIDERS).sort()).toEqual([...APPROVAL_IDS].sort());
    const report = classifyPlan(plan([workload('dpi', { dataCategories: ['HEALTH', 'PERSONAL_SPECIAL'] }), workload('scada', { dataCategories: ['SIIV'] })], 'OIV'));
    expect(report.approvals.map((approval) => approval.id).sort()).toEqual([...APPROVAL_IDS].sort());
    for (const approval of report.approvals) expect(approval.role).toBe(APPROVAL_DECIDERS[approval.id]);
  });
});
