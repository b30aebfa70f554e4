import { promises as fs } from 'node:fs';
import path from 'node:path';
import { bundleDashboardScript, DASHBOARD_PUBLIC_DIR, DASHBOARD_SCRIPT_FILE } from '../api/dashboard/assets';

/** Where the compiled dashboard router (dist/api/dashboard/router.js) looks for its files. */
const OUTPUT_DIR = path.resolve(__dirname, '..', 'dist', 'api', 'dashboard', 'public');

/**
 * `npm run build`, last step: the dashboard's page and style, and its TypeScript bundled and
 * minified by esbuild, next to the compiled router, which then serves them without building.
 */
async function main(): Promise<void> {
  await fs.mkdir(OUTPUT_DIR, { recursive: true });
  for (const file of await fs.readdir(DASHBOARD_PUBLIC_DIR)) {
    if (file !== DASHBOARD_SCRIPT_FILE) await fs.copyFile(path.join(DASHBOARD_PUBLIC_DIR, file), path.join(OUTPUT_DIR, file));
  }
  const script = await bundleDashboardScript({ minify: true });
  await fs.writeFile(path.join(OUTPUT_DIR, DASHBOARD_SCRIPT_FILE), script);
  process.stdout.write(`Dashboard written to ${path.relative(process.cwd(), OUTPUT_DIR)} (${DASHBOARD_SCRIPT_FILE}: ${(script.length / 1024).toFixed(1)} KiB)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Dashboard build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
