import type { z } from 'zod';
import { RESOURCE_KINDS, RESOURCE_TYPES, type Catalog } from './catalog';
import type { Cutover } from './cutover';
import { fieldErrorsFromZod, problems } from './problems';
import type { Provisioning } from './provisioning';
import {
  createM365TenantBody,
  emptyBody,
  releaseM365TenantBody,
  startReplicationBody,
  switchTrafficBody,
} from './schemas';

/** Every operation of the provider API: the unit that fault injection and logs name. */
export const OPERATION_NAMES = [
  'getQualifications',
  'createM365Tenant',
  'releaseM365Tenant',
  'startReplication',
  'getReplication',
  'getWorkload',
  'freezeSource',
  'unfreezeSource',
  'finalSync',
  'validateWorkload',
  'switchTraffic',
  'smokeTest',
  'launchTestInstance',
  'smokeTestLaunch',
  'tearDownTestLaunch',
  'getResource',
  'deleteResource',
] as const;

/** The name of a provider operation. */
export type OperationName = (typeof OPERATION_NAMES)[number];

/** Whether `name` is a provider operation. */
export function isOperationName(name: string): name is OperationName {
  return (OPERATION_NAMES as readonly string[]).includes(name);
}

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A parsed request, ready to run: `input` is what its idempotency hash covers. */
export interface PreparedCall {
  input: { params: Record<string, string>; body: unknown };
  execute(): unknown;
}

/** One route of the provider API. */
export interface ProviderRoute {
  operation: OperationName;
  method: HttpMethod;
  path: string;
  /** Mutating routes need an Idempotency-Key. */
  mutating: boolean;
  successStatus: 200 | 201 | 204;
  /** Parses path parameters and body (400 problem on an invalid body). */
  prepare(rawParams: Record<string, string | string[] | undefined>, rawBody: unknown): PreparedCall;
}

interface RouteSpec<Param extends string, Body extends z.ZodType> {
  operation: OperationName;
  method: HttpMethod;
  path: string;
  params: readonly Param[];
  body?: Body;
  successStatus?: 200 | 201 | 204;
  run(input: { params: Record<Param, string>; body: z.output<Body> }): unknown;
}

function defineRoute<Param extends string, Body extends z.ZodType = typeof emptyBody>(spec: RouteSpec<Param, Body>): ProviderRoute {
  const mutating = spec.method !== 'GET';
  return {
    operation: spec.operation,
    method: spec.method,
    path: spec.path,
    mutating,
    successStatus: spec.successStatus ?? 200,
    prepare(rawParams, rawBody) {
      const params = Object.fromEntries(spec.params.map((name) => [name, String(rawParams[name])])) as Record<Param, string>;
      // GET has no body; a mutating call without one is read as `{}` so that the schema names what is missing.
      const parsed = mutating ? (spec.body ?? emptyBody).safeParse(rawBody ?? {}) : { success: true as const, data: {} };
      if (!parsed.success) throw problems.invalidBody(fieldErrorsFromZod(parsed.error));
      const body = parsed.data as z.output<Body>;
      return { input: { params, body }, execute: () => spec.run({ params, body }) };
    },
  };
}

const WORKLOAD = '/v1/tenants/:tenantId/workloads/:workloadId';

