/**
 * The signed-in user's token, kept in sessionStorage: it lives as long as the tab and no other
 * tab or site sees it. The claims read here only shape the page (which buttons to offer); the
 * API checks the token on every call.
 */
import { type Action, mayPerform, type UserRole, USER_ROLES } from '../domain/permissions';

/** What the page reads from the token to decide what to offer. */
export interface SessionClaims {
  sub: string;
  roles: string[];
  customerId?: string;
  approverRoles: string[];
  /** Expiry, in seconds since the epoch. */
  exp?: number;
}

const TOKEN_KEY = 'passerelle.token';

function decodeBase64Url(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The claims of a JWT, without checking its signature (the API does); undefined if it is not a JWT. */
export function readClaims(token: string): SessionClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(decodeBase64Url(payload)) as Partial<SessionClaims>;
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) return undefined;
    return {
      sub: claims.sub,
      roles: claims.roles.filter((role): role is string => typeof role === 'string'),
      ...(typeof claims.customerId === 'string' ? { customerId: claims.customerId } : {}),
      approverRoles: Array.isArray(claims.approverRoles) ? claims.approverRoles.filter((role): role is string => typeof role === 'string') : [],
      ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The signed-in user, if any. */
export interface Session {
  token: string;
  claims: SessionClaims;
}

/** The session of this tab, if a readable token is stored. */
export function loadSession(): Session | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const claims = token ? readClaims(token) : undefined;
  return token && claims ? { token, claims } : undefined;
}

/** Keeps a token for this tab. */
export function saveSession(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/** Forgets the token. */
export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Tells whether the signed-in user holds `role`. */
export function hasRole(session: Session, role: string): boolean {
  return session.claims.roles.includes(role);
}

/**
 * Tells whether the signed-in user's roles allow `action` in the one permission table
 * (domain/permissions.ts), to offer only what the API will accept; the API decides.
 */
export function mayDo(session: Session, action: Action): boolean {
  return mayPerform(
    session.claims.roles.filter((role): role is UserRole => (USER_ROLES as readonly string[]).includes(role)),
    action,
  );
}
