import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createDevAuthenticator } from '../../api/auth';
import { EXIT_CODES, runCli } from '../../cli/main';
import type { MigrationOverview } from '../../domain';
import { type FakeApi, type FakeRoute, type RecordedRequest, sendJson, startFakeApi } from './fake-api';
import { runOverviewOf } from '../support/statuses';

let api: FakeApi | undefined;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-cli-unit-'));
});
afterEach(async () => {
  await api?.close();
  api = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function on(method: string, pattern: RegExp, answer: (request: RecordedRequest, res: ServerResponse) => void): FakeRoute {
  return (request, res) => {
    if (request.method !== method || !pattern.test(request.url)) return false;
    answer(request, res);
  };
}

function problem(status: number, title: string, detail: string, errors?: { path: string; message: string }[]) {
  return (_request: RecordedRequest, res: ServerResponse) =>
    sendJson(res, status, { type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) }, 'application/problem+json');
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    cwd: dir,
  });
  return { code, stdout, stderr };
}

const page = {
  items: [
    {
      id: 'migration-ght',
      customerId: 'ght-rhone-nord',
      phase: 'CUTOVER',
      status: 'NEEDS_ATTENTION',
      needsAttention: true,
      startedAt: '2030-01-01T10:00:00.000Z',
      closedAt: null,
    },
  ],
  nextCursor: 'abc',
};

