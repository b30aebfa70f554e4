import path from 'node:path';
import express, { type RequestHandler, type Response, type Router } from 'express';
import { createDevTokenRouter } from './dev-token-router';
import { problems, sendProblem } from './problem';

/** What the dashboard needs from the API process. */
export interface DashboardOptions {
  /** The built dashboard (`index.html`, `app.css`, `app.js`): config's `api.dashboardDir`. */
  dashboardDir: string;
  /**
   * Development only: the HS256 secret of dev tokens. With it (and outside production) the
   * sign-in page offers the demo identities; without it, only a pasted token signs in.
   */
  devTokenSecret?: Uint8Array;
  /** The process's NODE_ENV; the demo identities never exist in production. */
  nodeEnv?: string;
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
 * The customer dashboard, served by the API at `/`: the page, script and style that the
 * dashboard's build wrote (the API runs none of the dashboard's code), which talk to `/v1`
 * with the signed-in user's token like any other client. In development it also serves
 * `/dev/identities` and `/dev/token` for the sign-in page.
 */
export function createDashboardRouter(options: DashboardOptions): Router {
  const router = express.Router();

  /** Sends one built file; a missing build answers 503 with what to run, not a bare 404. */
  const sendBuilt = (file: string, headers: Record<string, string> = {}): RequestHandler => (req, res, next) => {
    noCache(res).set(headers);
    res.sendFile(path.join(options.dashboardDir, file), (error?: Error & { code?: string }) => {
      if (!error || res.headersSent) return;
      if (error.code !== 'ENOENT') {
        next(error);
        return;
      }
      const detail = `The dashboard is not built (no ${file} in ${options.dashboardDir}): run \`npm run build:dashboard\`.`;
      sendProblem(res, problems.unavailable(detail), req.originalUrl);
    });
  };

  router.get('/', sendBuilt('index.html', { 'content-security-policy': DASHBOARD_CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' }));
  router.get('/dashboard/app.css', sendBuilt('app.css'));
  router.get('/dashboard/app.js', sendBuilt('app.js'));
  // The rules (docs/rules.md) as text, which every browser shows rather than downloads.
  router.get('/dashboard/rules.md', sendBuilt('rules.md', { 'content-type': 'text/plain; charset=utf-8' }));

  const nodeEnv = options.nodeEnv ?? process.env.NODE_ENV;
  if (options.devTokenSecret !== undefined && nodeEnv !== 'production') {
    router.use('/dev', createDevTokenRouter(options.devTokenSecret));
  }
  return router;
}
