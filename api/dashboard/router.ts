import path from 'node:path';
import express, { type Response, type Router } from 'express';
import { createDashboardScriptLoader, DASHBOARD_PUBLIC_DIR } from './assets';
import { createDevTokenRouter } from './dev-token-router';

/** What the dashboard needs from the API process. */
export interface DashboardOptions {
  /**
   * Development only: the HS256 secret of dev tokens. With it (and outside production) the
   * sign-in page offers the demo identities; without it, only a pasted token signs in.
   */
  devTokenSecret?: Uint8Array;
  /** The process's NODE_ENV; the demo identities never exist in production. */
  nodeEnv?: string;
  /** Where `index.html`, `app.css` and a prebuilt `app.js` are; the source folder by default. */
  publicDir?: string;
}

/**
 * The page's own policy: scripts and styles from this origin only, API calls to this origin
 * only, nothing framed. The dashboard has no inline script or style, so it needs no exception.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

function noCache(res: Response): Response {
  return res.set({ 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
}

/**
 * The customer dashboard, served by the API at `/`: a page and its script and style, which talk
 * to `/v1` with the signed-in user's token like any other client. In development it also
 * serves `/dev/identities` and `/dev/token` for the sign-in page.
 */
export function createDashboardRouter(options: DashboardOptions = {}): Router {
  const publicDir = options.publicDir ?? DASHBOARD_PUBLIC_DIR;
  const loadScript = createDashboardScriptLoader(publicDir);
  const router = express.Router();

  router.get('/', (_req, res) => {
    noCache(res).set({ 'content-security-policy': DASHBOARD_CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' });
    res.sendFile(path.join(publicDir, 'index.html'));
  });
  router.get('/dashboard/app.css', (_req, res) => {
    noCache(res).sendFile(path.join(publicDir, 'app.css'));
  });
  router.get('/dashboard/app.js', async (_req, res) => {
    const script = await loadScript();
    noCache(res).type('text/javascript; charset=utf-8').send(script);
  });

  const nodeEnv = options.nodeEnv ?? process.env.NODE_ENV;
  if (options.devTokenSecret !== undefined && nodeEnv !== 'production') {
    router.use('/dev', createDevTokenRouter(options.devTokenSecret));
  }
  return router;
}
