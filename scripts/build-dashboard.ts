import path from 'node:path';
import { parseArgs } from 'node:util';
import { dashboardDirFrom } from '../config/paths';
import { buildDashboard, DASHBOARD_SCRIPT_FILE } from './lib/dashboard-build';

/**
 * `npm run build`, last step (and `npm run build:dashboard`): the dashboard's page, style and
 * minified script into DASHBOARD_DIR (dist/dashboard by default), where the API serves them.
 * `--dev` skips minification.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dev: { type: 'boolean', default: false } } });
  const outDir = dashboardDirFrom(process.env);
  const { scriptBytes } = await buildDashboard({ outDir, minify: !values.dev });
  process.stdout.write(`Dashboard written to ${path.relative(process.cwd(), outDir) || '.'} (${DASHBOARD_SCRIPT_FILE}: ${(scriptBytes / 1024).toFixed(1)} KiB)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Dashboard build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
