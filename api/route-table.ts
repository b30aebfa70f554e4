/**
 * What a route of the API declares, and how a table of them becomes Express routes. The same
 * table generates the OpenAPI document (api/openapi.ts), so the routes served and the routes
 * documented cannot drift. Each route runs, in this order: its authentication and
 * authorization, then (only then) the parsing of its body within its own size limit, then its
 * parameters, query and headers, then its handler, which calls one use case.
 */
import type { Express, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Action } from '../domain';
import { type Identity, identityOf } from './auth';
import { requirePermission } from './authorization';
import { type BodyLimits, jsonBody, parseBody, parseOptionalBody, parseParams, parseQuery } from './validation';

/** The HTTP methods the API serves. */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch';

/** Error statuses an operation may answer, each an RFC 9457 problem (api/openapi.ts describes them). */
export const PROBLEM_STATUSES = [400, 401, 403, 404, 409, 413, 415, 422, 429, 503] as const;
/** A {@link PROBLEM_STATUSES} value. */
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

/**
 * Who may call a route: anyone (`public`), or a caller whose roles allow `action` in the
 * authorization table, authenticated by bearer token under `/v1`, or by the codec endpoint's
 * own rules (api/codec-endpoint.ts).
 */
export type RouteAccess = { public: true } | { action: Action; authentication: 'bearer' | 'codec' };

/** A JSON request body: its schema (named in the document), whether it may be absent, its size limit. */
export interface BodySpec<Body> {
  /** The component the OpenAPI document names the schema by. */
  component: string;
  schema: z.ZodType<Body>;
  required: boolean;
  /** The largest body accepted, in bytes and in JSON values: kilobytes for decisions, a plan's size for plans. */
  limits: BodyLimits;
  /** Turns the raw JSON into the handler's input; `schema`'s parse by default. */
  parse?: (raw: unknown) => Body;
}

/** A request header a route reads. */
export interface HeaderSpec {
  name: string;
  schema: z.ZodType;
  description: string;
}

/** What a route answers on success, as the document states it. */
export interface SuccessSpec {
  status: number;
  description: string;
  /** Media type to JSON Schema (or `$ref` to a component). */
  content?: Record<string, Record<string, unknown>>;
  headers?: Record<string, Record<string, unknown>>;
}

/** What a handler is given: the verified caller (routes with an action), the parsed inputs, and the app's services. */
export interface RouteRequest<Services, Params, Query, Body> {
  /** The verified caller; reading it on a public route answers 401. */
  readonly identity: Identity;
  params: Params;
  query: Query;
  body: Body;
  /** A request header, as sent. */
  header: (name: string) => string | undefined;
  services: Services;
  /** For routes that answer `raw` (streams, text, pages): the response to write. */
  res: Response;
}

/** What a handler answers: a JSON body sent with the route's success status (routes that write `raw` answer nothing). */
export interface RouteAnswer {
  body: unknown;
  headers?: Record<string, string>;
}

/** One operation of the API. */
export interface RouteSpec<Services = unknown, Params = Record<string, never>, Query = Record<string, never>, Body = undefined> {
  method: HttpMethod;
  /** OpenAPI path syntax: `/v1/migrations/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: RouteAccess;
  /** A strict object schema of the path's parameters. */
  params?: z.ZodType<Params>;
  /** A strict object schema of the query string. */
  query?: z.ZodType<Query>;
  headers?: HeaderSpec[];
  body?: BodySpec<Body>;
  ok: SuccessSpec;
  errors: ProblemStatus[];
  /** True when the handler writes the response itself (`res`) rather than answering JSON. */
  raw?: boolean;
  handle(request: RouteRequest<Services, Params, Query, Body>): Promise<RouteAnswer | undefined> | RouteAnswer | undefined;
}

/** A route of any input types, as tables hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute<Services> = RouteSpec<Services, any, any, any>;

/** Declares a route, inferring its input types from its schemas. */
export function defineRoute<Services, Params = Record<string, never>, Query = Record<string, never>, Body = undefined>(
  spec: RouteSpec<Services, Params, Query, Body>,
): RouteSpec<Services, Params, Query, Body> {
  return spec;
}

/** Express's path syntax for an OpenAPI path: `{id}` becomes `:id`. */
export function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

function parseRequestBody<Body>(spec: BodySpec<Body>, raw: unknown): Body {
  if (spec.parse) return spec.parse(raw);
  return (spec.required ? parseBody(spec.schema, raw) : parseOptionalBody(spec.schema, raw));
}

/** How a table's routes are guarded: per access kind, what authenticates the caller before anything else. */
export interface RouteGuards {
  /** Authenticates a `codec` route's caller and checks its action, or undefined when the codec endpoint is not served. */
  codec?: (action: Action) => RequestHandler;
}

/**
 * Registers every route of the table on `app`, each with its own chain: access checks, then the
 * body within the route's limit, then the handler. Bearer routes expect the caller to be
 * authenticated already (the `/v1` prefix does it); without an identity they answer 401.
 */
export function registerRoutes<Services>(app: Express, routes: readonly AnyRoute<Services>[], services: Services, guards: RouteGuards = {}): void {
  for (const route of routes) {
    const chain: RequestHandler[] = [];
    if ('action' in route.access) {
      if (route.access.authentication === 'codec') {
        if (!guards.codec) continue;
        chain.push(guards.codec(route.access.action));
      } else {
        chain.push(requirePermission(route.access.action));
      }
    }
    if (route.body) chain.push(jsonBody(route.body.limits));
    chain.push(async (req, res) => {
      const params: unknown = route.params ? parseParams(route.params, req.params) : {};
      const query: unknown = route.query ? parseQuery(route.query, req.query) : {};
      const body: unknown = route.body ? parseRequestBody(route.body, req.body) : undefined;
      const answer = await route.handle({
        get identity() {
          return identityOf(req);
        },
        params,
        query,
        body,
        header: (name) => req.get(name),
        services,
        res,
      });
      if (route.raw) return;
      if (!answer) throw new Error(`${route.operationId} answered nothing`);
      for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
      res.status(route.ok.status).json(answer.body);
    });
    app[route.method](expressPath(route.path), ...chain);
  }
}
