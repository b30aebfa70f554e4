import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';

/**
 * A failure as Azure Resource Manager answers it: an HTTP status and the envelope
 * `{"error":{"code","message"}}` that the Azure SDK clients parse into a `RestError`.
 */
export class ArmError extends Error {
  override readonly name = 'ArmError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The errors sim-cloud's ARM routes answer, by cause, with ARM's own codes. */
export const armErrors = {
  missingApiVersion: () =>
    new ArmError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests."),
  unsupportedApiVersion: (version: string, type: string, supported: readonly string[]) =>
    new ArmError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for API version '${version}' and type '${type}'. The supported api-versions are '${supported.join(', ')}'.`,
    ),
  unauthenticated: (message: string) =>
    new ArmError(401, 'AuthenticationFailed', message, {
      'www-authenticate': 'Bearer authorization_uri="/.well-known/openid-configuration", error="invalid_token"',
    }),
  subscriptionNotFound: (subscriptionId: string) =>
    new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`),
  readOnlySubscription: (subscriptionId: string) =>
    new ArmError(
      409,
      'ReadOnlyDisabledSubscription',
      `The subscription '${subscriptionId}' is disabled and therefore marked as read only. You cannot perform any write actions on this subscription until it is re-enabled.`,
    ),
  resourceGroupNotFound: (name: string) => new ArmError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`),
  notFound: (type: string, id: string) =>
    new ArmError(404, 'ResourceNotFound', `The Resource '${type}' with id '${id}' was not found.`),
  routeNotFound: (method: string, path: string) =>
    new ArmError(404, 'InvalidResourceType', `${method} ${path} names no resource type that sim-cloud's Azure Resource Manager serves.`),
  methodNotAllowed: (method: string, type: string) =>
    new ArmError(405, 'MethodNotAllowed', `The ${method} method is not supported for the resource type '${type}'.`),
  invalid: (code: string, message: string) => new ArmError(400, code, message),
  conflict: (code: string, message: string) => new ArmError(409, code, message),
  disallowedByPolicy: (assignment: string, message: string) =>
    new ArmError(403, 'RequestDisallowedByPolicy', `Resource was disallowed by policy assignment '${assignment}': ${message}`),
  internal: () => new ArmError(500, 'InternalServerError', 'sim-cloud failed to answer; see its log.'),
};

/** Answers an ARM error envelope. */
export function sendArmError(res: Response, error: ArmError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).json({ error: { code: error.code, message: error.message } });
}

/** The ARM routes' error middleware: every failure becomes ARM's envelope, never a stack trace. */
export function createArmErrorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let armError: ArmError;
    if (error instanceof ArmError) armError = error;
    else if (error instanceof SyntaxError) armError = armErrors.invalid('InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    else {
      logger.error({ err: error, method: req.method, path: req.path }, 'ARM request failed');
      armError = armErrors.internal();
    }
    if (res.headersSent || res.destroyed) return;
    sendArmError(res, armError);
  };
}
