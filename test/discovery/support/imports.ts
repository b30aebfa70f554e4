/** Helpers of the import tests: temporary directories and files as the import takes them. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DiscoveryFile } from '../../../discovery';

/** A fresh temporary directory, removed by the returned cleanup. */
export async function temporaryDirectory(): Promise<{ directory: string; remove: () => Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), 'passerelle-discovery-'));
  return { directory, remove: () => rm(directory, { recursive: true, force: true }) };
}

/** Files on disk as an import's input, named by their base name. */
export async function readImportFiles(...files: string[]): Promise<DiscoveryFile[]> {
  return Promise.all(files.map(async (file) => ({ name: path.basename(file), content: await readFile(file) })));
}

/** A CSV text as an import's input. */
export function csvFile(name: string, text: string): DiscoveryFile {
  return { name, content: Buffer.from(text, 'utf8') };
}
