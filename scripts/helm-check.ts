import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureGoTool, ensureRepoGoProgram, type GoTool } from './lib/go-binaries';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const CHART = path.join(ROOT, 'deploy', 'helm', 'passerelle');
const VALIDATOR_SOURCE = path.join(ROOT, 'deploy', 'helm', 'validate');

/** The Kubernetes release the chart is rendered for: the one whose API types (k8s.io/api v0.37) the validator decodes into. */
const KUBERNETES_VERSION = '1.37.0';

/** The Helm release the chart is checked with. */
export const HELM: GoTool = { name: 'helm', packagePath: 'helm.sh/helm/v3/cmd/helm', version: 'v3.22.0', binary: 'helm', npmScript: 'helm:check' };

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Pipes `input` into the validator; resolves with its output, rejects with it when it refuses an object. */
async function validate(validator: string, input: string, label: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const child = spawn(validator, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${label}: the rendered objects are not valid Kubernetes objects:\n${output}`))));
    child.stdin.end(input);
  });
}

/**
 * `npm run helm:check`: `helm lint` and `helm template` of the chart for every value set in
 * its ci/ folder, each rendered object decoded strictly into the Kubernetes API types
 * (unknown fields refused) by deploy/helm/validate. Helm and the validator are built with Go
 * into the cache, once.
 */
async function main(): Promise<void> {
  const helm = await ensureGoTool(HELM, log);
  const validator = await ensureRepoGoProgram('passerelle-k8s-validate', VALIDATOR_SOURCE, log);
  // Every install must set keys and an issuer, so the chart is checked with its ci/ value sets, not bare.
  // The validator must refuse what the API server would: a misspelt field in an otherwise valid object.
  const misspelt = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: probe\nspec:\n  replicass: 2\n';
  const refusal = await validate(validator, misspelt, 'probe').then(
    () => undefined,
    (error: Error) => error.message,
  );
  if (!refusal?.includes('unknown field "spec.replicass"')) throw new Error(`The validator accepted a Deployment with an unknown field (${refusal ?? 'no error'}).`);
  const valueSets = (await fs.readdir(path.join(CHART, 'ci'))).filter((file) => file.endsWith('.yaml')).sort();
  for (const valueSet of valueSets) {
    const label = valueSet;
    const valuesArgs = ['-f', path.join(CHART, 'ci', valueSet)];
    await run(helm, ['lint', '--strict', '--kube-version', KUBERNETES_VERSION, CHART, ...valuesArgs], { maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`helm lint (${label}) failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    const { stdout } = await run(helm, ['template', 'passerelle', CHART, '--namespace', 'passerelle', '--kube-version', KUBERNETES_VERSION, ...valuesArgs], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string }) => {
        throw new Error(`helm template (${label}) failed:\n${error.stderr ?? ''}`);
      },
    );
    process.stdout.write(`${label}: lint ok; ${(await validate(validator, stdout, label)).trim()}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
