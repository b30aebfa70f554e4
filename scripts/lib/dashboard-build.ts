import { promises as fs } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../config/paths';

/** The dashboard's sources: its TypeScript entry point and its hand-written page and style. */
const DASHBOARD_SOURCES = path.join(projectRoot(), 'dashboard');
const DASHBOARD_ENTRY = path.join(DASHBOARD_SOURCES, 'main.ts');
const DASHBOARD_PUBLIC_DIR = path.join(DASHBOARD_SOURCES, 'public');
/** The rules the classification applies, which the dashboard links to. */
const RULES_DOCUMENT = path.join(projectRoot(), 'docs', 'rules.md');

/** File name of the bundled script, next to `index.html` and `app.css`. */
export const DASHBOARD_SCRIPT_FILE = 'app.js';

/**
 * Builds the dashboard into `outDir`: its page and style copied, its TypeScript bundled for the
 * browser by esbuild (which comes with tsx, so the dashboard adds no build tool of its own),
 * and docs/rules.md, which the page links to.
 * The API serves that folder; `npm run build`, `npm start` and the browser tests call this.
 */
export async function buildDashboard(options: { outDir: string; minify: boolean }): Promise<{ scriptBytes: number }> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [DASHBOARD_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    charset: 'utf8',
    legalComments: 'none',
    minify: options.minify,
    logLevel: 'silent',
  });
  const script = result.outputFiles[0];
  if (!script) throw new Error('esbuild produced no dashboard script.');
  await fs.mkdir(options.outDir, { recursive: true });
  for (const file of await fs.readdir(DASHBOARD_PUBLIC_DIR)) {
    await fs.copyFile(path.join(DASHBOARD_PUBLIC_DIR, file), path.join(options.outDir, file));
  }
  await fs.copyFile(RULES_DOCUMENT, path.join(options.outDir, 'rules.md'));
  // Written last and renamed, so that a server reading the folder never sees half a script.
  const temporary = path.join(options.outDir, `.${DASHBOARD_SCRIPT_FILE}.${process.pid}.tmp`);
  await fs.writeFile(temporary, script.contents);
  await fs.rename(temporary, path.join(options.outDir, DASHBOARD_SCRIPT_FILE));
  return { scriptBytes: script.contents.byteLength };
}
