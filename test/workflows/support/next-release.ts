/**
 * The workflows of a next release, for the upgrade test (test/workflows/upgrade.test.ts):
 * today's code, except that the migration workflow's result says which release finished it,
 * behind patched() as any change that reaches running workflows must be. Bundled by the test
 * into a build of its own, hence a build id of its own.
 */
import { patched } from '@temporalio/workflow';
import type { MigrationOverview, MigrationStatus } from '../../../domain';
import { migrationWorkflow as currentMigrationWorkflow } from '../../../workflows/migration';

export { cutoverWaveWorkflow, draftingWorkflow, cleanupWorkflow } from '../../../workflows';

/** The patch of the next release: runs that reach the end of the workflow on it report it. */
export const NEXT_RELEASE_PATCH = 'next-release-result';

export async function migrationWorkflow(...args: Parameters<typeof currentMigrationWorkflow>): Promise<(MigrationOverview | MigrationStatus) & { finishedBy?: string }> {
  const result = await currentMigrationWorkflow(...args);
  return patched(NEXT_RELEASE_PATCH) ? { ...result, finishedBy: 'next-release' } : result;
}
