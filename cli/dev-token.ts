import path from 'node:path';
import { loadOrCreateDevSecret } from '../config/dev-secret';
import { DEMO_IDENTITIES, findDemoIdentity, issueDevToken } from '../config/dev-tokens';
import { loadConfig } from '../config/env';
import { projectRoot } from '../config/paths';
import type { ApproverRole, UserRole } from '../domain';

/** What `passerelle token` is asked for: a demo identity, or claims of one's own. */
export interface DevTokenRequest {
  identity?: string;
  roles?: string[];
  customer?: string;
  approverRoles?: string[];
  sub?: string;
  ttl: string;
}

/** A request the command line cannot turn into a token; the message says what to pass. */
export class DevTokenUsageError extends Error {
  override readonly name = 'DevTokenUsageError';
}

/**
 * Signs a development token as `npm run token` does (scripts/token.ts): with the secret of
 * `AUTH_DEV_SECRET` or the one `npm start` keeps under the data directory. A relative
 * `PASSERELLE_DATA_DIR` is read from the project's folder, where `npm start` reads it, so that
 * the command works from any directory.
 */
export async function issueDevTokenFromEnvironment(request: DevTokenRequest, env: NodeJS.ProcessEnv): Promise<string> {
  const dataDir = env.PASSERELLE_DATA_DIR ?? '.data';
  const config = loadConfig({ ...env, PASSERELLE_DATA_DIR: path.resolve(projectRoot(), dataDir) });
  if (config.auth.mode !== 'dev') throw new DevTokenUsageError('Tokens come from the OIDC provider in this configuration (AUTH_MODE=oidc); `passerelle token` is for development.');
  let claims: { sub: string; roles: UserRole[]; customerId?: string; approverRoles: ApproverRole[] };
  if (request.identity !== undefined) {
    const identity = findDemoIdentity(request.identity);
    if (!identity) {
      throw new DevTokenUsageError(`There is no demo identity "${request.identity}"; choose one of ${DEMO_IDENTITIES.map((candidate) => candidate.id).join(', ')}.`);
    }
    claims = { sub: identity.sub, roles: identity.roles, customerId: identity.customerId, approverRoles: identity.approverRoles };
  } else if (request.roles && request.roles.length > 0) {
    const roles = request.roles as UserRole[];
    claims = {
      sub: request.sub ?? (request.customer ? `${roles[0]}@${request.customer}` : `${roles[0]}@passerelle`),
      roles,
      customerId: request.customer,
      approverRoles: (request.approverRoles ?? []) as ApproverRole[],
    };
  } else {
    throw new DevTokenUsageError(`Pass --identity (${DEMO_IDENTITIES.map((identity) => identity.id).join(', ')}) or --role consultant|customer|ops.`);
  }
  const secret = config.auth.secret ? new TextEncoder().encode(config.auth.secret) : await loadOrCreateDevSecret(config.dataDir);
  try {
    return await issueDevToken(secret, request.sub !== undefined ? { ...claims, sub: request.sub } : claims, request.ttl);
  } catch (error) {
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    if (issues) throw new DevTokenUsageError(issues.map((issue) => `${issue.path.map(String).join('.') || 'claims'}: ${issue.message}`).join('; '));
    throw error;
  }
}