/** The provider API's route table: every route with its operation name, validation and use case. */
export function createProviderRoutes({ provisioning, cutover, catalog }: { provisioning: Provisioning; cutover: Cutover; catalog: Catalog }): ProviderRoute[] {
  const workloadParams = ['tenantId', 'workloadId'] as const;
  return [
    defineRoute({
      operation: 'getQualifications',
      method: 'GET',
      path: '/v1/provider/credentials',
      params: [],
      run: () => provisioning.getQualifications(),
    }),
    defineRoute({
      operation: 'createM365Tenant',
      method: 'POST',
      path: '/v1/tenants/:tenantId/m365-tenants',
      params: ['tenantId'],
      body: createM365TenantBody,
      successStatus: 201,
      run: ({ params, body }) => provisioning.createM365Tenant(params.tenantId, body),
    }),
    defineRoute({
      operation: 'releaseM365Tenant',
      method: 'POST',
      path: '/v1/m365-tenants/:id/release',
      params: ['id'],
      body: releaseM365TenantBody,
      run: ({ params, body }) => provisioning.releaseM365Tenant(params.id, body),
    }),
    defineRoute({
      operation: 'getWorkload',
      method: 'GET',
      path: WORKLOAD,
      params: workloadParams,
      run: ({ params }) => cutover.getWorkload(params.tenantId, params.workloadId),
    }),
    defineRoute({
      operation: 'startReplication',
      method: 'POST',
      path: `${WORKLOAD}/replications`,
      params: workloadParams,
      body: startReplicationBody,
      successStatus: 201,
      run: ({ params, body }) => cutover.startReplication(params.tenantId, params.workloadId, body),
    }),
    defineRoute({
      operation: 'getReplication',
      method: 'GET',
      path: '/v1/replications/:id',
      params: ['id'],
      run: ({ params }) => cutover.getReplication(params.id),
    }),
    defineRoute({
      operation: 'freezeSource',
      method: 'POST',
      path: `${WORKLOAD}/freeze`,
      params: workloadParams,
      run: ({ params }) => cutover.freezeSource(params.tenantId, params.workloadId),
    }),
    defineRoute({
      operation: 'unfreezeSource',
      method: 'POST',
      path: `${WORKLOAD}/unfreeze`,
      params: workloadParams,
      run: ({ params }) => cutover.unfreezeSource(params.tenantId, params.workloadId),
    }),
    defineRoute({
      operation: 'finalSync',
      method: 'POST',
      path: `${WORKLOAD}/final-syncs`,
      params: workloadParams,
      successStatus: 201,
      run: ({ params }) => cutover.finalSync(params.tenantId, params.workloadId),
    }),
    defineRoute({
      operation: 'validateWorkload',
      method: 'POST',
      path: `${WORKLOAD}/validations`,
      params: workloadParams,
      successStatus: 201,
      run: ({ params }) => cutover.validateWorkload(params.tenantId, params.workloadId),
    }),
    defineRoute({
      operation: 'switchTraffic',
      method: 'PUT',
      path: `${WORKLOAD}/dns-record`,
      params: workloadParams,
      body: switchTrafficBody,
      run: ({ params, body }) => cutover.switchTraffic(params.tenantId, params.workloadId, body),
    }),
    defineRoute({
      operation: 'smokeTest',
      method: 'POST',
      path: `${WORKLOAD}/smoke-tests`,
      params: workloadParams,
      successStatus: 201,
      run: ({ params }) => cutover.smokeTest(params.tenantId, params.workloadId),
    }),
    defineRoute({
      operation: 'launchTestInstance',
      method: 'POST',
      path: `${WORKLOAD}/test-launches`,
      params: workloadParams,
      successStatus: 201,
      run: ({ params }) => cutover.launchTestInstance(params.tenantId, params.workloadId),
    }),
    defineRoute({
      operation: 'smokeTestLaunch',
      method: 'POST',
      path: '/v1/test-launches/:id/smoke-tests',
      params: ['id'],
      run: ({ params }) => cutover.smokeTestLaunch(params.id),
    }),
    // Before the generic DELETE of every resource type, so that a teardown is its own operation for faults and logs.
    defineRoute({
      operation: 'tearDownTestLaunch',
      method: 'DELETE',
      path: '/v1/test-launches/:id',
      params: ['id'],
      successStatus: 204,
      run: ({ params }) => cutover.tearDownTestLaunch(params.id),
    }),
    ...RESOURCE_TYPES.filter((type) => type !== 'replication').map((type) =>
      defineRoute({
        operation: 'getResource',
        method: 'GET',
        path: `/v1/${RESOURCE_KINDS[type].collection}/:id`,
        params: ['id'],
        run: ({ params }) => catalog.getResource(type, params.id),
      }),
    ),
    ...RESOURCE_TYPES.map((type) =>
      defineRoute({
        operation: 'deleteResource',
        method: 'DELETE',
        path: `/v1/${RESOURCE_KINDS[type].collection}/:id`,
        params: ['id'],
        successStatus: 204,
        run: ({ params }) => catalog.deleteResource(type, params.id),
      }),
    ),
  ];
}
