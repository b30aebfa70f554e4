import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** What a run start turned out to be: a new run, or the same run again (idempotent start). */
export type RunStartOutcome = 'created' | 'existing';

/** The API's Prometheus metrics, in a registry of their own so that several apps can share a process (tests). */
export interface ApiMetrics {
  registry: Registry;
  /** Counts a start of `POST /v1/migrations`. */
  recordRunStart(outcome: RunStartOutcome): void;
  /** Counts a human decision sent to a run (`approval.approve`, `step.retry`, `run.cancel`…). */
  recordDecision(decision: string): void;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/** Creates the API's metrics: HTTP requests by route and status, run starts, decisions, and Node's process metrics. */
export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'passerelle_api_' });
  const httpRequests = new Counter({
    name: 'passerelle_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'passerelle_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (to the end of the stream for Server-Sent Events).',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const runStarts = new Counter({
    name: 'passerelle_run_starts_total',
    help: 'Accepted run starts: created a run, or answered an existing one (idempotent repeat).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'passerelle_decisions_total',
    help: 'Human decisions the workflows accepted, by kind.',
    labelNames: ['decision'],
    registers: [registry],
  });
  return {
    registry,
    recordRunStart: (outcome) => runStarts.inc({ outcome }),
    recordDecision: (decision) => decisions.inc({ decision }),
    httpRequests,
    httpDuration,
  };
}

/**
 * Counts and times every response by route template (`/v1/migrations/:id`, never the id, so
 * that the label set stays small and holds no identifiers); unmatched paths share one label.
 */
export function recordHttpMetrics(metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    const stopTimer = metrics.httpDuration.startTimer();
    res.once('close', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? routePath : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      stopTimer(labels);
    });
    next();
  };
}
