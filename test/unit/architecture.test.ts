import path from 'node:path';
import { findBoundaryViolations, importsOf, LAYERS, readSourceFiles, type SourceFile } from '../support/import-boundaries';

const ROOT = path.join(__dirname, '..', '..');

/** A file of one import, as the checker sees it. */
function fileImporting(file: string, statement: string): SourceFile {
  return { path: file, imports: importsOf(file, statement) };
}

function rulesBroken(file: string, statement: string): string[] {
  return findBoundaryViolations([fileImporting(file, statement)]).map((violation) => violation.rule);
}

describe('the import boundaries of DESIGN.md', () => {
  it('hold for every source file of the repository', async () => {
    const files = await readSourceFiles(ROOT);
    expect(files.length).toBeGreaterThan(100);
    const folders = [...new Set(files.map((file) => file.path.split('/')[0]))];
    expect(folders.every((folder) => (LAYERS as readonly string[]).includes(folder!))).toBe(true);
    expect(folders).toEqual(expect.arrayContaining(['domain', 'workflows', 'activities', 'api', 'client', 'dashboard', 'cli', 'config', 'sim-cloud']));
    expect(findBoundaryViolations(files)).toEqual([]);
    // Parsing every source file takes seconds on a busy machine.
  }, 60_000);

  it('keep domain/ to zod and itself', () => {
    expect(rulesBroken('domain/plan.ts', "import { z } from 'zod';\nimport { waves } from './waves';")).toEqual([]);
    expect(rulesBroken('domain/plan.ts', "import { readFile } from 'node:fs';")).toHaveLength(1);
    expect(rulesBroken('domain/plan.ts', "import pino from 'pino';")).toHaveLength(1);
    expect(rulesBroken('domain/plan.ts', "import type { Config } from '../config/env';")).toHaveLength(1);
  });

  it('keep workflows/ deterministic: no Node built-in, no module outside the workflow world', () => {
    expect(rulesBroken('workflows/migration.ts', "import { sleep } from '@temporalio/workflow';\nimport type { MigrationActivities } from '../activities';")).toEqual([]);
    expect(rulesBroken('workflows/migration.ts', "import { randomUUID } from 'crypto';")).toHaveLength(1);
    expect(rulesBroken('workflows/migration.ts', "import { createActivities } from '../activities';")).toHaveLength(1);
    expect(rulesBroken('workflows/migration.ts', "import { loadConfig } from '../config/env';")).toHaveLength(1);
    expect(rulesBroken('workflows/migration.ts', "import { Client } from '@temporalio/client';")).toHaveLength(1);
    expect(rulesBroken('workflows/migration.ts', "const fs = require('fs');")).toHaveLength(1);
  });

  it('keep api/ from importing any client: cli/, dashboard/ or client/', () => {
    expect(rulesBroken('api/app.ts', "import { runCli } from '../cli/main';")).toHaveLength(1);
    expect(rulesBroken('api/app.ts', "export * from '../dashboard/i18n';")).toHaveLength(1);
    expect(rulesBroken('api/app.ts', "import type { PasserelleClient } from '../client/api-client';")).toHaveLength(1);
  });

  it('keep sim-cloud/ on the provider contract, never on activities/', () => {
    expect(rulesBroken('sim-cloud/server.ts', "import type { CloudProvider } from '../provider/types';")).toEqual([]);
    expect(rulesBroken('sim-cloud/server.ts', "import type { CloudProvider } from '../activities/provider';")).toHaveLength(1);
  });

  it('keep config/ below everything but codec/ and domain/', () => {
    expect(rulesBroken('config/env.ts', "import { parseCodecKeys } from '../codec/payload-codec';")).toEqual([]);
    expect(rulesBroken('config/env.ts', "import type { RunTuning } from '../workflows/tuning';")).toHaveLength(1);
    expect(rulesBroken('config/env.ts', "const { migrationWorkflow } = await import('../workflows');")).toHaveLength(1);
  });

  it('keep the browser code free of Node built-ins, and cli/ and api/ apart', () => {
    expect(rulesBroken('client/follow-migration.ts', "import { setTimeout } from 'node:timers/promises';")).toHaveLength(1);
    expect(rulesBroken('dashboard/main.ts', "import path from 'path';")).toHaveLength(1);
    expect(rulesBroken('cli/main.ts', "import { createApp } from '../api/app';")).toEqual([]);
    expect(rulesBroken('client/api-client.ts', "import type { PlanDryRun } from '../api/plans-router';")).toHaveLength(1);
  });
});
