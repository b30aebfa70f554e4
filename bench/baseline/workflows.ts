import { proxyActivities } from '@temporalio/workflow';
import type { BaselineActivities } from './activities';

/** The shape of a migration run's work: steps one after another, then waves of parallel workloads. */
export interface BaselineShape {
  /** Activities run one after another (analysis, the regulatory gate, provisioning). */
  sequential: number;
  /** Workloads per wave; a wave's workloads run in parallel, each as a chain of steps. */
  waves: number[];
  stepsPerWorkload: number;
}

const { doNothing } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '1m' });

/**
 * Raw Temporal, for comparison: as many no-op activities as a migration run executes, in the
 * same order and parallelism, with no child workflow, signal, query, HTTP call or state.
 * Returns how many activities it ran.
 */
export async function baselineWorkflow(shape: BaselineShape): Promise<number> {
  let executed = 0;
  for (let step = 0; step < shape.sequential; step += 1) {
    await doNothing();
    executed += 1;
  }
  for (const workloads of shape.waves) {
    await Promise.all(
      Array.from({ length: workloads }, async () => {
        for (let step = 0; step < shape.stepsPerWorkload; step += 1) {
          await doNothing();
          executed += 1;
        }
      }),
    );
  }
  return executed;
}