describe('passerelle (command line)', () => {
  it('prints a table of migrations, sending the filters and the token of its flags', async () => {
    api = await startFakeApi(on('GET', /^\/v1\/migrations\?/, (_request, res) => sendJson(res, 200, page)));
    const result = await run(['list', '--status', 'NEEDS_ATTENTION', '--needs-attention', '--limit', '5', '--api-url', api.url, '--token', 'flag-token']);
    expect(result).toMatchObject({ code: EXIT_CODES.ok, stderr: '' });
    expect(result.stdout).toMatch(/^ID\s+CUSTOMER\s+PHASE\s+STATUS\s+ATTENTION\s+STARTED\s+ENDED$/m);
    expect(result.stdout).toMatch(/^migration-ght\s+ght-rhone-nord\s+CUTOVER\s+NEEDS_ATTENTION\s+yes\s+2030-01-01 10:00:00Z\s+-$/m);
    expect(result.stdout).toContain('More: --cursor abc');
    const [request] = api.requests;
    expect(new URL(request!.url, api.url).searchParams.toString()).toBe('status=NEEDS_ATTENTION&needsAttention=true&limit=5');
    expect(request!.headers.authorization).toBe('Bearer flag-token');
  });

  it('reads the URL and the token from the environment, and lets flags win over it', async () => {
    api = await startFakeApi(on('GET', /^\/v1\/migrations/, (_request, res) => sendJson(res, 200, { items: [], nextCursor: null })));
    const fromEnv = await run(['list'], { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 'env-token' });
    expect(fromEnv).toMatchObject({ code: EXIT_CODES.ok, stdout: 'No migration matches.\n' });
    await run(['--token', 'flag-token', 'list'], { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 'env-token' });
    expect(api.requests.map((request) => request.headers.authorization)).toEqual(['Bearer env-token', 'Bearer flag-token']);
  });

  it('prints the API’s JSON with --json', async () => {
    api = await startFakeApi(on('GET', /^\/v1\/migrations/, (_request, res) => sendJson(res, 200, page)));
    const result = await run(['list', '--json'], { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' });
    expect(JSON.parse(result.stdout)).toEqual(page);
  });

  it('exits 1 with the problem’s title, detail and fields when the API refuses', async () => {
    api = await startFakeApi(
      on('POST', /^\/v1\/migrations\/m-1\/steps\/provisioning\.tenant\/skip$/, problem(403, 'Forbidden', 'Your roles (customer) do not allow step.skip.')),
      on('POST', /^\/v1\/plans\/validate$/, problem(400, 'Bad Request', 'The plan is not valid.', [{ path: 'workloads[0].sizeGb', message: 'must be a positive number' }])),
    );
    const env = { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' };
    const skipped = await run(['skip', 'm-1', 'provisioning.tenant', '--reason', 'done by hand'], env);
    expect(skipped).toEqual({ code: EXIT_CODES.failure, stdout: '', stderr: 'Error 403 Forbidden: Your roles (customer) do not allow step.skip.\n' });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ reason: 'done by hand' });

    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ customer: {}, workloads: [{}] }));
    const validated = await run(['validate', 'bad.json'], env);
    expect(validated.code).toBe(EXIT_CODES.failure);
    expect(validated.stderr).toBe('Error 400 Bad Request: The plan is not valid.\n  workloads[0].sizeGb: must be a positive number\n');
  });

  it('exits 2 on wrong usage: no token, a missing required option, a bad number, an unreadable plan', async () => {
    const noToken = await run(['list'], { PASSERELLE_API_URL: 'http://127.0.0.1:9' });
    expect(noToken.code).toBe(EXIT_CODES.usage);
    expect(noToken.stderr).toContain('No token: pass --token or set PASSERELLE_TOKEN');

    const noComment = await run(['reject', 'm-1', 'rssi', '--token', 't']);
    expect(noComment.code).toBe(EXIT_CODES.usage);
    expect(noComment.stderr).toContain("required option '--comment <text>' not specified");

    const badLimit = await run(['list', '--limit', 'many', '--token', 't']);
    expect(badLimit.code).toBe(EXIT_CODES.usage);
    expect(badLimit.stderr).toContain("argument 'many' is invalid");

    const missingFile = await run(['start', 'nowhere.json', '--token', 't']);
    expect(missingFile.code).toBe(EXIT_CODES.usage);
    expect(missingFile.stderr).toContain('Cannot read the plan file');
    expect(missingFile.stderr).toContain('ENOENT');

    const unknown = await run(['launch']);
    expect(unknown.code).toBe(EXIT_CODES.usage);
    expect(unknown.stderr).toContain("unknown command 'launch'");
  });

  it('exits 3 when the API cannot be reached, naming where it looked', async () => {
    api = await startFakeApi();
    const url = api.url;
    await api.close();
    api = undefined;
    const result = await run(['status', 'm-1', '--api-url', url, '--token', 't']);
    expect(result.code).toBe(EXIT_CODES.unreachable);
    expect(result.stderr).toContain(`Cannot reach the API at ${url}`);
  });

  it('sends approvals, rejections and change requests with their comment', async () => {
    api = await startFakeApi(
      on('POST', /^\/v1\/migrations\/m-1\/approvals\/(rssi|dpo|dpia)$/, (request, res) => {
        const { decision } = JSON.parse(request.body) as { decision: string };
        const state = { APPROVE: 'APPROVED', REJECT: 'REJECTED', REQUEST_CHANGES: 'CHANGES_REQUESTED' }[decision];
        sendJson(res, 200, { id: request.url.split('/').at(-1), role: 'RSSI', rules: [], state, round: 1, requestedAt: '', dueAt: '', decision: { decision, by: 'rssi@mairie', at: '' } });
      }),
    );
    const env = { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' };
    expect((await run(['approve', 'm-1', 'rssi'], env)).stdout).toBe('Approval rssi (RSSI): APPROVED by rssi@mairie.\n');
    expect((await run(['reject', 'm-1', 'dpo', '--comment', 'Pas de PIA'], env)).stdout).toBe('Approval dpo (RSSI): REJECTED by rssi@mairie.\n');
    expect((await run(['request-changes', 'm-1', 'dpia', '--comment', 'Retirer la GTC'], env)).code).toBe(EXIT_CODES.ok);
    expect(api.requests.map((request) => JSON.parse(request.body) as unknown)).toEqual([
      { decision: 'APPROVE' },
      { decision: 'REJECT', comment: 'Pas de PIA' },
      { decision: 'REQUEST_CHANGES', comment: 'Retirer la GTC' },
    ]);
  });

  it('sends a derogation request, a grant with its measures and a revocation, and prints the derogation', async () => {
    api = await startFakeApi(
      on('POST', /^\/v1\/migrations\/m-1\/derogations(\/secnumcloud\/(grant|revoke))?$/, (request, res) => {
        const state = request.url.endsWith('/grant') ? 'GRANTED' : request.url.endsWith('/revoke') ? 'REVOKED' : 'REQUESTED';
        const expiresAt = state === 'REQUESTED' ? {} : { expiresAt: '2027-12-31T00:00:00.000Z' };
        sendJson(res, 200, { id: 'derogation.secnumcloud', zoneId: 'secnumcloud', workloadIds: ['portail'], state, renewals: 0, compensatingMeasures: [], ...expiresAt });
      }),
    );
    const env = { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' };
    expect((await run(['derogation', 'request', 'm-1', 'secnumcloud', '--reason', 'the old site closes'], env)).stdout).toBe(
      'Derogation derogation.secnumcloud (workloads portail): REQUESTED.\n',
    );
    const granted = await run(
      ['derogation', 'grant', 'm-1', 'secnumcloud', '--justification', 'continuity', '--measure', 'customer-held keys', '--measure', 'monthly review', '--expires', '2027-12-31T00:00:00Z'],
      env,
    );
    expect(granted.stdout).toBe('Derogation derogation.secnumcloud (workloads portail): GRANTED, until 2027-12-31 00:00:00Z.\n');
    expect((await run(['derogation', 'revoke', 'm-1', 'secnumcloud', '--comment', 'measures not applied'], env)).code).toBe(EXIT_CODES.ok);
    expect((await run(['derogation', 'grant', 'm-1', 'secnumcloud', '--justification', 'j', '--expires', '2027-12-31T00:00:00Z'], env)).code).toBe(EXIT_CODES.usage);
    expect(api.requests.map((request) => [request.url, JSON.parse(request.body) as unknown])).toEqual([
      ['/v1/migrations/m-1/derogations', { zoneId: 'secnumcloud', reason: 'the old site closes' }],
      [
        '/v1/migrations/m-1/derogations/secnumcloud/grant',
        { justification: 'continuity', expiresAt: '2027-12-31T00:00:00Z', compensatingMeasures: ['customer-held keys', 'monthly review'] },
      ],
      ['/v1/migrations/m-1/derogations/secnumcloud/revoke', { comment: 'measures not applied' }],
    ]);
  });

  it('prints the risk register with descriptions in the language asked', async () => {
    const register = {
      derived: true,
      risks: [
        {
          id: 'hybrid-dependency.historian.scada',
          code: 'HYBRID_DEPENDENCY',
          source: 'R8',
          workloadIds: ['historian', 'scada'],
          description: { code: 'RISK_HYBRID_DEPENDENCY', params: { workloadId: 'historian', dependsOn: 'scada' } },
          ownerRole: 'RSSI',
          state: 'OPEN',
          openedAt: '2027-01-01T00:00:00.000Z',
        },
      ],
    };
    api = await startFakeApi(on('GET', /^\/v1\/migrations\/m-1\/risks$/, (_request, res) => sendJson(res, 200, register)));
    const env = { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' };
    expect((await run(['risks', 'm-1'], env)).stdout).toContain('historian migrates but depends on scada');
    expect((await run(['risks', 'm-1', '--lang', 'fr'], env)).stdout).toContain('historian migre mais dépend de scada');
  });

  it('accepts a risk with its comment and prints it accepted, described in the language asked', async () => {
    api = await startFakeApi(
      on('POST', /^\/v1\/migrations\/m-1\/risks\/extraterritorial-exposure\.payroll\/accept$/, (_request, res) =>
        sendJson(res, 200, {
          id: 'extraterritorial-exposure.payroll',
          code: 'EXTRATERRITORIAL_EXPOSURE',
          source: 'SecNumCloud 3.2 §19.6',
          workloadIds: ['payroll'],
          description: { code: 'RISK_EXTRATERRITORIAL_EXPOSURE', params: { workloadId: 'payroll', categories: ['PERSONAL'] } },
          ownerRole: 'DPO',
          state: 'ACCEPTED',
          openedAt: '2027-01-01T00:00:00.000Z',
          acceptance: { by: 'dpo@ght', at: '2027-01-02T10:00:00.000Z', onHomologation: false },
        }),
      ),
    );
    const env = { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' };
    const accepted = await run(['accept-risk', 'm-1', 'extraterritorial-exposure.payroll', '--comment', 'contract clauses signed', '--lang', 'fr'], env);
    expect(accepted.stdout).toContain('Risque extraterritorial-exposure.payroll (DPO) accepté par dpo@ght le 2027-01-02 10:00:00Z : ');
    expect(accepted.stdout).toContain('payroll (données personnelles) est hébergée sur une offre standard');
    expect((await run(['accept-risk', 'm-1', 'extraterritorial-exposure.payroll'], env)).code).toBe(EXIT_CODES.ok);
    expect(api.requests.map((request) => JSON.parse(request.body) as unknown)).toEqual([{ comment: 'contract clauses signed' }, {}]);
  });

  it('confirms a rehearsal or reports a problem with its comment, prints each launch, and refuses an ambiguous or unexplained decision', async () => {
    api = await startFakeApi(
      on('POST', /^\/v1\/migrations\/m-1\/rehearsals\/wave-2$/, (request, res) => {
        const body = JSON.parse(request.body) as { decision: string; comment?: string };
        sendJson(res, 200, {
          state: 'AWAITING_DECISION',
          approvalId: 'rehearsal.wave-2',
          role: 'RSSI',
          attempt: 1,
          launches: [{ workloadId: 'dpi', launchId: 'tl-1', network: 'isolated-tl-1', smokeTest: { outcome: 'FAILED', checks: [{ name: 'application-answers', outcome: 'FAILED' }] } }],
          decision: { decision: body.decision, by: 'rssi@chu', at: '2027-01-02T10:00:00.000Z', ...(body.comment ? { comment: body.comment } : {}) },
        });
      }),
    );
    const env = { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' };
    const reported = await run(['rehearsal', 'm-1', 'wave-2', '--problem', '--comment', 'the viewer does not open'], env);
    expect(reported.stdout).toContain('Rehearsal rehearsal.wave-2 of wave-2, attempt 1: AWAITING_DECISION, REPORT_PROBLEM by rssi@chu (the viewer does not open).');
    expect(reported.stdout).toContain('dpi: tl-1 in isolated-tl-1, smoke test FAILED (application-answers)');
    expect((await run(['rehearsal', 'm-1', 'wave-2', '--confirm'], env)).code).toBe(EXIT_CODES.ok);
    expect((await run(['rehearsal', 'm-1', 'wave-2', '--confirm', '--problem', '--comment', 'x'], env)).stderr).toContain('exactly one of --confirm and --problem');
    expect((await run(['rehearsal', 'm-1', 'wave-2', '--problem'], env)).stderr).toContain('--problem needs --comment');
    expect(api.requests.map((request) => JSON.parse(request.body) as unknown)).toEqual([{ decision: 'REPORT_PROBLEM', comment: 'the viewer does not open' }, { decision: 'CONFIRM' }]);
  });

  it('sends a retry with its optional reason and says how to follow it', async () => {
    api = await startFakeApi(
      on('POST', /^\/v1\/migrations\/m-1\/steps\/provisioning\.tenant\/retry$/, (_request, res) =>
        sendJson(res, 200, { id: 'provisioning.tenant', phase: 'PROVISIONING', title: 'Tenant', state: 'FAILED' }),
      ),
    );
    const env = { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' };
    const retried = await run(['retry', 'm-1', 'provisioning.tenant', '--reason', 'quota raised'], env);
    expect(retried).toEqual({ code: EXIT_CODES.ok, stdout: 'Step provisioning.tenant sent again; follow it with: passerelle watch m-1\n', stderr: '' });
    await run(['retry', 'm-1', 'provisioning.tenant'], env);
    expect(api.requests.map((request) => JSON.parse(request.body) as unknown)).toEqual([{ reason: 'quota raised' }, {}]);
  });

  it('opens an exceptional cutover window and shows when the waiting wave may switch', async () => {
    const waiting = runOverviewOf({
      phase: 'CUTOVER',
      status: 'WAITING',
      waves: [
        {
          id: 'wave-1',
          index: 1,
          workloadIds: ['db'],
          state: 'RUNNING',
          window: { state: 'WAITING_FOR_WINDOW', opensAt: '2030-01-05T21:00:00.000Z', closesAt: '2030-01-06T05:00:00.000Z', timeZone: 'Europe/Paris', switchoverDuration: 'PT2H' },
        },
      ],
    });
    api = await startFakeApi(on('POST', /^\/v1\/migrations\/m-1\/cutover-window$/, (_request, res) => sendJson(res, 200, waiting)));
    const env = { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't', NO_COLOR: '1' };
    const opened = await run(['open-window', 'm-1', '--until', '2030-01-02T06:00:00Z', '--reason', 'incident', '--wave', 'wave-1'], env);
    expect(opened.code).toBe(EXIT_CODES.ok);
    expect(opened.stdout).toContain('Waiting for the next cutover window: opens 2030-01-05 21:00:00Z, closes 2030-01-06 05:00:00Z (Europe/Paris); the switchover needs PT2H');
    expect(api.requests.map((request) => JSON.parse(request.body) as unknown)).toEqual([{ closesAt: '2030-01-02T06:00:00Z', reason: 'incident', waveId: 'wave-1' }]);
    expect((await run(['open-window', 'm-1', '--reason', 'incident'], env)).code).toBe(EXIT_CODES.usage);
  });

  describe('watch', () => {
    function statusSequence(statuses: MigrationOverview[]): FakeRoute {
      let index = 0;
      return on('GET', /^\/v1\/migrations\/m-1$/, (_request, res) => {
        sendJson(res, 200, statuses[Math.min(index, statuses.length - 1)]);
        index += 1;
      });
    }

    it('polls while the API has no event stream and exits 0 when the run completes', async () => {
      api = await startFakeApi(
        statusSequence([
          runOverviewOf({ phase: 'PROVISIONING', percentComplete: 40, updatedAt: '2030-01-01T10:01:00.000Z' }),
          runOverviewOf({ phase: 'CUTOVER', percentComplete: 70, updatedAt: '2030-01-01T10:02:00.000Z' }),
          runOverviewOf({ phase: 'DONE', status: 'COMPLETED', percentComplete: 100, updatedAt: '2030-01-01T10:03:00.000Z' }),
        ]),
      );
      const result = await run(['watch', 'm-1', '--interval', '5'], { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' });
      expect(result.code).toBe(EXIT_CODES.ok);
      expect(result.stdout.split('\n')).toEqual([
        '2030-01-01 10:01:00Z PROVISIONING RUNNING 40%',
        '2030-01-01 10:02:00Z CUTOVER RUNNING 70%',
        '2030-01-01 10:03:00Z DONE COMPLETED 100%',
        'Run COMPLETED.',
        '',
      ]);
      expect(api.requests[0]).toMatchObject({ url: '/v1/migrations/m-1/events', headers: { accept: 'text/event-stream' } });
    });

    it('follows the event stream, applying each change to the overview it opened with, and exits 1 when the run fails', async () => {
      const running = runOverviewOf({ phase: 'CUTOVER', status: 'RUNNING', percentComplete: 70 });
      const change = {
        id: running.workflowId,
        updatedAt: '2030-01-01T10:05:00.000Z',
        percentComplete: 80,
        changed: { status: 'FAILED', percentComplete: 80, updatedAt: '2030-01-01T10:05:00.000Z', outcome: { status: 'FAILED', reason: 'wave-1 could not be rolled back' } },
        removed: [],
        timeline: [],
        timelineGap: false,
      };
      api = await startFakeApi(
        on('GET', /^\/v1\/migrations\/m-1\/events$/, (_request, res) => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end(
            `retry: 10\n\nid: 1\nevent: overview\ndata: ${JSON.stringify(running)}\n\n: heartbeat\n\nid: 2\nevent: change\ndata: ${JSON.stringify(change)}\n\nevent: end\ndata: {"status":"FAILED"}\n\n`,
          );
        }),
      );
      const result = await run(['watch', 'm-1'], { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' });
      expect(result.code).toBe(EXIT_CODES.failure);
      expect(result.stdout).toBe('2030-01-01 10:00:00Z CUTOVER RUNNING 70%\n2030-01-01 10:05:00Z CUTOVER FAILED 80%\nRun FAILED: wave-1 could not be rolled back.\n');
      expect(api.requests.map((request) => request.url)).toEqual(['/v1/migrations/m-1/events']);
    });

    it('pages a run’s steps with their filters, and prints the cursor of the next page', async () => {
      api = await startFakeApi(
        on('GET', /^\/v1\/migrations\/m-1\/steps\?/, (_request, res) =>
          sendJson(res, 200, { items: [{ id: 'cutover.wave-1.db.replicate', phase: 'CUTOVER', title: 'Replicate', state: 'FAILED', error: { message: 'disk full', attempts: 3, at: '2030-01-01T10:00:00.000Z' } }], nextCursor: 'c3RlcHMuMQ' }),
        ),
      );
      const result = await run(['steps', 'm-1', '--state', 'FAILED', '--wave', 'wave-1', '--limit', '1'], { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' });
      expect(result.code).toBe(EXIT_CODES.ok);
      expect(result.stdout).toContain('cutover.wave-1.db.replicate  FAILED');
      expect(result.stdout).toContain('disk full');
      expect(result.stdout).toContain('More: --cursor c3RlcHMuMQ');
      expect(api.requests[0]?.url).toBe('/v1/migrations/m-1/steps?state=FAILED&wave=wave-1&limit=1');
    });

    it('prints the report page by page, following the cursors to the end', async () => {
      const pages: Record<string, unknown> = {
        '': { items: [{ id: 'db', name: 'Database', kind: 'database', level: 'SECNUMCLOUD', hds: false, zone: 'secnumcloud', waveId: 'wave-1', outcome: 'MIGRATED' }], nextCursor: 'next' },
        next: { items: [{ id: 'ot', name: 'Automate', kind: 'ot', level: 'NOT_ELIGIBLE', hds: false, zone: null, waveId: null, outcome: 'LEFT_OUT', reason: 'stays on site' }], nextCursor: null },
      };
      api = await startFakeApi(
        on('GET', /^\/v1\/migrations\/m-1$/, (_request, res) => sendJson(res, 200, runOverviewOf({ workflowId: 'm-1', phase: 'DONE', status: 'COMPLETED', percentComplete: 100, endedAt: '2030-01-02T00:00:00.000Z' }))),
        on('GET', /^\/v1\/migrations\/m-1\/workloads\?/, (request, res) => sendJson(res, 200, pages[new URL(request.url, 'http://x').searchParams.get('cursor') ?? ''])),
      );
      const result = await run(['report', 'm-1'], { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' });
      expect(result.code).toBe(EXIT_CODES.ok);
      expect(result.stdout).toContain('m-1  Mairie de Test  COMPLETED  100 %  (final)');
      expect(result.stdout).toMatch(/db +Database +SECNUMCLOUD +no +secnumcloud +wave-1 +MIGRATED/);
      expect(result.stdout).toMatch(/ot +Automate +NOT_ELIGIBLE +no +- +- +LEFT_OUT +stays on site/);
      expect(api.requests.map((request) => request.url)).toEqual(['/v1/migrations/m-1', '/v1/migrations/m-1/workloads?limit=500', '/v1/migrations/m-1/workloads?limit=500&cursor=next']);
    });

    it('stops at once with the problem when the run is not one the caller may see', async () => {
      api = await startFakeApi(on('GET', /^\/v1\/migrations\/m-1$/, problem(404, 'Not Found', 'No such migration.')));
      const result = await run(['watch', 'm-1'], { PASSERELLE_API_URL: api.url, PASSERELLE_TOKEN: 't' });
      expect(result).toMatchObject({ code: EXIT_CODES.failure, stderr: 'Error 404 Not Found: No such migration.\n' });
    });
  });

  describe('token', () => {
    const secret = 'a-development-secret-of-at-least-32-characters';

    it('signs a demo identity’s token with the development secret', async () => {
      const result = await run(['token', '--identity', 'ght-rhone-nord-approver'], { AUTH_DEV_SECRET: secret });
      expect(result.code).toBe(EXIT_CODES.ok);
      const identity = await createDevAuthenticator(new TextEncoder().encode(secret)).verify(result.stdout.trim());
      expect(identity).toEqual({
        subject: 'approbation@ght-rhone-nord',
        roles: ['customer'],
        customerId: 'ght-rhone-nord',
        approverRoles: ['RSSI', 'DPO', 'HOMOLOGATION_AUTHORITY'],
        expiresAt: expect.any(Number) as unknown,
      });
    });

    it('signs claims given by flags', async () => {
      const result = await run(['token', '--role', 'customer', '--customer', 'mairie-test', '--approver', 'RSSI,DPO'], { AUTH_DEV_SECRET: secret });
      const identity = await createDevAuthenticator(new TextEncoder().encode(secret)).verify(result.stdout.trim());
      expect(identity).toEqual({
        subject: 'customer@mairie-test',
        roles: ['customer'],
        customerId: 'mairie-test',
        approverRoles: ['RSSI', 'DPO'],
        expiresAt: expect.any(Number) as unknown,
      });
    });

    it('refuses an unknown identity, naming the ones there are, and refuses outside development', async () => {
      const unknown = await run(['token', '--identity', 'root'], { AUTH_DEV_SECRET: secret });
      expect(unknown.code).toBe(EXIT_CODES.usage);
      expect(unknown.stderr).toContain('consultant, ops, ght-rhone-nord-approver');
      const oidc = await run(['token', '--identity', 'ops'], {
        AUTH_MODE: 'oidc',
        AUTH_ISSUER: 'https://id.example',
        AUTH_AUDIENCE: 'passerelle',
        AUTH_JWKS_URL: 'https://id.example/jwks',
      });
      expect(oidc.code).toBe(EXIT_CODES.usage);
      expect(oidc.stderr).toContain('AUTH_MODE=oidc');
    });
  });
});
