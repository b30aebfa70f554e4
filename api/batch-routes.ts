/**
 * The routes of fleet operations (domain/batches.ts), entries of the one route table
 * (api/routes.ts): start a batch or preview it (dry run), read one, list them. Ops only.
 */
import { z } from 'zod';
import { type Action, BATCH_ID_PATTERN, BatchDryRunSchema, BatchListResponseSchema, BatchRequestSchema, BatchViewSchema, StartBatchResponseSchema } from '../domain';
import { refusals } from '../use-cases/application-error';
import type { BatchUseCases } from '../use-cases/batches';
import { type AnyRoute, defineRoute, type ProblemStatus } from './route-table';
import type { ApiServices } from './routes';
import { PAGE_QUERY_FIELDS, SMALL_BODY_LIMITS } from './validation';

/** Request bodies of the batch routes, by component name (api/routes.ts adds them to the document). */
export const BATCH_REQUEST_COMPONENTS = { BatchRequest: BatchRequestSchema } as const;

/** Answers of the batch routes, by component name (api/routes.ts adds them to the document). */
export const BATCH_RESPONSE_COMPONENTS = {
  BatchView: BatchViewSchema,
  BatchDryRun: BatchDryRunSchema,
  StartBatchResponse: StartBatchResponseSchema,
  BatchListResponse: BatchListResponseSchema,
} as const;

const AUTHENTICATED: ProblemStatus[] = [401, 403, 429, 503];
const bearer = (action: Action) => ({ action, authentication: 'bearer' }) as const;
const ref = (component: keyof typeof BATCH_RESPONSE_COMPONENTS) => ({ $ref: `#/components/schemas/${component}` });

const BatchParamsSchema = z.strictObject({ id: z.string().regex(BATCH_ID_PATTERN, { error: 'must be a batch id (batch:<uuid>)' }) });
const ListBatchesQuerySchema = z.strictObject({ limit: PAGE_QUERY_FIELDS.limit, cursor: PAGE_QUERY_FIELDS.cursor });

/** The batch use cases, or 503 when this app was built without them. */
function batchesOf(services: ApiServices): BatchUseCases {
  if (services.batches === undefined) throw refusals.unavailable('Fleet operations are not served by this API.');
  return services.batches;
}

/** `/v1/batches`: start (or preview), read, list. */
export const BATCH_ROUTES: readonly AnyRoute<ApiServices>[] = [
  defineRoute<ApiServices, Record<string, never>, Record<string, never>, z.output<typeof BatchRequestSchema>>({
    method: 'post',
    path: '/v1/batches',
    operationId: 'startBatch',
    tag: 'operations',
    summary: 'Act on every open run a selection matches (retry failed steps, pause, resume, extend deadlines); with dryRun, list those runs and touch none',
    access: bearer('batch.start'),
    body: { component: 'BatchRequest', schema: BatchRequestSchema, required: true, limits: SMALL_BODY_LIMITS },
    ok: {
      status: 202,
      description: 'The batch, started on the runs the selection matched (Location follows it); a dry run answers 202 with the runs it would touch and starts nothing.',
      content: { 'application/json': { schema: { oneOf: [ref('StartBatchResponse'), ref('BatchDryRun')] } } },
      headers: { Location: { description: 'The batch’s status URL (absent on a dry run)', schema: { type: 'string' } } },
    },
    errors: [400, 413, 415, 422, ...AUTHENTICATED],
    async handle({ identity, body, services }) {
      const answer = await batchesOf(services).startBatch(identity, body);
      if ('dryRun' in answer) return { body: answer };
      services.metrics.recordDecision('batch');
      return { body: answer, headers: { Location: answer.statusUrl } };
    },
  }),
  defineRoute<ApiServices, Record<string, never>, z.output<typeof ListBatchesQuerySchema>>({
    method: 'get',
    path: '/v1/batches',
    operationId: 'listBatches',
    tag: 'operations',
    summary: 'List batches, newest first',
    access: bearer('batch.read'),
    query: ListBatchesQuerySchema,
    ok: { status: 200, description: 'One page; nextCursor is null on the last one.', content: { 'application/json': { schema: ref('BatchListResponse') } } },
    errors: [400, ...AUTHENTICATED],
    handle: async ({ identity, query, services }) => ({ body: await batchesOf(services).listBatches(identity, query) }),
  }),
  defineRoute<ApiServices, z.output<typeof BatchParamsSchema>>({
    method: 'get',
    path: '/v1/batches/{id}',
    operationId: 'readBatch',
    tag: 'operations',
    summary: 'A batch: who asked and why, its progress and every run’s outcome',
    access: bearer('batch.read'),
    params: BatchParamsSchema,
    ok: { status: 200, description: 'The batch.', content: { 'application/json': { schema: ref('BatchView') } } },
    errors: [400, 404, ...AUTHENTICATED],
    handle: async ({ identity, params, services }) => ({ body: await batchesOf(services).readBatch(identity, params.id) }),
  }),
];
