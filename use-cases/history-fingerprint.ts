/**
 * The fingerprint that ties a homologation file to the run it describes: SHA-256 over
 * `passerelle-history-v1\n`, the workflow id and `\n`, the run id and `\n`, then the canonical
 * JSON (object keys sorted, no spaces) of that run's history events in the protobuf JSON
 * mapping of `temporal.api.history.v1.HistoryEvent` (64-bit integers and enums as strings,
 * bytes in base64, default values left out), payloads as Temporal keeps them (still encrypted
 * by the codec). Canonical JSON rather than the protobuf bytes: the server encodes map fields
 * (payload metadata) in a different order at each read, so the bytes are not stable.
 */
import { createHash } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { canonicalJson } from './start-migration-run';

/** What the file prints about the history it was made from. */
export interface HistoryFingerprint {
  workflowId: string;
  runId: string;
  eventCount: number;
  sha256: string;
}

/** The fingerprint's version tag, first in what is hashed, so that a later scheme cannot be mistaken for it. */
export const HISTORY_FINGERPRINT_SCHEME = 'passerelle-history-v1';

/** The canonical JSON of a history's events, as the fingerprint hashes it. */
export function canonicalHistoryEvents(history: temporal.api.history.v1.IHistory): string {
  const events = (history.events ?? []).map((event) =>
    temporal.api.history.v1.HistoryEvent.toObject(temporal.api.history.v1.HistoryEvent.fromObject(event), {
      longs: String,
      enums: String,
      bytes: String,
      defaults: false,
    }),
  );
  return canonicalJson(events);
}

/** The fingerprint of a history already fetched. */
export function fingerprintHistory(workflowId: string, runId: string, history: temporal.api.history.v1.IHistory): HistoryFingerprint {
  const sha256 = createHash('sha256')
    .update(`${HISTORY_FINGERPRINT_SCHEME}\n${workflowId}\n${runId}\n`)
    .update(canonicalHistoryEvents(history))
    .digest('hex');
  return { workflowId, runId, eventCount: history.events?.length ?? 0, sha256 };
}

/** Fetches the whole history of the run `handle` names (its `runId` must be set) and fingerprints it. */
export async function fetchHistoryFingerprint(handle: WorkflowHandle, runId: string): Promise<HistoryFingerprint> {
  return fingerprintHistory(handle.workflowId, runId, await handle.fetchHistory());
}
