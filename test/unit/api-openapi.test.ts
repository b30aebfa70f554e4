import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createDevAuthenticator } from '../../api/auth';
import { ACTIONS, type Action, APPROVAL_IDS, DATA_CATEGORIES, DRAFT_STATES, PERMISSIONS, USER_ROLES } from '../../domain';
import { DRAFT_ROUTES } from '../../api/draft-routes';
import { buildOpenApiDocument } from '../../api/openapi';
import { expressPath } from '../../api/route-table';
import { ROUTES } from '../../api/routes';
import { PLAN_BODY_LIMITS, SMALL_BODY_LIMITS } from '../../api/validation';
import { AesGcmPayloadCodec, generateCodecKey, parseCodecKeys } from '../../codec/payload-codec';
import { fakeMigrationUseCases } from '../support/fake-use-cases';

type Json = Record<string, unknown>;

const fake = fakeMigrationUseCases();
const app = createApp({
  migrations: fake.useCases,
  authenticator: createDevAuthenticator(new Uint8Array(32)),
  logger: pino({ level: 'silent' }),
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

/** A concrete URL of a path template: every parameter filled with a valid id. */
function concrete(path: string): string {
  return expressPath(path).replace(/:([A-Za-z0-9_]+)/g, 'migration-x');
}

describe('the route table', () => {
  it('is what the document describes, operation for operation', () => {
    expect(ROUTES.length).toBeGreaterThan(20);
    expect(documentedOperations()).toEqual(ROUTES.map((route) => `${route.method.toUpperCase()} ${route.path}`));
  });

  it('has every route served by the app: none answers "No route"', async () => {
    for (const route of ROUTES) {
      const response = await request(app)[route.method](concrete(route.path));
      expect({ route: route.operationId, detail: (response.body as { detail?: string }).detail ?? '' }).not.toEqual({
        route: route.operationId,
        detail: expect.stringMatching(/^No route for/) as unknown,
      });
    }
    expect(fake.calls.filter(({ name }) => name !== 'checkReadiness')).toEqual([]);
  });

  it('gives every operation a unique id and every protected one an action of the authorization table', () => {
    const ids = ROUTES.map((route) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const actions = ROUTES.flatMap((route) => ('action' in route.access ? [route.access.action] : []));
    expect(actions.filter((action) => !ACTIONS.includes(action))).toEqual([]);
    expect(new Set(actions)).toEqual(new Set(ACTIONS));
    for (const route of ROUTES.filter((candidate) => candidate.path.startsWith('/v1/'))) expect(route.access).toMatchObject({ authentication: 'bearer' });
  });

  it('limits each body to what its route needs: a plan’s size for plans, kilobytes for decisions', () => {
    const limits = Object.fromEntries(ROUTES.filter((route) => route.body).map((route) => [route.operationId, route.body?.limits]));
    for (const operation of ['validatePlan', 'startMigration', 'amendPlan']) expect(limits[operation]).toBe(PLAN_BODY_LIMITS);
    for (const operation of ['decideApproval', 'retryStep', 'skipStep', 'pauseMigration', 'resumeMigration', 'cancelMigration', 'extendDeadline']) {
      expect(limits[operation]).toBe(SMALL_BODY_LIMITS);
    }
    expect(SMALL_BODY_LIMITS.maxBytes).toBeLessThanOrEqual(16 * 1024);
    for (const route of ROUTES.filter((candidate) => candidate.body)) expect(route.errors).toEqual(expect.arrayContaining([400, 413, 415]));
  });
});

describe('the OpenAPI document', () => {
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

  it('states each request body’s size limit', () => {
    const decide = document.paths['/v1/migrations/{id}/approvals/{approvalId}']?.post?.requestBody as Json;
    expect(decide).toMatchObject({ required: true, 'x-max-bytes': SMALL_BODY_LIMITS.maxBytes, 'x-max-elements': SMALL_BODY_LIMITS.maxElements });
    const start = document.paths['/v1/migrations']?.post?.requestBody as Json;
    expect(start).toMatchObject({ required: true, 'x-max-bytes': PLAN_BODY_LIMITS.maxBytes });
  });

  it('describes the plan from the domain schema, unknown fields refused', () => {
    const plan = resolvePointer('#/components/schemas/PlanInput') as Json;
    expect(plan).toMatchObject({ type: 'object', additionalProperties: false, required: expect.arrayContaining(['customer', 'workloads']) as unknown });
    expect(resolvePointer('#/components/schemas/MigrationStatus/properties/plan')).toEqual({ $ref: '#/components/schemas/Plan' });
  });

  it('describes every draft route’s JSON answer and body by a schema with properties, never an empty object', () => {
    const draftOperations = Object.values(document.paths).flatMap((operations) => Object.values(operations)).filter((operation) => (operation.tags as string[]).includes('drafts'));
    expect(draftOperations.length).toBe(DRAFT_ROUTES.length);
    const described: string[] = [];
    for (const operation of draftOperations) {
      const responses = operation.responses as Record<string, { content?: Record<string, { schema: Json }> }>;
      const body = (operation.requestBody as { content: Record<string, { schema: Json }> } | undefined)?.content['application/json']?.schema;
      const ok = Object.entries(responses).find(([status]) => status.startsWith('2'))?.[1].content?.['application/json']?.schema;
      for (const schema of [body, ok]) {
        if (schema === undefined) continue;
        const resolved = resolvePointer(schema.$ref as string) as Json | undefined;
        expect({ operation: operation.operationId, ref: schema.$ref, properties: Object.keys((resolved?.properties as Json | undefined) ?? {}).length > 0 }).toEqual({
          operation: operation.operationId,
          ref: expect.stringMatching(/^#\/components\/schemas\/Draft/) as unknown,
          properties: true,
        });
        described.push(String(schema.$ref));
      }
    }
    // Every JSON answer but the CSV export's, and the three bodies.
    expect(new Set(described).size).toBe(DRAFT_ROUTES.length - 1 + 3);
    expect(resolvePointer('#/components/schemas/DraftSummary/properties/state')).toMatchObject({ enum: [...DRAFT_STATES] });
    expect(resolvePointer('#/components/schemas/DraftPreview/properties/classification/properties/approvals/items/properties/id')).toMatchObject({ enum: [...APPROVAL_IDS] });
    expect(resolvePointer('#/components/schemas/DraftWorkloadsPage/properties/workloads/items/properties/dataCategories/items')).toMatchObject({ enum: [...DATA_CATEGORIES] });
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
