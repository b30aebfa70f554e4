import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder of Passerelle's package.json, from sources (`config/`) or from a build (`dist/config/`). */
export function projectRoot(): string {
  let folder = __dirname;
  while (!existsSync(path.join(folder, 'package.json')) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  return folder;
}

/**
 * Where the built dashboard (`index.html`, `app.css`, `app.js`) is: `DASHBOARD_DIR`, or
 * `dist/dashboard` in the project. `npm run build` and `npm start` write it; the API serves it.
 */
export function dashboardDirFrom(env: { DASHBOARD_DIR?: string }): string {
  return env.DASHBOARD_DIR ? path.resolve(env.DASHBOARD_DIR) : path.join(projectRoot(), 'dist', 'dashboard');
}
