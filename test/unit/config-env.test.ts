import { randomBytes } from 'node:crypto';
import { ConfigurationError, loadConfig } from '../../config/env';

const productionOidc = {
  NODE_ENV: 'production',
  AUTH_ISSUER: 'https://idp.example.test',
  AUTH_AUDIENCE: 'passerelle-api',
  AUTH_JWKS_URL: 'https://idp.example.test/certs',
};

function failure(source: NodeJS.ProcessEnv): string {
  try {
    loadConfig(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration of payload encryption and the API', () => {
  it('requires PASSERELLE_CODEC_KEYS in production', () => {
    expect(failure(productionOidc)).toMatch(/PASSERELLE_CODEC_KEYS: required in production/);
    const key = `k1:${randomBytes(32).toString('base64')}`;
    expect(loadConfig({ ...productionOidc, PASSERELLE_CODEC_KEYS: key }).codec.keys).toBe(key);
  });

  it('names a wrong key list without printing any key', () => {
    const short = randomBytes(16).toString('base64');
    const message = failure({ PASSERELLE_CODEC_KEYS: `k1:${short}` });
    expect(message).toMatch(/PASSERELLE_CODEC_KEYS: key k1: must be 32 bytes/);
    expect(message).not.toContain(short);
  });

  it('lets the Temporal Web UI of npm start call the codec endpoint by default', () => {
    expect(loadConfig({ TEMPORAL_UI_PORT: '8233' }).codec.uiOrigins).toEqual(['http://127.0.0.1:8233', 'http://localhost:8233']);
    expect(loadConfig({ CODEC_CORS_ORIGINS: 'https://temporal.example.test, https://ui.example.test' }).codec.uiOrigins).toEqual([
      'https://temporal.example.test',
      'https://ui.example.test',
    ]);
  });

  it('refuses symmetric and unsigned algorithms from an OIDC issuer', () => {
    const key = `k1:${randomBytes(32).toString('base64')}`;
    expect(failure({ ...productionOidc, PASSERELLE_CODEC_KEYS: key, AUTH_ALGORITHMS: 'RS256,HS256' })).toMatch(/AUTH_ALGORITHMS/);
    expect(failure({ ...productionOidc, PASSERELLE_CODEC_KEYS: key, AUTH_ALGORITHMS: 'none' })).toMatch(/AUTH_ALGORITHMS/);
  });

  it('reads the worker metrics address, and turns it off with port 0', () => {
    expect(loadConfig({}).workerMetrics.bindAddress).toBe('127.0.0.1:9464');
    expect(loadConfig({ WORKER_METRICS_PORT: '0' }).workerMetrics.bindAddress).toBeUndefined();
  });

  it('reads the live progress intervals and the rate limits', () => {
    const config = loadConfig({ API_EVENTS_POLL_INTERVAL: '250ms', API_EVENTS_HEARTBEAT_INTERVAL: '5s', API_RATE_LIMIT: '60', API_AUTH_FAILURE_LIMIT: '5' });
    expect(config.api).toMatchObject({ events: { pollIntervalMs: 250, heartbeatIntervalMs: 5000 }, rateLimitPerMinute: 60, authFailureLimit: 5 });
  });
});
