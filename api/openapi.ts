/**
 * The OpenAPI 3.1 document of the API, generated from the route table (api/routes.ts) that
 * also registers the routes: its operations, the zod schemas they parse with and answer, and
 * the roles of each from the authorization table. Served at `/openapi.json`. zod 4's own
 * `z.toJSONSchema` writes the schemas (draft 2020-12, the dialect of OpenAPI 3.1), so the
 * document needs no second registry of schemas.
 */
import { z } from 'zod';
import { rolesAllowedTo } from '../domain';
import { ProblemSchema } from './problem';
import type { AnyRoute, ProblemStatus } from './route-table';
import { REQUEST_COMPONENTS, RESPONSE_COMPONENTS, ROUTES } from './routes';

type JsonSchema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';

/** Error answers, each an RFC 9457 problem. */
const PROBLEM_RESPONSES: Record<ProblemStatus, readonly [string, string]> = {
  400: ['BadRequest', 'The request is malformed; `errors` names each field and the reason.'],
  401: ['Unauthorized', 'No valid bearer token.'],
  403: ['Forbidden', 'The token’s roles do not allow this action.'],
  404: ['NotFound', 'No such resource, or one the caller may not see (another customer’s run answers exactly like a missing one).'],
  409: ['Conflict', 'The run’s state does not allow this now (ended, or a different plan under the same key).'],
  413: ['ContentTooLarge', 'The request body is larger than this operation accepts.'],
  415: ['UnsupportedMediaType', 'The body is not application/json in UTF-8.'],
  422: ['UnprocessableContent', 'The workflow refused the decision; `detail` says why.'],
  429: ['TooManyRequests', 'Too many requests, or too many failed authentications, from this address; see Retry-After.'],
  503: ['ServiceUnavailable', 'Temporal is not reachable; retry after Retry-After seconds.'],
};

function withoutSchemaKeywords(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function componentSchemas(components: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    uri: (id) => `${COMPONENT_PREFIX}${id}`,
  });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutSchemaKeywords(schema as JsonSchema)]));
}

function inlineSchema(schema: z.ZodType): JsonSchema {
  return withoutSchemaKeywords(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }));
}

function fieldsOf(schema: z.ZodType | undefined): [string, z.ZodType][] {
  if (schema === undefined) return [];
  if (!(schema instanceof z.ZodObject)) throw new Error('path parameters and query strings are object schemas');
  const shape: Record<string, z.ZodType> = schema.shape;
  return Object.entries(shape);
}

function parametersOf(route: AnyRoute<unknown>): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const [name, field] of fieldsOf(route.params)) parameters.push({ name, in: 'path', required: true, schema: inlineSchema(field) });
  for (const [name, field] of fieldsOf(route.query)) {
    parameters.push({ name, in: 'query', required: !field.safeParse(undefined).success, schema: inlineSchema(field) });
  }
  for (const header of route.headers ?? []) {
    parameters.push({ name: header.name, in: 'header', required: false, description: header.description, schema: inlineSchema(header.schema) });
  }
  return parameters;
}

function operationOf(route: AnyRoute<unknown>): JsonSchema {
  const action = 'action' in route.access ? route.access.action : undefined;
  const responses: Record<string, JsonSchema> = {
    [String(route.ok.status)]: {
      description: route.ok.description,
      ...(route.ok.headers ? { headers: route.ok.headers } : {}),
      ...(route.ok.content ? { content: route.ok.content } : {}),
    },
  };
  for (const status of route.errors) responses[String(status)] = { $ref: `#/components/responses/${PROBLEM_RESPONSES[status][0]}` };
  const parameters = parametersOf(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(action
      ? {
          description: `Roles: ${rolesAllowedTo(action).join(', ')} (action \`${action}\`).`,
          'x-action': action,
          'x-roles': rolesAllowedTo(action),
          security: [{ bearer: [] }],
        }
      : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: route.body.required,
            description: `At most ${route.body.limits.maxBytes} bytes and ${route.body.limits.maxElements} JSON values.`,
            'x-max-bytes': route.body.limits.maxBytes,
            'x-max-elements': route.body.limits.maxElements,
            content: { 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}${route.body.component}` } } },
          },
        }
      : {}),
    responses,
  };
}

/** Builds the OpenAPI 3.1 document of `routes` (the API's table by default); `serverUrl` is where the API answers. */
export function buildOpenApiDocument(options: { version: string; serverUrl?: string; routes?: readonly AnyRoute<never>[] }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of options.routes ?? ROUTES) (paths[route.path] ??= {})[route.method] = operationOf(route);
  const problemResponses = Object.fromEntries(
    Object.values(PROBLEM_RESPONSES).map(([name, description]) => [
      name,
      {
        description,
        ...(name === 'ServiceUnavailable' || name === 'TooManyRequests'
          ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } }
          : {}),
        content: { 'application/problem+json': { schema: { $ref: `${COMPONENT_PREFIX}Problem` } } },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Passerelle API',
      version: options.version,
      summary: 'Durable migrations to a sovereign cloud, as Temporal workflows',
      description:
        'Consultants launch plans, customers follow their own runs and sign what the law asks them to sign, ops resolve what needs attention. ' +
        'Errors are RFC 9457 problems (application/problem+json).',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [
      { name: 'plans', description: 'Plans before they are runs' },
      { name: 'migrations', description: 'Starting and following runs' },
      { name: 'decisions', description: 'Sign-offs and amendments' },
      { name: 'operations', description: 'What ops do when a run needs attention' },
      { name: 'codec', description: 'Payload encryption for the Temporal Web UI' },
      { name: 'service', description: 'Health, metrics and this documentation' },
    ],
    paths,
    components: {
      schemas: { ...componentSchemas(REQUEST_COMPONENTS, 'input'), ...componentSchemas({ ...RESPONSE_COMPONENTS, Problem: ProblemSchema }, 'output') },
      responses: problemResponses,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT with `sub`, `roles` and, for customers, `customerId` and `approverRoles`.' },
      },
    },
  };
}
