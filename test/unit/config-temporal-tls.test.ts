import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError, loadConfig } from '../../config/env';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-tls-'));
  for (const name of ['ca.crt', 'tls.crt', 'tls.key']) writeFileSync(path.join(dir, name), `-----BEGIN ${name}-----\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mutual TLS to a Temporal cluster', () => {
  it('reads the CA, the client pair and the server name from the files the environment names, and turns TLS on', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.example.fr:7233',
      TEMPORAL_TLS_CA_FILE: path.join(dir, 'ca.crt'),
      TEMPORAL_TLS_CERT_FILE: path.join(dir, 'tls.crt'),
      TEMPORAL_TLS_KEY_FILE: path.join(dir, 'tls.key'),
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.internal',
    });
    expect(config.temporal.tls).toBe(true);
    expect(config.temporal.tlsFiles?.serverRootCACertificate?.toString()).toContain('ca.crt');
    expect(config.temporal.tlsFiles?.clientCertPair?.crt.toString()).toContain('tls.crt');
    expect(config.temporal.tlsFiles?.clientCertPair?.key.toString()).toContain('tls.key');
    expect(config.temporal.tlsFiles?.serverNameOverride).toBe('frontend.temporal.internal');
  });

  it('leaves TLS off and reads nothing when no TLS variable is set', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(config.temporal.tls).toBe(false);
    expect(config.temporal.tlsFiles).toBeUndefined();
  });

  it('refuses a client certificate without its key, naming both variables', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_FILE: path.join(dir, 'tls.crt') })).toThrow(
      new ConfigurationError('Invalid configuration:\n  TEMPORAL_TLS_CERT_FILE, TEMPORAL_TLS_KEY_FILE: a client certificate needs both'),
    );
  });

  it('names the variable whose file cannot be read', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CA_FILE: path.join(dir, 'missing.crt') })).toThrow(/TEMPORAL_TLS_CA_FILE: cannot read .*missing\.crt \(ENOENT\)/);
  });
});
