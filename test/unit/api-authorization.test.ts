import type { Identity } from '../../api/auth';
import { type Action, ACTIONS, type UserRole } from '../../domain';
import type { Request, Response } from 'express';
import { authorize, requirePermission } from '../../api/authorization';
import { ApiProblem } from '../../api/problem';
import { enforcedCustomerOf } from '../../use-cases/migrations';

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
    'rehearsal.decide',
    'derogation.request',
    'derogation.decide',
    'risk.accept',
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
    'run.cleanup',
    'deadline.extend',
    'derogation.acknowledge',
    'cutover-window.open',
    'batch.start',
    'batch.read',
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

/** Runs the middleware every route of the table starts with, as Express would, for a request `identity` was verified for. */
function throughMiddleware(caller: Identity, action: Action): { error: unknown; nextCalled: boolean } {
  let nextCalled = false;
  const request = { identity: caller } as unknown as Request;
  const error = thrown(() => requirePermission(action)(request, {} as Response, () => (nextCalled = true)));
  return { error, nextCalled };
}

describe('the authorization table', () => {
  const cases = (Object.keys(EXPECTED) as UserRole[]).flatMap((role) =>
    ACTIONS.map((action) => ({ role, action, allowed: EXPECTED[role].includes(action) })),
  );

  it.each(cases)('$role may $action: $allowed', ({ role, action, allowed }) => {
    const caller = identity([role], role === 'customer' ? { customerId: 'customer-a' } : {});
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
    expect(thrown(() => authorize(both, 'migration.start'))).toBeUndefined();
    expect(thrown(() => authorize(both, 'step.retry'))).toBeUndefined();
    expect(thrown(() => authorize(both, 'approval.decide'))).toMatchObject({ status: 403 });
  });

  it('refuses in the route middleware before the handler runs, and passes on what the table allows', () => {
    expect(throughMiddleware(ops, 'step.retry')).toEqual({ error: undefined, nextCalled: true });
    const refused = throughMiddleware(customerA, 'step.retry');
    expect(refused.nextCalled).toBe(false);
    expect(refused.error).toMatchObject({ status: 403 });
  });
});

describe('the customer a list is filtered on', () => {
  it('is a customer’s own id, whatever the list asked for', () => {
    expect(enforcedCustomerOf(customerA)).toBe('customer-a');
  });

  it('is one no run has for a customer token without a customer id', () => {
    expect(enforcedCustomerOf(identity(['customer']))).toBe('');
  });

  it('is none for consultants and ops', () => {
    expect(enforcedCustomerOf(consultant)).toBeUndefined();
    expect(enforcedCustomerOf(ops)).toBeUndefined();
  });
});
