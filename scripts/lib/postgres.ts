import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from './go-binaries';
import { type ManagedProcess, startProcess, waitUntil } from './processes';

const run = promisify(execFile);

/** The PostgreSQL releases the cluster accepts, newest first (Debian 12 ships 15). */
const SUPPORTED_MAJORS = [17, 16, 15];

export class PostgresUnavailableError extends Error {
  override readonly name = 'PostgresUnavailableError';
}

/** A Unix account: PostgreSQL refuses to run as root, so a root parent runs it as this user. */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

/** The folder of `initdb` and `postgres`: POSTGRES_BIN_DIR, else Debian's /usr/lib/postgresql/<major>/bin. */
export async function findPostgresBinDir(): Promise<string> {
  const explicit = process.env.POSTGRES_BIN_DIR?.trim();
  const candidates = explicit ? [explicit] : SUPPORTED_MAJORS.map((major) => `/usr/lib/postgresql/${major}/bin`);
  for (const dir of candidates) {
    if ((await isExecutable(path.join(dir, 'postgres'))) && (await isExecutable(path.join(dir, 'initdb')))) return dir;
  }
  throw new PostgresUnavailableError(
    explicit
      ? `POSTGRES_BIN_DIR=${explicit} holds no postgres and initdb.`
      : `PostgreSQL (${SUPPORTED_MAJORS.join(', ')}) is not installed: run \`apt-get install -y postgresql\` (Debian), or set POSTGRES_BIN_DIR to the folder of its postgres and initdb.`,
  );
}

/** Reads a user from /etc/passwd. */
async function lookUpUser(name: string): Promise<OsUser | undefined> {
  const passwd = await fs.readFile('/etc/passwd', 'utf8');
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid && gid) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/**
 * Who runs PostgreSQL: the current user, or when that is root, POSTGRES_OS_USER (default
 * `postgres`, which Debian's package creates).
 */
export async function postgresOsUser(): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const name = process.env.POSTGRES_OS_USER?.trim() || 'postgres';
  const user = await lookUpUser(name);
  if (!user) {
    throw new PostgresUnavailableError(
      `PostgreSQL refuses to run as root and there is no user "${name}": install Debian's postgresql package (it creates one) or set POSTGRES_OS_USER to an unprivileged user.`,
    );
  }
  return user;
}

export interface PostgresSettings {
  binDir: string;
  dataDir: string;
  host: string;
  port: number;
  /** The superuser that Temporal's schema tool and server connect as. */
  user: string;
  password: string;
  osUser?: OsUser;
}

/**
 * Creates the database cluster in `dataDir` once (password authentication on loopback TCP only,
 * no Unix socket), owned by the user that runs it. The password is kept next to it, readable
 * by its owner only; an existing cluster keeps its password.
 */
export async function initPostgres(options: { binDir: string; dataDir: string; user: string; osUser?: OsUser }): Promise<{ password: string; created: boolean }> {
  const passwordFile = `${options.dataDir}.password`;
  await fs.mkdir(path.dirname(options.dataDir), { recursive: true });
  try {
    await fs.access(path.join(options.dataDir, 'PG_VERSION'));
    return { password: (await fs.readFile(passwordFile, 'utf8')).trim(), created: false };
  } catch {
    // a new cluster
  }
  await fs.rm(options.dataDir, { recursive: true, force: true });
  await fs.mkdir(options.dataDir, { mode: 0o700 });
  const password = randomBytes(18).toString('base64url');
  await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  // initdb reads the password from a file its user can read; the file goes as soon as it is done.
  const initdbPasswordFile = path.join(options.dataDir, '..', `.initdb-password-${process.pid}`);
  await fs.writeFile(initdbPasswordFile, password, { mode: 0o600 });
  try {
    if (options.osUser) {
      await fs.chown(options.dataDir, options.osUser.uid, options.osUser.gid);
      await fs.chown(initdbPasswordFile, options.osUser.uid, options.osUser.gid);
      await assertReachable(options.dataDir, options.osUser);
    }
    await run(
      path.join(options.binDir, 'initdb'),
      ['-D', options.dataDir, '-U', options.user, `--pwfile=${initdbPasswordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-instructions'],
      { ...(options.osUser ? { uid: options.osUser.uid, gid: options.osUser.gid } : {}), timeout: 120_000 },
    );
  } catch (error) {
    await fs.rm(options.dataDir, { recursive: true, force: true });
    const detail = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr).trim() : String(error);
    throw new PostgresUnavailableError(`initdb failed in ${options.dataDir}: ${detail}`);
  } finally {
    await fs.rm(initdbPasswordFile, { force: true });
  }
  return { password, created: true };
}

/** Fails with a clear message when `user` cannot write into `dir` (a parent folder closed to others). */
async function assertReachable(dir: string, user: OsUser): Promise<void> {
  try {
    await run('test', ['-w', dir, '-a', '-x', dir], { uid: user.uid, gid: user.gid });
  } catch {
    throw new PostgresUnavailableError(
      `PostgreSQL runs as "${user.name}", which cannot reach ${dir}: open its parent folders to others (chmod o+x) or set PASSERELLE_DATA_DIR to a folder it can reach.`,
    );
  }
}

/** True when PostgreSQL accepts connections (pg_isready). */
export async function postgresReady(settings: Pick<PostgresSettings, 'binDir' | 'host' | 'port' | 'user'>): Promise<boolean> {
  try {
    await run(path.join(settings.binDir, 'pg_isready'), ['-q', '-h', settings.host, '-p', String(settings.port), '-U', settings.user, '-d', 'postgres'], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the server in the foreground as a child process (stopped with SIGINT, PostgreSQL's
 * fast shutdown) and waits until it accepts connections.
 */
export async function startPostgres(settings: PostgresSettings, output?: (line: string) => void): Promise<ManagedProcess> {
  const child = startProcess(
    'postgresql',
    path.join(settings.binDir, 'postgres'),
    [
      '-D', settings.dataDir,
      '-p', String(settings.port),
      '-c', `listen_addresses=${settings.host}`,
      '-c', 'unix_socket_directories=',
      // Four Temporal services with their own pools, and the tests' clients.
      '-c', 'max_connections=200',
      '-c', 'log_min_messages=warning',
    ],
    { output, user: settings.osUser ? { uid: settings.osUser.uid, gid: settings.osUser.gid } : undefined, stopSignal: 'SIGINT', cwd: settings.dataDir },
  );
  try {
    await waitUntil('PostgreSQL', () => postgresReady(settings), 60_000, () => child.isAlive());
  } catch (error) {
    await child.stop();
    throw error;
  }
  return child;
}
