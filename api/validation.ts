/**
 * How the API reads requests: path parameters, the list's query string, the idempotency header
 * and JSON bodies, each refused with a 400 (or 413, 415) problem that names the field. The zod
 * schemas are the single source of truth: routes parse with them and pass the parsed, defaulted
 * value on; the OpenAPI document reads the same schemas.
 */
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { GRAPH_GROUPINGS, LANGUAGES, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, PHASES, type Plan, type RunCollection, RUN_STATUSES, STEP_STATES, WORKLOAD_OUTCOMES } from '../domain';
import { checkCutoverWindows } from '../domain/cutover-windows';
import { checkRehearsals } from '../domain/rehearsals';
import { classifyPlan } from '../domain/classification';
import { formatIssuePath, SLUG_PATTERN, validatePlan } from '../domain/plan';
import type { MigrationListRequest } from '../use-cases/migration-list';
import type { RunPageAsk } from '../use-cases/run-pages';
import { IdSchema } from '../use-cases/requests';
import { type ApiProblem, type FieldError, problems } from './problem';

/** Largest plan body accepted (start, validate, amend): a plan of 10 000 workloads fits with room to spare. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Client-chosen idempotency keys of `POST /v1/migrations` (header `Idempotency-Key`). Like plan
 * ids they name runs (`migration-<key>`), so they lack ".", ":" and "/", the separators of
 * derived workflow ids.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** The header that makes a start without `planId` idempotent. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Path parameters of every `/v1/migrations/{id}…` route. */
export const MigrationParamsSchema = z.strictObject({ id: IdSchema });
/** Path parameters of `/v1/migrations/{id}/approvals/{approvalId}`. */
export const ApprovalParamsSchema = z.strictObject({ id: IdSchema, approvalId: IdSchema });
/** Path parameters of `/v1/migrations/{id}/rehearsals/{waveId}`. */
export const RehearsalParamsSchema = z.strictObject({ id: IdSchema, waveId: z.string().regex(/^wave-[1-9]\d{0,3}$/, { error: 'must be a wave id such as wave-2' }) });
/** Path parameters of `/v1/migrations/{id}/derogations/{zoneId}/…`. */
export const DerogationParamsSchema = z.strictObject({ id: IdSchema, zoneId: IdSchema });
/** Path parameters of `/v1/migrations/{id}/risks/{riskId}/…`. */
export const RiskParamsSchema = z.strictObject({ id: IdSchema, riskId: IdSchema });
/** Path parameters of `/v1/migrations/{id}/steps/{stepId}/…`. */
export const StepParamsSchema = z.strictObject({ id: IdSchema, stepId: IdSchema });

