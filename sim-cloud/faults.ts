import { setTimeout as delay } from 'node:timers/promises';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Clock } from './clock';
import type { SimCloudDatabase } from './database';
import { SimCloudProblem, sendProblem } from './problems';
import type { ArmFaultInput } from './schemas';

/** A fault armed on an operation, with how many more calls it will break. */
export interface ArmedFault {
  id: number;
  operation: string;
  mode: 'error' | 'latency' | 'hang';
  times: number;
  remaining: number;
  latencyMs: number | null;
  status: number | null;
  createdAt: string;
}

interface FaultRow {
  id: number;
  operation: string;
  mode: ArmedFault['mode'];
  times: number;
  remaining: number;
  latency_ms: number | null;
  status: number | null;
  created_at: string;
}

const toFault = (row: FaultRow): ArmedFault => ({
  id: row.id,
  operation: row.operation,
  mode: row.mode,
  times: row.times,
  remaining: row.remaining,
  latencyMs: row.latency_ms,
  status: row.status,
  createdAt: row.created_at,
});

/** How an injected error fault is answered: with its status and a sentence naming the fault. */
export type InjectedErrorAnswer = (res: Response, status: number, detail: string, fault: ArmedFault) => void;

const answerWithProblem: InjectedErrorAnswer = (res, status, detail, fault) => {
  sendProblem(res, new SimCloudProblem(status, 'injected-fault', 'Injected fault', detail, { operation: fault.operation, faultId: fault.id }));
};

/** Arms, lists, clears and triggers faults. */
export type FaultInjector = ReturnType<typeof createFaultInjector>;

/**
 * Fault injection for tests: an armed fault breaks the next `times` calls of its operation,
 * oldest fault first, before the operation does anything. Faults live in SQLite with the rest
 * of the state, so that a test can arm them from another process.
 */
export function createFaultInjector({
  db,
  clock,
  logger,
  shutdownSignal,
}: {
  db: SimCloudDatabase;
  clock: Clock;
  logger: Logger;
  shutdownSignal?: AbortSignal;
}) {
  const insertFault = db.prepare(
    `INSERT INTO faults (operation, mode, times, remaining, latency_ms, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const findFault = db.prepare<[number | bigint], FaultRow>(`SELECT * FROM faults WHERE id = ?`);
  const listFaults = db.prepare<[], FaultRow>(`SELECT * FROM faults ORDER BY id`);
  const deleteFaults = db.prepare(`DELETE FROM faults`);
  const nextFault = db.prepare<[string], FaultRow>(`SELECT * FROM faults WHERE operation = ? ORDER BY id LIMIT 1`);
  const spendOne = db.prepare(`UPDATE faults SET remaining = remaining - 1 WHERE id = ?`);
  const deleteSpent = db.prepare(`DELETE FROM faults WHERE id = ? AND remaining <= 0`);

  /** Calls that a latency fault holds or has released whose answer is not written yet. */
  let heldCalls = 0;

  const takeFault = db.transaction((operation: string): ArmedFault | undefined => {
    const row = nextFault.get(operation);
    if (!row) return undefined;
    spendOne.run(row.id);
    deleteSpent.run(row.id);
    return toFault({ ...row, remaining: row.remaining - 1 });
  });

  return {
    arm(input: ArmFaultInput): ArmedFault {
      const { lastInsertRowid } = insertFault.run(
        input.operation,
        input.mode,
        input.times,
        input.times,
        input.mode === 'latency' ? (input.latencyMs ?? null) : null,
        input.mode === 'error' ? input.status : null,
        new Date(clock.now()).toISOString(),
      );
      const row = findFault.get(lastInsertRowid);
      if (!row) throw new Error(`fault ${lastInsertRowid} vanished after insert`);
      return toFault(row);
    },

    list(): ArmedFault[] {
      return listFaults.all().map(toFault);
    },

    /**
     * How many calls a latency fault delayed whose answer is not written yet, even to a client
     * that gave up: tests wait for none before they count what the abandoned calls left.
     */
    heldCalls(): number {
      return heldCalls;
    },

    /** Disarms every fault; answers how many there were. */
    clear(): number {
      return deleteFaults.run().changes;
    },

    /**
     * Middleware that lets the next armed fault of `operation`, if any, break the call; an
     * error fault is answered by `answerError` (problem+json unless the routes speak another protocol).
     */
    breakCallsTo(operation: string, answerError: InjectedErrorAnswer = answerWithProblem): RequestHandler {
      return async (_req, res, next) => {
        const fault = takeFault(operation);
        if (!fault) {
          next();
          return;
        }
        logger.info({ operation, faultId: fault.id, mode: fault.mode, remaining: fault.remaining }, 'injecting fault');
        if (fault.mode === 'error') {
          answerError(res, fault.status ?? 503, `Fault ${fault.id} broke this ${operation} call (${fault.remaining} more to go).`, fault);
          return;
        }
        // A hung call never answers: the client gives up, or closing the server destroys its socket.
        if (fault.mode === 'hang') return;
        heldCalls += 1;
        try {
          await delay(fault.latencyMs ?? 0, undefined, { signal: shutdownSignal });
        } catch {
          // Shutting down: the connection is being destroyed, there is no one to answer.
          heldCalls -= 1;
          return;
        }
        // The client may have given up meanwhile; the call still proceeds, as a slow real API
        // would. Node emits no 'finish' for an answer to a departed client, so the call counts
        // as settled when its answer is written.
        const end = res.end.bind(res) as (...args: unknown[]) => Response;
        res.end = ((...args: unknown[]) => {
          heldCalls -= 1;
          res.end = end as Response['end'];
          return end(...args);
        }) as Response['end'];
        next();
      };
    },
  };
}
