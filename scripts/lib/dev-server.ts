import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../workflows/search-attributes';
import { assertPortFree, type ManagedProcess, startProcess, tcpOpen, waitUntil } from './processes';

export interface DevServerOptions {
  cli: string;
  host: string;
  port: number;
  uiPort: number;
  /** SQLite file; omit for an in-memory server (tests). */
  dbFile?: string;
  headless?: boolean;
  namespace?: string;
  codecEndpoint?: string;
  /** Dynamic configuration values (`--dynamic-config-value KEY=JSON`), e.g. timer precision for tests. */
  dynamicConfig?: Record<string, unknown>;
  output?: (line: string) => void;
}

/**
 * Timers fire within a millisecond of their due time instead of the server's default second,
 * and the timer queue may be read a thousand times a second rather than twenty, so that a
 * test's accelerated waits (a gate checked every millisecond) take a few milliseconds each,
 * not some 160 (measured between TimerStarted and TimerFired on the 2-core machine).
 */
export const PRECISE_TIMERS = { 'history.timerProcessorMaxTimeShift': '1ms', 'history.timerProcessorMaxPollRPS': 1000 } as const;

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with the project's search attributes and, when a file is
 * given, SQLite persistence in WAL mode so that a restart finds every run where it was.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  await assertPortFree(options.host, options.port, 'TEMPORAL_PORT');
  if (!options.headless) await assertPortFree(options.host, options.uiPort, 'TEMPORAL_UI_PORT');
  const args = [
    'server', 'start-dev',
    '--ip', options.host,
    '--port', String(options.port),
    '--namespace', options.namespace ?? 'default',
    '--log-level', 'error',
    ...SEARCH_ATTRIBUTE_REGISTRATIONS.flatMap(({ name, cliType }) => ['--search-attribute', `${name}=${cliType}`]),
  ];
  if (options.headless) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort), '--ui-ip', options.host);
  if (options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  if (options.dbFile) {
    await fs.mkdir(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  const child = startProcess('temporal', options.cli, args, { output: options.output });
  try {
    await waitUntil('Temporal dev server', () => tcpOpen(options.host, options.port), 60_000, () => child.isAlive());
    if (!options.headless) await waitUntil('Temporal Web UI', () => tcpOpen(options.host, options.uiPort), 30_000, () => child.isAlive());
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    address: `${options.host}:${options.port}`,
    uiUrl: options.headless ? undefined : `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${options.uiPort}`,
    process: child,
    stop: () => child.stop(15_000),
  };
}
