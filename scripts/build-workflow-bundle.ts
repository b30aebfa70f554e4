import { promises as fs } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DEFAULT_WORKFLOW_BUNDLE, WORKFLOW_BUNDLE_OPTIONS } from '../worker/worker';

/** `npm run build`: the ahead-of-time workflow bundle that production workers load. */
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode(WORKFLOW_BUNDLE_OPTIONS);
  const target = process.env.WORKFLOW_BUNDLE_PATH ?? DEFAULT_WORKFLOW_BUNDLE;
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, code);
  process.stdout.write(`Workflow bundle written to ${path.relative(process.cwd(), target)} (${Math.round(code.length / 1024)} KiB)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
