/**
 * Applies the permission table of domain/permissions.ts to requests: a 403 problem for an
 * action the caller's roles do not allow. Which runs a caller sees and who decides an approval
 * are the use cases' to apply (use-cases/migrations.ts), with the same table; the workflow's
 * validators check every human decision again. This layer answers early, before a body is read.
 */
import type { RequestHandler } from 'express';
import { type Action, forbiddenMessage, mayPerform } from '../domain/permissions';
import { type Identity, identityOf } from './auth';
import { problems } from './problem';

/** Throws a 403 problem naming `action` unless one of the caller's roles allows it. */
export function authorize(identity: Identity, action: Action): void {
  if (!mayPerform(identity.roles, action)) throw problems.forbidden(forbiddenMessage(identity.roles, action));
}

/** Middleware form of {@link authorize}: every route of the table runs it first. */
export function requirePermission(action: Action): RequestHandler {
  return (req, _res, next) => {
    authorize(identityOf(req), action);
    next();
  };
}
