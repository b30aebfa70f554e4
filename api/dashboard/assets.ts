import { promises as fs } from 'node:fs';
import path from 'node:path';

/** The hand-written static files (`index.html`, `app.css`); `npm run build` adds `app.js` to its copy. */
export const DASHBOARD_PUBLIC_DIR = path.join(__dirname, 'public');

/** The dashboard's browser entry point, TypeScript bundled by esbuild. */
export const DASHBOARD_ENTRY = path.join(__dirname, 'client', 'main.ts');

/** File name of the bundled script, next to the static files. */
export const DASHBOARD_SCRIPT_FILE = 'app.js';

/**
 * Bundles the dashboard's TypeScript for the browser into one script. esbuild comes with tsx
 * (a dependency), so the dashboard adds no package of its own.
 */
export async function bundleDashboardScript(options: { minify: boolean }): Promise<string> {
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
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no dashboard script.');
  return output.text;
}

/**
 * The dashboard script, read once: the file `npm run build` wrote next to the static files
 * when there is one (production), otherwise bundled from source at the first request, so that
 * `npm start` and the tests need no build step.
 */
export function createDashboardScriptLoader(publicDir = DASHBOARD_PUBLIC_DIR): () => Promise<string> {
  let script: Promise<string> | undefined;
  async function load(): Promise<string> {
    try {
      return await fs.readFile(path.join(publicDir, DASHBOARD_SCRIPT_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return await bundleDashboardScript({ minify: false });
    }
  }
  return () => {
    // A failed bundle is not cached, so that fixing the source and reloading is enough.
    script ??= load().catch((error: unknown) => {
      script = undefined;
      throw error;
    });
    return script;
  };
}
