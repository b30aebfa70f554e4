import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** A port that another program already holds; the message names the setting that moves ours. */
export class PortTakenError extends Error {
  override readonly name = 'PortTakenError';
}

/** Fails with a PortTakenError naming `variable` when host:port cannot be bound. */
export async function assertPortFree(host: string, port: number, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortTakenError(`Port ${port} on ${host} is already in use (set ${variable} to another port, or stop what holds it: \`lsof -i :${port}\`).`)
          : error,
      );
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** A free TCP port on the loopback interface, for tests and ephemeral servers. */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls until `probe` resolves true, or throws after `timeoutMs` with `what` in the message. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, isAlive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (isAlive && !isAlive()) throw new Error(`${what}: the process exited before it was ready`);
    try {
      if (await probe()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${Math.round(timeoutMs / 1000)} s`);
    await delay(150);
  }
}

/** Resolves true when GET url answers 2xx. */
export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  return response.ok;
}

/** Resolves true when a TCP connection to host:port opens. */
export async function tcpOpen(host: string, port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  isAlive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`: never leaves the child behind. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns a child in its own process group so that stopping it also stops anything it spawned,
 * and prefixes its output lines with its name.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    output?: (line: string) => void;
    ipc?: boolean;
    /** Another user to run as (a root parent starting PostgreSQL, which refuses root). */
    user?: { uid: number; gid: number };
    /** The signal that asks for a graceful stop (PostgreSQL's fast shutdown is SIGINT). */
    stopSignal?: NodeJS.Signals;
  } = {},
): ManagedProcess {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    detached: true,
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const output = options.output;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      if (output) for (const line of lines) if (line.trim()) output(line);
    });
  }
  let alive = true;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      alive = false;
      resolve(code ?? (signal ? 128 : null));
    });
    child.once('error', () => {
      alive = false;
      resolve(1);
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  return {
    name,
    child,
    exited,
    isAlive: () => alive,
    async stop(graceMs = 10_000) {
      if (!alive) {
        signalGroup('SIGKILL');
        return;
      }
      signalGroup(options.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Grandchildren that outlived their parent go too.
      signalGroup('SIGKILL');
    },
  };
}

/** Runs a TypeScript entry point in one Node process with an IPC channel (no tsx wrapper, so signals reach it). */
export function startTypeScriptProcess(name: string, entry: string, options: { root: string; env: NodeJS.ProcessEnv; output?: (line: string) => void }): ManagedProcess {
  return startProcess(name, process.execPath, ['--import', 'tsx', path.join(options.root, entry)], {
    env: options.env,
    cwd: options.root,
    ipc: true,
    output: options.output,
  });
}

/** Waits for the `{ type: 'ready' }` message a child sends over IPC (the worker, once polling); fails if it exits first. */
export async function waitForReadyMessage(child: ManagedProcess, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name}: not ready after ${timeoutMs / 1000} s`)), timeoutMs);
    child.child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited with code ${code} before it was ready`));
    });
  });
}

/** How a command that runs processes in the foreground (`npm start`, `npm run cluster`) stops them. */
export interface Supervisor {
  /** Stops everything once, then exits with `exitCode`. */
  stopAll(exitCode: number): Promise<never>;
  /** Stops everything when `child` exits while nothing is stopping, unless `replaced()` says a restart took its place. */
  watch(child: ManagedProcess, replaced?: () => boolean): void;
  /** Runs `main`; if it fails, says why after `failure` and stops everything. */
  run(main: () => Promise<void>, failure: string): void;
}

/**
 * Supervises a foreground command's processes: Ctrl-C or SIGTERM stops them all through `stop`,
 * so does an unexpected exit of any of them, and nothing is left running.
 */
export function superviseForeground({ what, stop, say }: { what: string; stop: () => Promise<void>; say: (line: string) => void }): Supervisor {
  let stopping = false;
  const stopAll = async (exitCode: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      say(`\nStopping ${what}…`);
      await stop();
      say('Stopped.');
    }
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  return {
    stopAll,
    watch(child, replaced = () => false) {
      void child.exited.then((code) => {
        if (stopping || replaced()) return;
        say(`${child.name} exited unexpectedly (code ${code}); stopping everything.`);
        void stopAll(1);
      });
    },
    run(main, failure) {
      main().catch(async (error: unknown) => {
        process.stderr.write(`\n${failure}: ${error instanceof Error ? error.message : String(error)}\n`);
        await stopAll(1);
      });
    },
  };
}
