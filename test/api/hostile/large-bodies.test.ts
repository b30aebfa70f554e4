/**
 * Bounded work per request, over the real stack: large bodies sent by callers who may not
 * send them (or may, but not that much) are refused without stalling the API for others, and
 * error answers stay small whatever the input.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { MAX_REPORTED_ERRORS } from '../../../domain/plan';
import { smallPlan, unique } from '../../support/plans';
import { startStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let consultant: string;
let viewer: string;
let runId: string;
const customerId = unique('bodies');

beforeAll(async () => {
  stack = await startStack();
  consultant = await stack.token({ roles: ['consultant'] });
  viewer = await stack.token({ roles: ['customer'], customerId, sub: 'viewer@bodies' });
  const response = await post('/v1/migrations', JSON.stringify(smallPlan(unique('bodies-plan'), { customerId })), consultant);
  expect(response.status).toBe(202);
  runId = (JSON.parse(response.text) as { id: string }).id;
  await stack.waitForStatus(stack.client.workflow.getHandle(runId), (status) => status.phase === 'AWAITING_APPROVAL');
});

afterAll(async () => {
  if (runId) await stack.client.workflow.getHandle(runId).terminate('test over').catch(() => undefined);
  await stack?.stop();
});

async function post(route: string, body: string, token?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(`${stack.apiUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** Latencies of sequential `GET /healthz` until `done()` holds (at least `minimum` of them), in milliseconds. */
async function probeHealth(done: () => boolean, minimum: number): Promise<number[]> {
  const latencies: number[] = [];
  while (latencies.length < minimum || !done()) {
    const started = process.hrtime.bigint();
    const response = await fetch(`${stack.apiUrl}/healthz`);
    await response.text();
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return latencies;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

describe('large bodies', () => {
  it('leaves /healthz within a small multiple of its idle latency while they are refused', async () => {
    const eightMiB = 8 * 1024 * 1024;
    const attacks = [
      // A read-only customer's token on a decision route (issue 17, §3).
      { name: 'approval as a viewer', path: `/v1/migrations/${runId}/approvals/rssi`, token: viewer, kind: 'array', bytes: eightMiB },
      { name: 'approval as a viewer, chunked', path: `/v1/migrations/${runId}/approvals/rssi`, token: viewer, kind: 'array', bytes: eightMiB, chunked: true },
      // No token at all.
      { name: 'dev token without a token', path: '/dev/token', kind: 'array', bytes: eightMiB },
      { name: 'codec without a token', path: '/codec/decode', kind: 'array', bytes: 16 * 1024 * 1024 },
      // A consultant may send a plan, but not eight mebibytes of zeros.
      { name: 'plan of zeros as a consultant', path: '/v1/plans/validate', token: consultant, kind: 'plan', bytes: eightMiB },
    ];
    const idle = await probeHealth(() => true, 50);

    const attacker = spawn(process.execPath, [path.join(__dirname, 'support', 'attacker.mjs')], {
      env: { ...process.env, ATTACK: JSON.stringify({ apiUrl: stack.apiUrl, attacks, durationMs: 4000, concurrency: 2 }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    attacker.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    let finished = false;
    const exited = new Promise<number | null>((resolve) =>
      attacker.once('exit', (code) => {
        finished = true;
        resolve(code);
      }),
    );
    const during = await probeHealth(() => finished, 50);
    expect(await exited).toBe(0);

    const statuses = JSON.parse(output) as Record<string, Record<string, number>>;
    // Every attack was refused, as many times as it was tried, and none of them was answered 2xx or 5xx.
    for (const attack of attacks) {
      const answers = Object.keys(statuses[attack.name] ?? {});
      expect([attack.name, answers.some((answer) => /^4\d\d$/.test(answer))]).toEqual([attack.name, true]);
      expect(answers.filter((answer) => /^[25]\d\d$/.test(answer))).toEqual([]);
    }
    const ratio = percentile(during, 0.5) / percentile(idle, 0.5);
    const ratio95 = percentile(during, 0.95) / percentile(idle, 0.95);
    process.stdout.write(
      `/healthz during large-body attacks: median ${percentile(during, 0.5).toFixed(2)} ms vs idle ${percentile(idle, 0.5).toFixed(2)} ms (×${ratio.toFixed(2)}), ` +
        `p95 ${percentile(during, 0.95).toFixed(2)} ms vs ${percentile(idle, 0.95).toFixed(2)} ms (×${ratio95.toFixed(2)}), ${during.length} probes; attacks ${JSON.stringify(statuses)}\n`,
    );
    expect(ratio).toBeLessThan(5);
  });
});

describe('error answers', () => {
  it('stay small for a workload with fifty thousand unknown dependencies', async () => {
    const plan = smallPlan(unique('deps'), { customerId }) as unknown as { workloads: { dependsOn: string[] }[] };
    plan.workloads[0]!.dependsOn = Array.from({ length: 50_000 }, (_, index) => `missing-${index}`);
    const body = JSON.stringify(plan);
    expect(body.length).toBeGreaterThan(480_000);
    const response = await post('/v1/plans/validate', body, consultant);
    expect(response.status).toBe(400);
    expect(response.text.length).toBeLessThan(30_000);
    const problem = JSON.parse(response.text) as { detail: string; errors: unknown[]; errorCount: number };
    expect(problem.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(problem.errorCount).toBe(50_001);
    expect(problem.detail).toMatch(/50001 errors; the first 100 are listed/);
  });
});

describe('names no one can squat', () => {
  it.each(['victim.wave-1', 'victim:wave-1', 'victim/wave-1'])('refuses to start a run whose planId %j has the characters of derived workflow ids', async (planId) => {
    const plan = { ...smallPlan(unique('squat'), { customerId }), planId };
    const response = await post('/v1/migrations', JSON.stringify(plan), consultant);
    expect(response.status).toBe(400);
    expect((JSON.parse(response.text) as { errors: { path: string }[] }).errors.map((error) => error.path)).toEqual(['planId']);
  });

  it('refuses the same names as an Idempotency-Key', async () => {
    const { planId: _planId, ...withoutPlanId } = smallPlan(unique('squat'), { customerId });
    const response = await post('/v1/migrations', JSON.stringify(withoutPlanId), consultant, { 'Idempotency-Key': `${runId}.wave-1` });
    expect(response.status).toBe(400);
    expect((JSON.parse(response.text) as { errors: { path: string }[] }).errors.map((error) => error.path)).toEqual(['Idempotency-Key']);
  });
});
