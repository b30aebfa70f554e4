import type { Client } from '@temporalio/client';
import type { Router } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { type Action, PERMISSIONS, USER_ROLES } from '../../domain';
import { createDashboardRouter } from '../../api/dashboard-router';
import { buildOpenApiDocument } from '../../api/openapi';
import { AesGcmPayloadCodec, generateCodecKey, parseCodecKeys } from '../../codec/payload-codec';
import { createDevAuthenticator } from '../../api/auth';

type Json = Record<string, unknown>;

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: RouterLayer[] };
  rawPath?: unknown;
}

/** Every `METHOD /path` an Express router serves, mounted sub-routers included, in OpenAPI's path syntax. */
function routesOf(stack: RouterLayer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = `${prefix}${layer.route.path}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      return Object.keys(layer.route.methods)
        .filter((method) => layer.route?.methods[method])
        .map((method) => `${method.toUpperCase()} ${path}`);
    }
    if (layer.handle.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      return routesOf(layer.handle.stack, `${prefix}${mount}`);
    }
    return [];
  });
}

function stackOf(router: Router | { router: Router }): RouterLayer[] {
  const owner = 'router' in router ? router.router : router;
  return (owner as unknown as { stack: RouterLayer[] }).stack;
}

const fakeClient = { workflowService: {}, workflow: {}, options: { namespace: 'default' } } as unknown as Client;
const app = createApp({
  client: fakeClient,
  authenticator: createDevAuthenticator(new Uint8Array(32)),
  logger: pino({ level: 'silent' }),
  taskQueue: 'openapi-test',
  codecEndpoint: { codec: new AesGcmPayloadCodec(parseCodecKeys(generateCodecKey('k1'))), uiOrigins: [], loopbackOnly: false },
});
const document = buildOpenApiDocument({ version: '1.0.0' }) as Json & { paths: Record<string, Record<string, Json>>; components: Json };

function documentedOperations(): string[] {
  return Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
}

function resolvePointer(pointer: string): unknown {
  if (!pointer.startsWith('#/')) return undefined;
  let target: unknown = document;
  for (const segment of pointer.slice(2).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (target === null || typeof target !== 'object' || !Object.hasOwn(target, segment)) return undefined;
    target = (target as Json)[segment];
  }
  return target;
}

function referencesIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => (key === '$ref' && typeof child === 'string' ? [child] : referencesIn(child)));
}

describe('the OpenAPI document', () => {
  it('documents every route the application serves, and nothing it does not', () => {
    // The dashboard's page and assets are not API operations.
    const dashboardRoutes = new Set(routesOf(stackOf(createDashboardRouter({ dashboardDir: __dirname }))));
    const served = routesOf(stackOf(app)).filter((route) => !dashboardRoutes.has(route));
    expect(served.length).toBeGreaterThan(20);
    expect(new Set(served)).toEqual(new Set(documentedOperations()));
  });

  it('is OpenAPI 3.1 with an info block, operations with unique ids and responses', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String) as unknown, version: '1.0.0' });
    const operations = Object.values(document.paths).flatMap((byMethod) => Object.values(byMethod));
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of operations) {
      const responses = operation.responses as Record<string, Json>;
      expect(Object.keys(responses).length).toBeGreaterThan(0);
      expect(Object.keys(responses).some((status) => /^2\d\d$/.test(status))).toBe(true);
      for (const response of Object.values(responses)) expect(typeof response.$ref === 'string' || typeof response.description === 'string').toBe(true);
    }
  });

  it('resolves every $ref inside the document', () => {
    const references = referencesIn(document);
    expect(references.length).toBeGreaterThan(50);
    expect(references.filter((reference) => resolvePointer(reference) === undefined)).toEqual([]);
  });

  it('declares every path parameter of every path template', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const operation of Object.values(operations)) {
        const declared = ((operation.parameters ?? []) as Json[]).filter((parameter) => parameter.in === 'path');
        expect(declared.map((parameter) => [parameter.name, parameter.required])).toEqual(names.map((name) => [name, true]));
      }
    }
  });

  it('secures every operation of the authorization table with the bearer scheme, listing the roles the table allows', () => {
    expect(document.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }) as unknown });
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations)) {
        const action = operation['x-action'] as Action | undefined;
        if (action === undefined) {
          expect(operation.security).toEqual([]);
          continue;
        }
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(operation['x-roles']).toEqual(USER_ROLES.filter((role) => PERMISSIONS[role].has(action)));
        expect(Object.keys(operation.responses as Json)).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
  });

  it('describes the plan from the domain schema, unknown fields refused', () => {
    const plan = resolvePointer('#/components/schemas/PlanInput') as Json;
    expect(plan).toMatchObject({ type: 'object', additionalProperties: false, required: expect.arrayContaining(['customer', 'workloads']) as unknown });
    expect(resolvePointer('#/components/schemas/MigrationStatus/properties/plan')).toEqual({ $ref: '#/components/schemas/Plan' });
  });

  it('is served at /openapi.json and rendered at /docs without any external resource', async () => {
    const served = await request(app).get('/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body).toMatchObject({ openapi: document.openapi, paths: expect.any(Object) as unknown });
    const page = await request(app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<script src="/docs/docs.js"></script>');
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = await request(app).get('/docs/docs.js');
    expect(script.status).toBe(200);
    expect(script.text).toContain("fetch('/openapi.json')");
    expect(script.text).not.toContain('innerHTML');
  });
});
