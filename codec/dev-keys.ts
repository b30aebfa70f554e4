import { promises as fs } from 'node:fs';
import path from 'node:path';
import { generateCodecKey } from './payload-codec';

/** Where a development key list lives under the data directory. */
export function devCodecKeysFile(dataDir: string): string {
  return path.join(dataDir, 'dev-codec-keys');
}

/**
 * The development payload keys (PASSERELLE_CODEC_KEYS format): generated on first use under
 * the data directory with owner-only permissions, never committed, like the dev JWT secret.
 * O_EXCL creation lets the API and the worker start together and agree on one key.
 */
export async function loadOrCreateDevCodecKeys(dataDir: string): Promise<string> {
  const file = devCodecKeysFile(dataDir);
  await fs.mkdir(dataDir, { recursive: true });
  try {
    await fs.writeFile(file, generateCodecKey(`dev-${new Date().toISOString().slice(0, 10)}`), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return (await fs.readFile(file, 'utf8')).trim();
}
