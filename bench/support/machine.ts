import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { TEMPORAL_CLI_VERSION } from '../../scripts/lib/temporal-cli';

/** The machine a result was measured on, written with every result so that figures compare. */
export interface MachineDescription {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  temporalCli: string;
  temporalSdk: string;
  /** One-minute load average when the benchmark started: other work on the machine skews figures. */
  loadAverageAtStart: number;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((entry) => entry.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

function temporalCliVersion(cli: string): string {
  try {
    // A CLI built from source calls itself 0.0.0-DEV; the embedded server and UI versions are what matter.
    const embedded = /\((.*)\)/.exec(execFileSync(cli, ['--version'], { encoding: 'utf8' }))?.[1];
    return `v${TEMPORAL_CLI_VERSION}${embedded ? ` (${embedded})` : ''}`;
  } catch {
    return `v${TEMPORAL_CLI_VERSION}`;
  }
}

/** Describes this machine: CPU count and model, memory, OS, Node, the Temporal CLI and SDK versions. */
export function describeMachine(cli: string): MachineDescription {
  const sdk = JSON.parse(readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as { version: string };
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    temporalCli: temporalCliVersion(cli),
    temporalSdk: sdk.version,
    loadAverageAtStart: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}
