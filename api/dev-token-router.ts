import express, { type Router } from 'express';
import { z } from 'zod';
import { DEMO_IDENTITIES, findDemoIdentity, issueDevToken } from '../config/dev-tokens';
import { requireDevSignInKey, requireLoopbackHost } from './dev-mode';
import { problems } from './problem';
import { jsonBody, parseBody } from './validation';

/** Body of `POST /dev/token`. */
export const DevTokenRequestSchema = z.strictObject({
  identity: z.string({ error: 'must be the id of a demo identity' }).min(1, { error: 'must not be empty' }),
});

/** How long a demo token lasts, as `npm run token` issues them. */
export const DEMO_TOKEN_LIFETIME = '12h';

/**
 * Development only: `GET /dev/identities` lists the demo identities and `POST /dev/token`
 * signs a token for one of them with the development secret, so that the sign-in page can
 * offer them. The dashboard router mounts this only in development. Both answer only on a
 * loopback host name and to a caller that sends the development sign-in key
 * (api/dev-mode.ts), checked before any body is read.
 */
export function createDevTokenRouter(secret: Uint8Array): Router {
  const router = express.Router();
  router.use(requireLoopbackHost(), requireDevSignInKey(secret));

  router.get('/identities', (_req, res) => {
    res.set('cache-control', 'no-store').json({ identities: DEMO_IDENTITIES });
  });

  router.post('/token', jsonBody(), async (req, res) => {
    const { identity: id } = parseBody(DevTokenRequestSchema, req.body);
    const identity = findDemoIdentity(id);
    if (!identity) {
      throw problems.unprocessable(`There is no demo identity "${id}".`, [
        { path: 'identity', message: `must be one of ${DEMO_IDENTITIES.map((candidate) => candidate.id).join(', ')}` },
      ]);
    }
    const { sub, roles, customerId, approverRoles } = identity;
    const token = await issueDevToken(secret, { sub, roles, customerId, approverRoles }, DEMO_TOKEN_LIFETIME);
    res.set('cache-control', 'no-store').json({ token, identity, expiresIn: DEMO_TOKEN_LIFETIME });
  });

  return router;
}
