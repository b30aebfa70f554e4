import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { createDevAuthenticator } from '../../api/auth';
import { devSignInKey } from '../../api/dev-mode';
import { createDashboardRouter, type DashboardOptions } from '../../api/dashboard-router';
import { problemMiddleware } from '../../api/problem';
import type { DemoIdentity } from '../../config/dev-tokens';
import { buildDashboard } from '../../scripts/lib/dashboard-build';

const ESTATES = path.join(__dirname, '..', 'fixtures', 'estates');
const secret = randomBytes(32);
const signInKey = `Bearer ${devSignInKey(secret)}`;
let dashboardDir: string;

beforeAll(async () => {
  dashboardDir = mkdtempSync(path.join(tmpdir(), 'passerelle-dashboard-'));
  await buildDashboard({ outDir: dashboardDir, minify: false });
});

afterAll(() => {
  rmSync(dashboardDir, { recursive: true, force: true });
});

function dashboardApp(options: Partial<DashboardOptions>): express.Express {
  const app = express();
  app.use(createDashboardRouter({ dashboardDir, ...options }));
  app.use(problemMiddleware());
  return app;
}

describe('the dashboard router', () => {
  it('serves the page with a policy that allows only this origin’s script, style and API', async () => {
    const response = await request(dashboardApp({})).get('/').expect(200);
    expect(response.type).toBe('text/html');
    expect(response.text).toContain('<script src="/dashboard/app.js" defer></script>');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("connect-src 'self'");
    await request(dashboardApp({})).get('/dashboard/app.css').expect(200).expect('content-type', /text\/css/);
  });

  it('serves the dashboard’s TypeScript as built for the browser, one script without require()', async () => {
    const response = await request(dashboardApp({})).get('/dashboard/app.js').expect(200);
    expect(response.type).toBe('text/javascript');
    expect(response.text).toContain('/v1/migrations');
    expect(response.text).not.toMatch(/\brequire\(/);
  });

  it('serves the rules that the page links to (docs/rules.md), as text', async () => {
    const response = await request(dashboardApp({})).get('/dashboard/rules.md').expect(200).expect('content-type', 'text/plain; charset=utf-8');
    expect(response.text).toBe(readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8'));
    const script = await request(dashboardApp({})).get('/dashboard/app.js').expect(200);
    expect(script.text).toContain('/dashboard/rules.md');
  });

  it('answers 503 naming the build command when the dashboard has not been built', async () => {
    const response = await request(dashboardApp({ dashboardDir: path.join(dashboardDir, 'missing') }))
      .get('/')
      .expect(503)
      .expect('content-type', /application\/problem\+json/);
    expect((response.body as { detail: string }).detail).toContain('npm run build:dashboard');
  });

  it('offers a demo identity for every customer of the example estates, and one without approver roles', async () => {
    const customers = readdirSync(ESTATES)
      .filter((file) => file.endsWith('.plan.json'))
      .map((file) => (JSON.parse(readFileSync(path.join(ESTATES, file), 'utf8')) as { customer: { id: string } }).customer.id);
    const response = await request(dashboardApp({ devTokenSecret: secret, nodeEnv: 'development' })).get('/dev/identities').set('Authorization', signInKey).expect(200);
    const { identities } = response.body as { identities: DemoIdentity[] };
    for (const customerId of customers) {
      expect(identities).toContainEqual(expect.objectContaining({ roles: ['customer'], customerId, approverRoles: ['RSSI', 'DPO', 'HOMOLOGATION_AUTHORITY'] }));
    }
    expect(identities.filter((identity) => identity.roles.includes('customer') && identity.approverRoles.length === 0)).toHaveLength(1);
    expect(identities.map((identity) => identity.id)).toEqual(expect.arrayContaining(['consultant', 'ops']));
  });

  it('signs a token for a demo identity that the API’s authenticator accepts', async () => {
    const response = await request(dashboardApp({ devTokenSecret: secret, nodeEnv: 'development' }))
      .post('/dev/token')
      .set('Authorization', signInKey)
      .send({ identity: 'region-hauts-val-approver' })
      .expect(200)
      .expect('cache-control', 'no-store');
    const identity = await createDevAuthenticator(secret).verify((response.body as { token: string }).token);
    expect(identity).toEqual({
      subject: 'approbation@region-hauts-val',
      roles: ['customer'],
      customerId: 'region-hauts-val',
      approverRoles: ['RSSI', 'DPO', 'HOMOLOGATION_AUTHORITY'],
      expiresAt: expect.any(Number) as unknown,
    });
  });

  it('refuses an identity that is not in the list, naming the field', async () => {
    const response = await request(dashboardApp({ devTokenSecret: secret, nodeEnv: 'development' }))
      .post('/dev/token')
      .set('Authorization', signInKey)
      .send({ identity: 'admin' })
      .expect(422);
    expect((response.body as { errors: { path: string }[] }).errors[0]?.path).toBe('identity');
  });

  it('signs nothing without the sign-in key, nor for a page that names another host (DNS rebinding)', async () => {
    const app = dashboardApp({ devTokenSecret: secret, nodeEnv: 'development' });
    const tokenless = await request(app).post('/dev/token').send({ identity: 'ops' });
    expect(tokenless.status).toBe(401);
    expect(tokenless.text).not.toContain('eyJ');
    await request(app).get('/dev/identities').expect(401);
    await request(app).post('/dev/token').set('Authorization', `Bearer ${devSignInKey(randomBytes(32))}`).send({ identity: 'ops' }).expect(401);
    for (const host of ['attacker.example', 'attacker.example:3000', '127.0.0.1.nip.io', '0.0.0.0:3000', '192.168.1.10']) {
      const rebound = await request(app).post('/dev/token').set('Host', host).set('Authorization', signInKey).send({ identity: 'ops' });
      expect([host, rebound.status]).toEqual([host, 403]);
    }
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST']) {
      await request(app).get('/dev/identities').set('Host', host).set('Authorization', signInKey).expect(200);
    }
  });

  it('has no token routes in production, nor without the development secret', async () => {
    await request(dashboardApp({ devTokenSecret: secret, nodeEnv: 'production' })).get('/dev/identities').expect(404);
    await request(dashboardApp({ devTokenSecret: secret, nodeEnv: 'production' })).post('/dev/token').send({ identity: 'ops' }).expect(404);
    await request(dashboardApp({ nodeEnv: 'development' })).get('/dev/identities').expect(404);
  });
});
