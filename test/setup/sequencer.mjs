/**
 * Jest's order, with the longest file first: the two-year wait at the regulatory gate
 * (test/workflows/long-wait.test.ts) keeps one of the two jest workers for most of `npm test`
 * while the other runs everything else. Jest would otherwise start it by its size, near the end,
 * and add its whole length to the run.
 */
import Sequencer from '@jest/test-sequencer';

const FIRST = /[\\/]test[\\/]workflows[\\/]long-wait\.test\.ts$/;

export default class LongestFirst extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    return [...sorted.filter((test) => FIRST.test(test.path)), ...sorted.filter((test) => !FIRST.test(test.path))];
  }
}
