/** Every workflow the worker registers; the bundler starts here. */
export { migrationWorkflow } from './migration';
export { cutoverWaveWorkflow } from './cutover-wave';
export { draftingWorkflow } from './drafting';
export { cleanupWorkflow } from './cleanup';
export { batchWorkflow } from './batch';
