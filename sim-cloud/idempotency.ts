import { createHash } from 'node:crypto';
import type { Clock } from './clock';
import type { SimCloudDatabase } from './database';
import { problems } from './problems';

/** An answer as sim-cloud sends it: a status and a JSON body (none for 204). */
export interface Answer {
  status: number;
  body: unknown;
}

/** A mutating call, identified by its key and by a hash of what it asked. */
export interface KeyedCall {
  key: string;
  operation: string;
  requestHash: string;
}

interface KeyRow {
  operation: string;
  request_hash: string;
  status: number;
  response: string | null;
}

const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** The Idempotency-Key header if it is usable (1 to 255 printable ASCII characters), else undefined. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  const key = header?.trim();
  return key && IDEMPOTENCY_KEY_PATTERN.test(key) ? key : undefined;
}

/** A stable hash of an operation and its parsed input, whatever the order of the body's fields. */
export function hashRequest(operation: string, input: unknown): string {
  return createHash('sha256').update(canonicalJson({ operation, input })).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Remembers the answer to each Idempotency-Key so that a repeated call gets the first answer. */
export type IdempotencyLedger = ReturnType<typeof createIdempotencyLedger>;

/** An idempotency ledger over the `idempotency_keys` table. */
export function createIdempotencyLedger(db: SimCloudDatabase, clock: Clock) {
  const findKey = db.prepare<[string], KeyRow>(`SELECT operation, request_hash, status, response FROM idempotency_keys WHERE key = ?`);
  const recordKey = db.prepare(
    `INSERT INTO idempotency_keys (key, operation, request_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );

  const runOnceInTransaction = db.transaction((call: KeyedCall, execute: () => Answer): Answer & { replayed: boolean } => {
    const previous = findKey.get(call.key);
    if (previous) {
      if (previous.request_hash !== call.requestHash) throw problems.idempotencyKeyReused(call.key, previous.operation);
      const body: unknown = previous.response === null ? undefined : JSON.parse(previous.response);
      return { status: previous.status, body, replayed: true };
    }
    const answer = execute();
    const response = answer.body === undefined ? null : JSON.stringify(answer.body);
    recordKey.run(call.key, call.operation, call.requestHash, answer.status, response, new Date(clock.now()).toISOString());
    return { ...answer, replayed: false };
  });

  return {
    /**
     * Runs `execute` and records its answer in the same transaction, or replays the answer
     * recorded for this key. A call that fails records nothing and changes nothing, so it may
     * be repeated with the same key; a key reused for another request is refused with 422.
     */
    runOnce(call: KeyedCall, execute: () => Answer): Answer & { replayed: boolean } {
      return runOnceInTransaction(call, execute);
    },
  };
}
