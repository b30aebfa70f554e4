import type { Identity } from '../../api/auth';
import { type Action, ACTIONS, type UserRole } from '../../domain';
import { authorize, authorizeApprovalDecision, canSeeRun, enforcedCustomerFilter, isAllowed } from '../../api/authorization';
import { ApiProblem } from '../../api/problem';

/** DESIGN.md's API table, written out again so that the test does not read the table it checks. */
const EXPECTED: Record<UserRole, readonly Action[]> = {
  consultant: [
    'plan.validate',
    'migration.start',
    'migration.list',
    'migration.read',
    'migration.events',
    'migration.report',
    'migration.risks',
    'migration.dossier',
    'plan.amend',
    'derogation.request',
    'run.cancel',
    'draft.import',
    'draft.read',
    'draft.edit',
    'draft.start',
  ],
  customer: [
    'migration.list', 'migration.read', 'migration.events', 'migration.report', 'migration.risks', 'migration.dossier',
    'approval.decide',
    'derogation.request',
    'derogation.decide',
    'draft.read',
    'draft.edit',
  ],
  ops: [
    'migration.list',
    'migration.read',
    'migration.events',
    'migration.report',
    'migration.risks',
    'migration.dossier',
    'step.retry',
    'step.skip',
    'run.pause',
    'run.resume',
    'run.cancel',
    'deadline.extend',
    'derogation.acknowledge',
    'cutover-window.open',
    'qualification.notify',
    'payload.encode',
    'payload.decode',
  ],
};

function identity(roles: UserRole[], extra: Partial<Identity> = {}): Identity {
  return { subject: `${roles.join('+')}@test`, roles, approverRoles: [], ...extra };
}

const consultant = identity(['consultant']);
const ops = identity(['ops']);
const customerA = identity(['customer'], { customerId: 'customer-a', approverRoles: ['RSSI'] });

function thrown(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the authorization table', () => {
  const cases = (Object.keys(EXPECTED) as UserRole[]).flatMap((role) =>
    ACTIONS.map((action) => ({ role, action, allowed: EXPECTED[role].includes(action) })),
  );

  it.each(cases)('$role may $action: $allowed', ({ role, action, allowed }) => {
    const caller = identity([role], role === 'customer' ? { customerId: 'customer-a' } : {});
    expect(isAllowed(caller, action)).toBe(allowed);
    const error = thrown(() => authorize(caller, action));
    if (allowed) {
      expect(error).toBeUndefined();
    } else {
      expect(error).toBeInstanceOf(ApiProblem);
      expect(error).toMatchObject({ status: 403 });
      expect((error as ApiProblem).detail).toContain(action);
    }
  });

  it('lets a caller with several roles do what any of them allows', () => {
    const both = identity(['consultant', 'ops']);
    expect(isAllowed(both, 'migration.start')).toBe(true);
    expect(isAllowed(both, 'step.retry')).toBe(true);
    expect(isAllowed(both, 'approval.decide')).toBe(false);
  });
});

describe('run visibility', () => {
  it('shows every run to consultants and ops', () => {
    expect(canSeeRun(consultant, 'customer-b')).toBe(true);
    expect(canSeeRun(ops, 'customer-b')).toBe(true);
    expect(canSeeRun(ops, undefined)).toBe(true);
  });

  it('shows a customer its own runs only', () => {
    expect(canSeeRun(customerA, 'customer-a')).toBe(true);
    expect(canSeeRun(customerA, 'customer-b')).toBe(false);
    expect(canSeeRun(customerA, undefined)).toBe(false);
  });

  it('hides every run from a customer token without a customer id', () => {
    expect(canSeeRun(identity(['customer']), 'customer-a')).toBe(false);
    expect(enforcedCustomerFilter(identity(['customer']))).toBe('');
  });

  it('forces a customer list onto its own customer and leaves staff lists open', () => {
    expect(enforcedCustomerFilter(customerA)).toBe('customer-a');
    expect(enforcedCustomerFilter(consultant)).toBeUndefined();
    expect(enforcedCustomerFilter(ops)).toBeUndefined();
  });
});

describe('approval decisions', () => {
  const rssi = { id: 'rssi', role: 'RSSI' };

  it('lets a customer approver holding the role decide for its own run', () => {
    expect(thrown(() => authorizeApprovalDecision(customerA, { customerId: 'customer-a' }, rssi))).toBeUndefined();
  });

  it('refuses an approval bound to a role the token does not hold, naming the role', () => {
    const error = thrown(() => authorizeApprovalDecision(customerA, { customerId: 'customer-a' }, { id: 'dpo', role: 'DPO' }));
    expect(error).toMatchObject({ status: 403 });
    expect((error as ApiProblem).detail).toContain('DPO');
  });

  it('refuses an approver of another customer', () => {
    expect(thrown(() => authorizeApprovalDecision(customerA, { customerId: 'customer-b' }, rssi))).toMatchObject({ status: 403 });
  });

  it('refuses staff, whatever approver roles their token carries', () => {
    const staff = identity(['ops', 'consultant'], { approverRoles: ['RSSI'], customerId: 'customer-a' });
    expect(thrown(() => authorizeApprovalDecision(staff, { customerId: 'customer-a' }, rssi))).toMatchObject({ status: 403 });
  });
});
