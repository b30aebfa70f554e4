import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '../support/wait';

const repositoryRoot = resolve(__dirname, '../..');
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'sim-cloud-main-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function startMain(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sim-cloud/main.ts'], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', SIM_CLOUD_DATA: join(directory, 'main.db'), SIM_CLOUD_ARM_PORT: '0', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  return { child, output: () => output, exited };
}


describe('sim-cloud/main.ts', () => {
  it('serves on the configured port, logs its URL and stops cleanly on SIGTERM', async () => {
    const main = startMain({ SIM_CLOUD_PORT: '0', SIM_CLOUD_SPEEDUP: '60' });
    try {
      const url = await waitFor('sim-cloud to log its URL', () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(main.output())?.[1], { timeoutMs: 8_000, intervalMs: 50 });
      const health = await fetch(`${url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });

      main.child.kill('SIGTERM');
      await expect(main.exited).resolves.toBe(0);
      expect(main.output()).toContain('sim-cloud stopped');
    } finally {
      main.child.kill('SIGKILL');
    }
  }, 10_000);

  it('exits with a message naming the taken port and SIM_CLOUD_PORT', async () => {
    const squatter: Server = createServer();
    await new Promise<void>((resolveListen) => squatter.listen(0, '127.0.0.1', resolveListen));
    const { port } = squatter.address() as AddressInfo;
    try {
      const main = startMain({ SIM_CLOUD_PORT: String(port) });
      await expect(main.exited).resolves.toBe(1);
      expect(main.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(main.output()).toContain('SIM_CLOUD_PORT');
    } finally {
      await new Promise((resolveClose) => squatter.close(resolveClose));
    }
  }, 10_000);
});
