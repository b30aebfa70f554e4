import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

/** A TLS certificate and its private key, PEM-encoded. */
export interface TlsIdentity {
  cert: string;
  key: string;
  /** Where the certificate is, for clients to trust it (PROVIDER_CA_FILE). */
  certFile: string;
}

/**
 * The self-signed certificate sim-cloud's ARM endpoint serves (Entra ID and ARM clients only
 * speak HTTPS). Created once with openssl in `directory` and reused, so that clients can
 * trust the same file across restarts.
 */
export function loadOrCreateSelfSignedCertificate(directory: string, host: string): TlsIdentity {
  const certFile = join(directory, 'cert.pem');
  const keyFile = join(directory, 'key.pem');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(directory, { recursive: true });
    const names = new Set(['IP:127.0.0.1', 'IP:::1', 'DNS:localhost', isIP(host) ? `IP:${host}` : `DNS:${host}`]);
    try {
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '825', '-subj', '/CN=sim-cloud', '-addext', `subjectAltName=${[...names].join(',')}`],
        { stdio: 'pipe' },
      );
    } catch (error) {
      throw new Error(
        `sim-cloud could not create its TLS certificate with openssl (${error instanceof Error ? error.message : String(error)}): install openssl, or give SIM_CLOUD_TLS_CERT and SIM_CLOUD_TLS_KEY.`,
      );
    }
  }
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile };
}
