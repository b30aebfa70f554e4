/**
 * Development tokens: what `npm run token`, `passerelle token` and the dashboard's sign-in page
 * (through `POST /dev/token`) sign with the development HS256 secret, and the fixed demo
 * identities they offer: a consultant, an operator, an approver holding every approver role
 * for each customer of the example estates (test/fixtures/estates), and a customer who may
 * follow runs but sign nothing. Subjects are role mailboxes, not people. No Node built-ins:
 * the dashboard reads the identities' type.
 */
import { SignJWT } from 'jose';
import { APPROVER_ROLES, type ApproverRole } from '../domain/plan';
import type { UserRole } from '../domain/permissions';
import { type TokenClaimsInput, TokenClaimsSchema } from '../domain/token-claims';

/** Issuer and audience of development tokens, which the development authenticator pins. */
export const DEV_ISSUER = 'passerelle-dev';
export const DEV_AUDIENCE = 'passerelle';

/** Signs a development token; throws zod's error when the claims are not valid. */
export async function issueDevToken(secret: Uint8Array, claims: TokenClaimsInput, expiresIn = '12h'): Promise<string> {
  const { sub, ...rest } = TokenClaimsSchema.parse(claims);
  return await new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(secret);
}

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
      approverRoles: [...APPROVER_ROLES],
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
