import {
  ProviderNotFoundError,
  ProviderRejectedError,
  ProviderUnavailableError,
  type ProblemDetails,
} from '../../provider/errors';
import type {
  CloudProvider,
  DnsRecord,
  FinalSync,
  Idempotent,
  M365Tenant,
  M365TenantRelease,
  ProviderCallOptions,
  ProviderCredentials,
  Replication,
  ResourceByType,
  ResourceType,
  SmokeTest,
  TestLaunch,
  Validation,
  WorkloadRef,
  WorkloadSource,
  WorkloadStatus,
} from '../../provider/types';

/** How to reach a provider that speaks sim-cloud's HTTP API. */
export interface HttpCloudProviderOptions {
  /** For example `http://127.0.0.1:4010`. */
  baseUrl: string;
  /** How long one call may take before it fails as unavailable; 10 s unless set. */
  timeoutMs?: number;
  /** The fetch to use; global fetch unless set (tests pass their own). */
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** The collection path of each resource type, as in `/v1/{collection}/{id}`. */
const COLLECTION_OF_TYPE: Record<ResourceType, string> = {
  'm365-tenant': 'm365-tenants',
  replication: 'replications',
  'final-sync': 'final-syncs',
  validation: 'validations',
  'smoke-test': 'smoke-tests',
  'dns-record': 'dns-records',
  'test-launch': 'test-launches',
};

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface ProviderCall {
  operation: string;
  method: HttpMethod;
  path: string;
  idempotencyKey?: string;
  body?: unknown;
}

/**
 * A {@link CloudProvider} over sim-cloud's HTTP API. Every mutating call sends its
 * `Idempotency-Key`; every call honours the caller's AbortSignal and a time-out, and fails
 * with the named errors of `./errors`.
 */
export function createHttpCloudProvider(options: HttpCloudProviderOptions): CloudProvider {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function send<T>(call: ProviderCall, callOptions: ProviderCallOptions | undefined): Promise<T> {
    const callerSignal = callOptions?.signal;
    callerSignal?.throwIfAborted();
    const timeoutSignal = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeoutSignal]) : timeoutSignal;

    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
    if (call.body !== undefined) headers['content-type'] = 'application/json';

    let status: number;
    let text: string;
    try {
      const response = await fetchImpl(`${baseUrl}${call.path}`, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      // A cancelled activity must see its own cancellation, not a provider failure to retry.
      if (callerSignal?.aborted) throw callerSignal.reason;
      const reason = timeoutSignal.aborted ? `no answer within ${timeoutMs} ms` : describeNetworkError(error);
      throw new ProviderUnavailableError(`${call.operation} failed: ${reason}`, { operation: call.operation, cause: error });
    }

    if (status >= 200 && status < 300) return parseSuccess<T>(call.operation, status, text);
    throw errorFromAnswer(call.operation, status, text);
  }

  const workloadPath = ({ tenantId, workloadId }: WorkloadRef): string =>
    `/v1/tenants/${segment(tenantId)}/workloads/${segment(workloadId)}`;

  const workloadStep = <T>(operation: string, step: string) =>
    ({ idempotencyKey, tenantId, workloadId }: Idempotent & WorkloadRef, callOptions?: ProviderCallOptions): Promise<T> =>
      send<T>({ operation, method: 'POST', path: `${workloadPath({ tenantId, workloadId })}/${step}`, idempotencyKey }, callOptions);

