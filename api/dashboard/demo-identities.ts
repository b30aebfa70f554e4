/**
 * The fixed identities that development offers on the dashboard's sign-in page and through
 * `passerelle token --identity`: a consultant, an operator, an approver holding every approver
 * role for each customer of the example estates (test/fixtures/estates), and a customer who
 * may follow runs but sign nothing. Subjects are role mailboxes, not people.
 */
import type { ApproverRole, UserRole } from '../../domain';

/** One demo identity and the claims its token carries. */
export interface DemoIdentity {
  /** Stable and URL-safe: what `POST /dev/token` and `--identity` take. */
  id: string;
  sub: string;
  roles: UserRole[];
  customerId?: string;
  /** For display: the customer's name in the example estates. */
  customerName?: string;
  approverRoles: ApproverRole[];
}

const ALL_APPROVER_ROLES: ApproverRole[] = ['RSSI', 'DPO', 'HOMOLOGATION_AUTHORITY'];

/** The customers of the example estates, by id and name. */
export const DEMO_CUSTOMERS = [
  { id: 'ght-rhone-nord', name: 'GHT Rhône Nord' },
  { id: 'region-hauts-val', name: 'Région des Hauts-du-Val' },
] as const;

/** Every demo identity, in the order the sign-in page lists them. */
export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
  { id: 'consultant', sub: 'consultant@passerelle', roles: ['consultant'], approverRoles: [] },
  { id: 'ops', sub: 'ops@passerelle', roles: ['ops'], approverRoles: [] },
  ...DEMO_CUSTOMERS.map(
    (customer): DemoIdentity => ({
      id: `${customer.id}-approver`,
      sub: `approbation@${customer.id}`,
      roles: ['customer'],
      customerId: customer.id,
      customerName: customer.name,
      approverRoles: [...ALL_APPROVER_ROLES],
    }),
  ),
  {
    id: `${DEMO_CUSTOMERS[0].id}-viewer`,
    sub: `lecture@${DEMO_CUSTOMERS[0].id}`,
    roles: ['customer'],
    customerId: DEMO_CUSTOMERS[0].id,
    customerName: DEMO_CUSTOMERS[0].name,
    approverRoles: [],
  },
];

/** The demo identity with this id, if any. */
export function findDemoIdentity(id: string): DemoIdentity | undefined {
  return DEMO_IDENTITIES.find((identity) => identity.id === id);
}
