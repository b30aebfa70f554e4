import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The development HS256 secret: generated on first use under the data directory with
 * owner-only permissions, never committed. Creation uses O_EXCL so that two processes
 * starting together agree on one secret.
 */
export async function loadOrCreateDevSecret(dataDir: string): Promise<Uint8Array> {
  const file = path.join(dataDir, 'dev-jwt-secret');
  await fs.mkdir(dataDir, { recursive: true });
  try {
    await fs.writeFile(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = (await fs.readFile(file, 'utf8')).trim();
  if (secret.length < 32) throw new Error(`${file} holds a secret shorter than 32 characters: delete it to generate a new one.`);
  return new TextEncoder().encode(secret);
}
