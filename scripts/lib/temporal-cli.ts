import { execFile } from 'node:child_process';
import { promises as fs, constants as fsConstants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Temporal CLI release the project is tested with (the newest that `go install …@v` accepts). */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = 'github.com/temporalio/cli';
const PACKAGE = `${MODULE}/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

/** Where the CLI built by `go install` is cached, outside the repository, once per machine. */
export function cachedCliPath(): string {
  const cacheRoot = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cacheRoot, 'passerelle', 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

export class TemporalCliUnavailableError extends Error {
  override readonly name = 'TemporalCliUnavailableError';
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await isExecutable(path.join(dir, name)))) return path.join(dir, name);
  }
  return undefined;
}

/**
 * True when the binary is the pinned release. A release build says so in `--version`; a
 * `go install` build says `0.0.0-DEV`, so its embedded module version is read instead.
 */
async function hasPinnedVersion(binary: string): Promise<boolean> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 10_000 });
    if (stdout.includes(`version ${TEMPORAL_CLI_VERSION} `) || stdout.includes(`version ${TEMPORAL_CLI_VERSION}\n`)) return true;
    if (!stdout.includes('0.0.0-DEV')) return false;
    const { stdout: info } = await run('go', ['version', '-m', binary], { timeout: 10_000 });
    return new RegExp(`\\bmod\\s+${MODULE.replace(/\./g, '\\.')}\\s+v${TEMPORAL_CLI_VERSION.replace(/\./g, '\\.')}\\b`).test(info);
  } catch {
    return false;
  }
}

const installHelp = [
  `Passerelle needs the Temporal CLI v${TEMPORAL_CLI_VERSION}. Either:`,
  `  - install Go (https://go.dev/dl/, 1.24 or newer) and run \`npm run temporal:ensure\`, which builds it once into ${cachedCliPath()}`,
  `  - or run \`GOBIN=${path.dirname(cachedCliPath())} go install ${PACKAGE}\` yourself`,
  `  - or point TEMPORAL_CLI_PATH at a temporal v${TEMPORAL_CLI_VERSION} binary`,
  '  - or set TEMPORAL_ADDRESS to use a Temporal server that is already running.',
].join('\n');

/**
 * Returns the path of the pinned Temporal CLI: TEMPORAL_CLI_PATH, then PATH, then the cache,
 * building it with Go into the cache when none of them has it. Fast and silent when cached.
 */
export async function ensureTemporalCli(options: { log?: (line: string) => void } = {}): Promise<string> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const explicit = process.env.TEMPORAL_CLI_PATH?.trim();
  if (explicit) {
    if (await hasPinnedVersion(explicit)) return explicit;
    throw new TemporalCliUnavailableError(
      `TEMPORAL_CLI_PATH=${explicit} is not an executable Temporal CLI v${TEMPORAL_CLI_VERSION}.\n${installHelp}`,
    );
  }
  const cached = cachedCliPath();
  if (await isExecutable(cached)) return cached;
  const onPath = await findOnPath('temporal');
  if (onPath && (await hasPinnedVersion(onPath))) return onPath;

  const go = await findOnPath('go');
  if (!go) throw new TemporalCliUnavailableError(`No Temporal CLI v${TEMPORAL_CLI_VERSION} found and Go is not installed.\n${installHelp}`);
  log(`Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with Go, once (a few minutes; cached in ${path.dirname(cached)})…`);
  const staging = `${path.dirname(cached)}.build-${process.pid}`;
  await fs.mkdir(staging, { recursive: true });
  try {
    await run(go, ['install', PACKAGE], {
      env: { ...process.env, GOBIN: staging, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
      timeout: 30 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    await fs.mkdir(path.dirname(cached), { recursive: true });
    // rename is atomic: a concurrent build or a crash never leaves a half-written binary in the cache.
    await fs.rename(path.join(staging, 'temporal'), cached);
  } catch (error) {
    const detail = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr).slice(-2000) : String(error);
    throw new TemporalCliUnavailableError(`Building the Temporal CLI failed:\n${detail}\n${installHelp}`);
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  log(`Temporal CLI v${TEMPORAL_CLI_VERSION} ready: ${cached}`);
  return cached;
}