/** `GET /v1/migrations/{id}/dossier?lang=`: the homologation file's language, French unless asked. */
export const DossierQuerySchema = z.strictObject({
  lang: z.enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(', ')}` }).default('fr'),
});

/** Query string of `GET /v1/migrations/{id}/graph`: the grouping (waves by default) and a group to expand. */
export const GraphQuerySchema = z.strictObject({
  groupBy: z.enum(GRAPH_GROUPINGS, { error: `must be one of ${GRAPH_GROUPINGS.join(', ')}` }).default('wave'),
  expand: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, { error: 'must be the id of a group of the graph (wave-2, waves-1-4, secnumcloud-hds, not-eligible…)' })
    .optional(),
});

/** Query string of `GET /v1/migrations`: filters on the run's search attributes and a cursor. */
/** The query fields of every list: the customer it is narrowed to, and its page (size and cursor). */
export const PAGE_QUERY_FIELDS = {
  customer: z.string().regex(SLUG_PATTERN, { error: 'must be a customer id (a URL-safe slug)' }).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, { error: 'must be a whole number from 1 to 100' })
    .transform(Number)
    .pipe(z.number().min(1, { error: 'must be at least 1' }).max(100, { error: 'must be at most 100' }))
    .default(20),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,4096}$/, { error: 'must be the nextCursor of a previous page' })
    .optional(),
};

export const ListMigrationsQuerySchema = z.strictObject({
  customer: PAGE_QUERY_FIELDS.customer,
  status: z.enum(RUN_STATUSES, { error: `must be one of ${RUN_STATUSES.join(', ')}` }).optional(),
  phase: z.enum(PHASES, { error: `must be one of ${PHASES.join(', ')}` }).optional(),
  needsAttention: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((flag) => flag === 'true')
    .optional(),
  limit: PAGE_QUERY_FIELDS.limit,
  cursor: PAGE_QUERY_FIELDS.cursor,
});
/** Parsed query of `GET /v1/migrations`: the list use case's request. */
export type ListMigrationsQuery = z.infer<typeof ListMigrationsQuerySchema>;
// Compile-time guard: what the query parses to is what the use case takes.
const listQueryFitsUseCase: ListMigrationsQuery extends MigrationListRequest ? true : false = true;
void listQueryFitsUseCase;

/** What `state` filters in each collection: a step's (or wave's) state, a workload's outcome, the state a timeline entry recorded. */
const PAGE_STATES: Record<RunCollection, readonly string[]> = {
  steps: STEP_STATES,
  waves: STEP_STATES,
  timeline: STEP_STATES,
  workloads: WORKLOAD_OUTCOMES,
  audit: [],
};

const filterId = (what: string) => IdSchema.meta({ description: `Only the items of this ${what}` }).optional();

/**
 * Query string of `GET /v1/migrations/{id}/{collection}`: a page size, the cursor of the
 * previous page and filters (those a collection has no use for are refused, not ignored).
 */
export function runPageQuerySchema(collection: RunCollection) {
  const states = PAGE_STATES[collection];
  const notAFilter = z.never({ error: `is not a filter of ${collection}` }).optional();
  const stateFilter = z
    .string()
    .refine((state) => states.includes(state), { error: `must be one of ${states.join(', ')}` })
    .optional();
  return z.strictObject({
    limit: z
      .string()
      .regex(/^\d{1,3}$/, { error: `must be a whole number from 1 to ${PAGE_LIMIT_MAX}` })
      .transform(Number)
      .pipe(z.number().min(1, { error: 'must be at least 1' }).max(PAGE_LIMIT_MAX, { error: `must be at most ${PAGE_LIMIT_MAX}` }))
      .default(PAGE_LIMIT_DEFAULT),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be the nextCursor of a previous page' })
      .optional(),
    state: states.length > 0 ? stateFilter : notAFilter,
    phase: collection === 'steps' || collection === 'timeline' ? z.enum(PHASES, { error: `must be one of ${PHASES.join(', ')}` }).optional() : notAFilter,
    wave: filterId('wave'),
    workload: filterId('workload'),
    zone: collection === 'timeline' || collection === 'audit' ? notAFilter : filterId('landing zone (or m365-tenant)'),
  });
}
// Compile-time guard: what a page query parses to is what the use case takes.
const pageQueryFitsUseCase: z.output<ReturnType<typeof runPageQuerySchema>> extends RunPageAsk ? true : false = true;
void pageQueryFitsUseCase;

/** `Idempotency-Key` header value. */
export const IdempotencyKeySchema = z.string().regex(IDEMPOTENCY_KEY_PATTERN, {
  error: 'must be 1 to 128 characters: letters, digits, "_" or "-"',
});

/** What `POST /v1/migrations` answers, declared with the run's views in domain/. */
export { StartMigrationResponseSchema, type StartMigrationResponse } from '../domain/run-views';

/** Turns zod issues into the API's field errors, one per unknown key. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatIssuePath([...issue.path, key]), message: `unknown field ${JSON.stringify(key)}` }))
      : [{ path: formatIssuePath(issue.path), message: issue.message }],
  );
}

function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw problems.badRequest(`The ${what} is not valid.`, toFieldErrors(parsed.error));
  return parsed.data;
}

/** Parses a JSON body that the route requires; an absent body is a 400 like any other. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === undefined) throw problems.badRequest('The request needs a JSON body.', [{ path: '', message: 'is required' }]);
  return parseWith(schema, body, 'request body');
}

/** Parses a JSON body that the route allows to be absent (then it reads as `{}`). */
export function parseOptionalBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  return parseWith(schema, body ?? {}, 'request body');
}

/** Parses path parameters. */
export function parseParams<T extends z.ZodType>(schema: T, params: unknown): z.infer<T> {
  return parseWith(schema, { ...(params as object) }, 'path');
}

/** Parses the query string strictly: unknown or repeated parameters are errors. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  return parseWith(schema, { ...(query as object) }, 'query string');
}

/** Parses the `Idempotency-Key` header when present. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(header);
  if (!parsed.success) {
    throw problems.badRequest(`The ${IDEMPOTENCY_KEY_HEADER} header is not valid.`, [
      { path: IDEMPOTENCY_KEY_HEADER, message: parsed.error.issues[0]?.message ?? 'is not valid' },
    ]);
  }
  return parsed.data;
}

/** Validates a plan with the domain's rules; a 400 names every offending field. */
export function parsePlan(body: unknown): Plan {
  if (body === undefined) throw problems.badRequest('The request needs a plan as its JSON body.', [{ path: '', message: 'is required' }]);
  const result = validatePlan(body);
  if (!result.ok) {
    const shown = result.errorCount > result.errors.length ? ` (${result.errorCount} errors; the first ${result.errors.length} are listed)` : '';
    throw problems.badRequest(`The plan is not valid${shown}.`, result.errors, result.errorCount);
  }
  // A cutover window must name the plan's own waves and hold each wave's switchover.
  if (result.plan.cutoverWindow) {
    const issues = checkCutoverWindows(result.plan, classifyPlan(result.plan), Date.now());
    if (issues.length > 0) throw problems.badRequest('The plan’s cutover window cannot hold its waves.', issues, issues.length);
  }
  // The waves that rehearse must be waves of the plan.
  if (result.plan.settings.rehearsalWaves) {
    const issues = checkRehearsals(result.plan, classifyPlan(result.plan));
    if (issues.length > 0) throw problems.badRequest('The plan names waves to rehearse that it does not have.', issues, issues.length);
  }
  return result.plan;
}

const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/** Deepest nesting a body may have: a plan is four levels deep, so anything near this is an attack on the validators. */
export const MAX_JSON_DEPTH = 32;

/**
 * What one route accepts as a body: its size in bytes and its number of JSON values (members
 * and items). Both bound the work a request can cause before its own checks.
 */
export interface BodyLimits {
  maxBytes: number;
  maxElements: number;
}

/** Decisions, operator actions, dev sign-in: a few fields and a comment. */
export const SMALL_BODY_LIMITS: BodyLimits = { maxBytes: 16 * 1024, maxElements: 1_000 };

/** Plans: {@link MAX_BODY_BYTES}, and fifty values per workload of the largest plan. */
export const PLAN_BODY_LIMITS: BodyLimits = { maxBytes: MAX_BODY_BYTES, maxElements: 500_000 };

/** Object keys no schema of the API accepts and that some JavaScript code would take for the prototype. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

// With the `u` flag a paired surrogate is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Work done between two turns of the event loop, so that one large body never holds it for long. */
const SLICE_BYTES = 256 * 1024;
const SLICE_NODES = 20_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface ScanNode {
  value: unknown;
  key: PropertyKey | undefined;
  parent: ScanNode | undefined;
  depth: number;
}

function pathOf(node: ScanNode | undefined, extra?: PropertyKey): string {
  const segments: PropertyKey[] = extra === undefined ? [] : [extra];
  for (let current = node; current?.parent !== undefined; current = current.parent) segments.unshift(current.key as PropertyKey);
  return formatIssuePath(segments);
}

/** The walk behind {@link findHostileJson}: yields every {@link SLICE_NODES} values, returns what it found. */
function* scanHostileJson(body: unknown): Generator<void, FieldError | undefined> {
  const pending: ScanNode[] = [{ value: body, key: undefined, parent: undefined, depth: 0 }];
  let visited = 0;
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    visited += 1;
    if (visited % SLICE_NODES === 0) yield;
    const { value } = node;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return { path: pathOf(node), message: 'is not well-formed Unicode (lone surrogate)' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (node.depth >= MAX_JSON_DEPTH) return { path: pathOf(node), message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1) {
        const child: unknown = value[index];
        // Numbers, booleans and null need no look: most of a large array is skipped here.
        if (child !== null && (typeof child === 'object' || typeof child === 'string')) pending.push({ value: child, key: index, parent: node, depth: node.depth + 1 });
      }
      continue;
    }
    for (const key of Object.keys(value)) {
      if (PROTOTYPE_KEYS.has(key) || LONE_SURROGATE.test(key)) return { path: pathOf(node, key), message: 'is not an accepted field name' };
      pending.push({ value: (value as Record<string, unknown>)[key], key, parent: node, depth: node.depth + 1 });
    }
  }
  return undefined;
}

/**
 * What makes a parsed JSON body unacceptable whatever the route: nesting deeper than
 * {@link MAX_JSON_DEPTH}, a lone surrogate (not Unicode, and not storable as UTF-8), or a
 * prototype key. Iterative, so that no input can exhaust the stack.
 */
export function findHostileJson(body: unknown): FieldError | undefined {
  const scan = scanHostileJson(body);
  for (;;) {
    const step = scan.next();
    if (step.done) return step.value;
  }
}

/** {@link findHostileJson}, a slice at a time between turns of the event loop. */
async function findHostileJsonIncrementally(body: unknown): Promise<FieldError | undefined> {
  const scan = scanHostileJson(body);
  for (;;) {
    const step = scan.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
  }
}

function hasBody(req: express.Request): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

function declaredCharset(req: express.Request): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/** One open container while scanning: its kind, its current item or member, and where its last string was. */
interface OpenContainer {
  array: boolean;
  index: number;
  keyStart: number;
  keyEnd: number;
  lastStringStart: number;
  lastStringEnd: number;
}

function containerPath(buffer: Buffer, open: readonly OpenContainer[]): string {
  const segments = open.map((container): PropertyKey => {
    if (container.array) return container.index;
    try {
      return String(JSON.parse(buffer.toString('utf8', container.keyStart, container.keyEnd)));
    } catch {
      return '?';
    }
  });
  return formatIssuePath(segments);
}

/** Why {@link readJsonText} refused a body. */
type TextRefusal = { problem: ApiProblem };

/**
 * Decodes a body as strict UTF-8 and checks its shape before any parse, a slice at a time:
 * nesting no deeper than {@link MAX_JSON_DEPTH} and at most `maxElements` values. JSON's
 * structural characters are ASCII and never occur inside a multi-byte UTF-8 sequence, so a
 * byte scan that skips strings sees them all.
 */
/** A body's text, and whether it may hold what only a walk of the parsed value can find (a \\u escape, a prototype key). */
interface CheckedText {
  text: string;
  needsValueScan: boolean;
}

const U = 0x75;

async function readJsonText(buffer: Buffer, maxElements: number): Promise<CheckedText | TextRefusal> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parts: string[] = [];
  const open: OpenContainer[] = [];
  let inString = false;
  let escaped = false;
  let stringStart = 0;
  let elements = 0;
  let unicodeEscapes = false;
  for (let sliceStart = 0; sliceStart < buffer.length; sliceStart += SLICE_BYTES) {
    if (sliceStart > 0) await yieldToEventLoop();
    const sliceEnd = Math.min(buffer.length, sliceStart + SLICE_BYTES);
    try {
      parts.push(decoder.decode(buffer.subarray(sliceStart, sliceEnd), { stream: true }));
    } catch {
      return { problem: problems.badRequest('The request body is not valid UTF-8.') };
    }
    for (let at = sliceStart; at < sliceEnd; at += 1) {
      const byte = buffer[at];
      if (inString) {
        if (escaped) {
          escaped = false;
          if (byte === U) unicodeEscapes = true;
        } else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) {
          inString = false;
          const top = open.at(-1);
          if (top) {
            top.lastStringStart = stringStart;
            top.lastStringEnd = at + 1;
          }
        }
        continue;
      }
      if (byte === QUOTE) {
        inString = true;
        stringStart = at;
      } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
        elements += 1;
        if (open.length >= MAX_JSON_DEPTH) {
          const path = containerPath(buffer, open);
          return { problem: problems.badRequest('The request body is not acceptable JSON.', [{ path, message: `nests deeper than ${MAX_JSON_DEPTH} levels` }]) };
        }
        open.push({ array: byte === OPEN_ARRAY, index: 0, keyStart: 0, keyEnd: 0, lastStringStart: 0, lastStringEnd: 0 });
      } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
        open.pop();
      } else if (byte === COMMA) {
        elements += 1;
        const top = open.at(-1);
        if (top) top.index += 1;
      } else if (byte === COLON) {
        const top = open.at(-1);
        if (top) {
          top.keyStart = top.lastStringStart;
          top.keyEnd = top.lastStringEnd;
        }
      }
      if (elements > maxElements) {
        return { problem: problems.contentTooLarge(`The request body holds more than ${maxElements} JSON values, more than this route accepts.`) };
      }
    }
  }
  try {
    parts.push(decoder.decode());
  } catch {
    return { problem: problems.badRequest('The request body is not valid UTF-8.') };
  }
  // Strict UTF-8 text holds no lone surrogate and the scan above bounded the depth: only a \u escape
  // or a prototype key's name leaves something for the walk of the parsed value to find.
  const needsValueScan = unicodeEscapes || [...PROTOTYPE_KEYS].some((key) => buffer.includes(key));
  return { text: parts.join(''), needsValueScan };
}

/**
 * Parses a JSON body within the route's {@link BodyLimits} (small ones by default). It runs
 * after the route has authenticated and authorised the caller, so that nobody reads a body
 * for a caller who may not send it. A body of another media type, charset or content encoding
 * answers 415; one over `maxBytes` 413 without being read (when its length is declared) or as
 * soon as it passes the limit; one with more than `maxElements` values 413 before it is parsed;
 * invalid UTF-8, invalid JSON or hostile JSON ({@link findHostileJson}) 400. Decoding, the
 * shape check and the hostile-input scan run a slice at a time, so that other requests are
 * answered meanwhile. A request without a body leaves `req.body` undefined for the route's
 * schema to judge.
 */
export function jsonBody(limits: BodyLimits = SMALL_BODY_LIMITS): RequestHandler {
  const readRaw = express.raw({ limit: limits.maxBytes, type: () => true, inflate: false });
  return (req, res, next) => {
    if (hasBody(req) && !req.is(JSON_MEDIA_TYPES)) {
      next(problems.unsupportedMediaType('Send the request body as application/json.'));
      return;
    }
    const charset = declaredCharset(req);
    if (hasBody(req) && charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      next(problems.unsupportedMediaType('Send JSON in UTF-8 (RFC 8259).'));
      return;
    }
    if (!hasBody(req)) {
      req.body = undefined;
      next();
      return;
    }
    readRaw(req, res, (error?: unknown) => {
      if (error !== undefined) {
        next(error);
        return;
      }
      const raw: unknown = req.body;
      req.body = undefined;
      if (!Buffer.isBuffer(raw) || raw.length === 0) {
        next();
        return;
      }
      void parseJsonBody(raw, limits).then((parsed) => {
        if ('problem' in parsed) {
          next(parsed.problem);
          return;
        }
        req.body = parsed.value;
        next();
      }, next);
    });
  };
}

async function parseJsonBody(raw: Buffer, limits: BodyLimits): Promise<{ value: unknown } | TextRefusal> {
  const checked = await readJsonText(raw, limits.maxElements);
  if ('problem' in checked) return checked;
  let value: unknown;
  try {
    value = JSON.parse(checked.text);
  } catch {
    return { problem: problems.badRequest('The request body is not valid JSON.') };
  }
  // One walk of the body fewer in the common case: what the byte scan cannot rule out is looked for in the value.
  const hostile = checked.needsValueScan ? await findHostileJsonIncrementally(value) : undefined;
  return hostile ? { problem: problems.badRequest('The request body is not acceptable JSON.', [hostile]) } : { value };
}
