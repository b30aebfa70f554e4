import { z } from 'zod';
import { USER_ROLES } from './permissions';
import { APPROVER_ROLES } from './plan';

/**
 * The claims of a bearer token that Passerelle reads: the API verifies them on every request,
 * and development tokens are signed with the same shape. A customer's token names its customer.
 */
export const TokenClaimsSchema = z.lazy(() =>
  z
    .object({
      sub: z.string().min(1).max(200),
      roles: z.array(z.enum(USER_ROLES)).min(1),
      customerId: z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/)
        .optional(),
      approverRoles: z.array(z.enum(APPROVER_ROLES)).default([]),
    })
    .refine((claims) => !claims.roles.includes('customer') || claims.customerId !== undefined, {
      message: 'a customer token must carry customerId',
      path: ['customerId'],
    }),
);

/** Token claims as a signer passes them (approver roles may be left out). */
export type TokenClaimsInput = z.input<typeof TokenClaimsSchema>;

/**
 * Development only: the query parameter of the dashboard's address that carries the demo
 * sign-in key (`/?sign-in-key=…`, as `npm start` prints it); the page sends the key as a bearer
 * token to `/dev/identities` and `/dev/token`.
 */
export const DEV_SIGN_IN_KEY_PARAMETER = 'sign-in-key';