  return {
    getQualifications: (callOptions) =>
      send<ProviderCredentials>({ operation: 'getQualifications', method: 'GET', path: '/v1/provider/credentials' }, callOptions),

    createM365Tenant: ({ idempotencyKey, tenantId, ...body }, callOptions) =>
      send<M365Tenant>(
        { operation: 'createM365Tenant', method: 'POST', path: `/v1/tenants/${segment(tenantId)}/m365-tenants`, idempotencyKey, body },
        callOptions,
      ),

    releaseM365Tenant: ({ idempotencyKey, id, usedBy }, callOptions) =>
      send<M365TenantRelease>(
        { operation: 'releaseM365Tenant', method: 'POST', path: `/v1/m365-tenants/${segment(id)}/release`, idempotencyKey, body: { usedBy } },
        callOptions,
      ),

    startReplication: ({ idempotencyKey, tenantId, workloadId, ...body }, callOptions) =>
      send<Replication>(
        {
          operation: 'startReplication',
          method: 'POST',
          path: `${workloadPath({ tenantId, workloadId })}/replications`,
          idempotencyKey,
          body,
        },
        callOptions,
      ),

    getReplication: ({ replicationId }, callOptions) =>
      send<Replication>({ operation: 'getReplication', method: 'GET', path: `/v1/replications/${segment(replicationId)}` }, callOptions),

    getWorkload: (workload, callOptions) =>
      send<WorkloadStatus>({ operation: 'getWorkload', method: 'GET', path: workloadPath(workload) }, callOptions),

    freezeSource: workloadStep<WorkloadSource>('freezeSource', 'freeze'),
    unfreezeSource: workloadStep<WorkloadSource>('unfreezeSource', 'unfreeze'),
    finalSync: workloadStep<FinalSync>('finalSync', 'final-syncs'),
    validateWorkload: workloadStep<Validation>('validateWorkload', 'validations'),
    smokeTest: workloadStep<SmokeTest>('smokeTest', 'smoke-tests'),

    switchTraffic: ({ idempotencyKey, tenantId, workloadId, target }, callOptions) =>
      send<DnsRecord>(
        {
          operation: 'switchTraffic',
          method: 'PUT',
          path: `${workloadPath({ tenantId, workloadId })}/dns-record`,
          idempotencyKey,
          body: { target },
        },
        callOptions,
      ),

    launchTestInstance: workloadStep<TestLaunch>('launchTestInstance', 'test-launches'),

    smokeTestLaunch: ({ idempotencyKey, launchId }, callOptions) =>
      send<TestLaunch>(
        { operation: 'smokeTestLaunch', method: 'POST', path: `/v1/test-launches/${segment(launchId)}/smoke-tests`, idempotencyKey },
        callOptions,
      ),

    tearDownTestLaunch: ({ idempotencyKey, launchId }, callOptions) =>
      send<void>({ operation: 'tearDownTestLaunch', method: 'DELETE', path: `/v1/test-launches/${segment(launchId)}`, idempotencyKey }, callOptions),

    getResource: <T extends ResourceType>({ type, id }: { type: T; id: string }, callOptions?: ProviderCallOptions) =>
      send<ResourceByType[T]>(
        {
          operation: type === 'replication' ? 'getReplication' : 'getResource',
          method: 'GET',
          path: `/v1/${COLLECTION_OF_TYPE[type]}/${segment(id)}`,
        },
        callOptions,
      ),

    deleteResource: ({ idempotencyKey, type, id }, callOptions) =>
      send<void>(
        { operation: 'deleteResource', method: 'DELETE', path: `/v1/${COLLECTION_OF_TYPE[type]}/${segment(id)}`, idempotencyKey },
        callOptions,
      ),
  };
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

function parseSuccess<T>(operation: string, status: number, text: string): T {
  if (status === 204 || text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    // A garbled answer is most likely a proxy or a half-closed connection: worth another try.
    throw new ProviderUnavailableError(`${operation} answered ${status} with a body that is not JSON`, {
      operation,
      status,
      cause: error,
    });
  }
}

function errorFromAnswer(operation: string, status: number, text: string): Error {
  const problem = parseProblem(status, text);
  const message = `${operation} answered ${status}: ${problem.detail ?? problem.title ?? 'no detail'}`;
  if (status >= 500 || status === 408 || status === 429) {
    return new ProviderUnavailableError(message, { operation, status, problem });
  }
  if (status === 404) return new ProviderNotFoundError(message, { operation, problem });
  return new ProviderRejectedError(message, { operation, status, problem });
}

function parseProblem(status: number, text: string): ProblemDetails {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as ProblemDetails;
  } catch {
    // Not problem+json (a proxy's page, say): keep the raw text as the detail.
  }
  return { status, title: `HTTP ${status}`, detail: text.slice(0, 500) || undefined };
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
