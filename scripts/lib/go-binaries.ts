import { execFile } from 'node:child_process';
import { promises as fs, constants as fsConstants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A tool the cluster needs that `go install` builds from a pinned module version. */
export interface GoTool {
  /** Folder name under the cache, e.g. `temporal-server`. */
  name: string;
  /** The package to install, without the version: `go.temporal.io/server/cmd/server`. */
  packagePath: string;
  version: string;
  /** The file that `go install` writes (the last element of the package path). */
  binary: string;
  /** The name the cache keeps it under, when two tools build a binary of the same name. */
  cachedAs?: string;
  /** The npm script that builds it (named in the message when it cannot be built). */
  npmScript: string;
}

export class GoToolUnavailableError extends Error {
  override readonly name = 'GoToolUnavailableError';
}

/** The project's cache outside the repository: `$XDG_CACHE_HOME/passerelle` or `~/.cache/passerelle`. */
export function passerelleCacheRoot(): string {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'passerelle');
}

/** Where a tool's binary is cached, once per machine and version. */
export function cachedToolPath(tool: GoTool): string {
  return path.join(passerelleCacheRoot(), tool.name, tool.version, tool.cachedAs ?? tool.binary);
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path of the `go` command on PATH, or undefined. */
export async function findGo(): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await isExecutable(path.join(dir, 'go')))) return path.join(dir, 'go');
  }
  return undefined;
}

function installHelp(tool: GoTool): string {
  return [
    `Passerelle's cluster needs ${tool.packagePath}@${tool.version}. Either:`,
    `  - install Go (https://go.dev/dl/, 1.24 or newer) and run \`npm run ${tool.npmScript}\`, which builds it once into ${path.dirname(cachedToolPath(tool))}`,
    `  - or run \`GOBIN=${path.dirname(cachedToolPath(tool))} go install ${tool.packagePath}@${tool.version}\` yourself${tool.cachedAs ? ` and rename ${tool.binary} to ${tool.cachedAs}` : ''}.`,
  ].join('\n');
}

/**
 * Returns the cached binary of `tool`, building it with `go install` when it is missing.
 * The build lands in a staging folder and is renamed into place, so that a concurrent build
 * or a crash never leaves a half-written binary in the cache.
 */
export async function ensureGoTool(tool: GoTool, log: (line: string) => void): Promise<string> {
  const cached = cachedToolPath(tool);
  if (await isExecutable(cached)) return cached;
  const go = await findGo();
  if (!go) throw new GoToolUnavailableError(`${tool.packagePath}@${tool.version} is not built and Go is not installed.\n${installHelp(tool)}`);
  log(`Building ${tool.packagePath}@${tool.version} with Go, once (a few minutes; cached in ${path.dirname(cached)})…`);
  const staging = `${path.dirname(cached)}.build-${process.pid}`;
  await fs.mkdir(staging, { recursive: true });
  try {
    await run(go, ['install', `${tool.packagePath}@${tool.version}`], {
      env: { ...process.env, GOBIN: staging },
      timeout: 30 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    await fs.mkdir(path.dirname(cached), { recursive: true });
    await fs.rename(path.join(staging, tool.binary), cached);
  } catch (error) {
    const detail = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr).slice(-2000) : String(error);
    throw new GoToolUnavailableError(`Building ${tool.packagePath}@${tool.version} failed:\n${detail}\n${installHelp(tool)}`);
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  log(`${tool.name} ${tool.version} ready: ${cached}`);
  return cached;
}

/** The folder of a module version in Go's module cache, downloading it when absent. */
export async function goModuleDir(modulePath: string, version: string): Promise<string> {
  const go = await findGo();
  if (!go) throw new GoToolUnavailableError(`Go is needed to read ${modulePath}@${version}.`);
  const { stdout } = await run(go, ['mod', 'download', '-json', `${modulePath}@${version}`], { timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 });
  const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new GoToolUnavailableError(`go mod download ${modulePath}@${version} failed: ${info.Error ?? 'no folder'}`);
  return info.Dir;
}

/**
 * Builds a Go program of this repository (its own go.mod) into the cache, keyed by a hash of
 * its sources so that an edit rebuilds it and an unchanged tree reuses it.
 */
export async function ensureRepoGoProgram(
  name: string,
  sourceDir: string,
  log: (line: string) => void,
): Promise<string> {
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256');
  for (const file of (await fs.readdir(sourceDir)).filter((entry) => /\.(go|mod|sum)$/.test(entry)).sort()) {
    hash.update(file).update(await fs.readFile(path.join(sourceDir, file)));
  }
  const cached = path.join(passerelleCacheRoot(), name, hash.digest('hex').slice(0, 16), name);
  if (await isExecutable(cached)) return cached;
  const go = await findGo();
  if (!go) throw new GoToolUnavailableError(`${name} is not built and Go is not installed (https://go.dev/dl/).`);
  log(`Building ${name} from ${path.relative(process.cwd(), sourceDir) || sourceDir} with Go, once…`);
  await fs.mkdir(path.dirname(cached), { recursive: true });
  const staging = `${cached}.build-${process.pid}`;
  try {
    await run(go, ['build', '-o', staging, '.'], { cwd: sourceDir, env: { ...process.env, CGO_ENABLED: '0' }, timeout: 30 * 60_000, maxBuffer: 64 * 1024 * 1024 });
    await fs.rename(staging, cached);
  } catch (error) {
    await fs.rm(staging, { force: true });
    const detail = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr).slice(-2000) : String(error);
    throw new GoToolUnavailableError(`Building ${name} failed:\n${detail}`);
  }
  return cached;
}
