/** Key-group arithmetic against SEMANTICS.md §5.2 (Flink KeyGroupRangeAssignment). */
import {
  checkKeyGroup,
  checkMaxParallelism,
  checkParallelism,
  defaultMaxParallelism,
  keyGroupRange,
  operatorIndexForKeyGroup,
} from '../../src/state/key-groups.ts';
import { deepEqual, equal, throws } from './assert.ts';
import { defineSuite } from './harness.ts';

function ranges(maxParallelism: number, parallelism: number): number[][] {
  return Array.from({ length: parallelism }, (_, i) => {
    const { start, end } = keyGroupRange(maxParallelism, parallelism, i);
    return [start, end];
  });
}

export default defineSuite('key groups', (it) => {
  it('ranges for maxParallelism 128 are those of SEMANTICS.md §5.2', () => {
    deepEqual(ranges(128, 2), [
      [0, 63],
      [64, 127],
    ]);
    deepEqual(ranges(128, 3), [
      [0, 42],
      [43, 85],
      [86, 127],
    ]);
    deepEqual(ranges(128, 4), [
      [0, 31],
      [32, 63],
      [64, 95],
      [96, 127],
    ]);
  });

  it('rescaling 3 → 4: new subtask 1 reads 32–42 from old subtask 0 and 43–63 from old subtask 1', () => {
    const { start, end } = keyGroupRange(128, 4, 1);
    const sources = new Map<number, number[]>();
    for (let keyGroup = start; keyGroup <= end; keyGroup++) {
      const old = operatorIndexForKeyGroup(128, 3, keyGroup);
      sources.set(old, [...(sources.get(old) ?? []), keyGroup]);
    }
    deepEqual(
      [...sources].map(([old, groups]) => [old, groups[0], groups[groups.length - 1]]),
      [
        [0, 32, 42],
        [1, 43, 63],
      ],
    );
  });

  it('operator index of every key group agrees with the ranges (p 1..10, maxP 128, 256, 4096)', () => {
    for (const maxParallelism of [128, 256, 4096]) {
      for (let parallelism = 1; parallelism <= 10; parallelism++) {
        let next = 0; // ranges must tile 0..maxP-1 in order, without gaps or overlaps
        for (let index = 0; index < parallelism; index++) {
          const { start, end } = keyGroupRange(maxParallelism, parallelism, index);
          const where = `maxP ${maxParallelism}, p ${parallelism}, index ${index}`;
          equal(start, next, `${where}: range start`);
          equal(end >= start, true, `${where}: range not empty`);
          for (let keyGroup = start; keyGroup <= end; keyGroup++) {
            equal(operatorIndexForKeyGroup(maxParallelism, parallelism, keyGroup), index, `${where}, kg ${keyGroup}`);
          }
          next = end + 1;
        }
        equal(next, maxParallelism, `maxP ${maxParallelism}, p ${parallelism}: ranges cover every key group`);
      }
    }
  });

  it('operator index is integer division keyGroup * p / maxP', () => {
    equal(operatorIndexForKeyGroup(128, 3, 42), 0);
    equal(operatorIndexForKeyGroup(128, 3, 43), 1);
    equal(operatorIndexForKeyGroup(128, 3, 127), 2);
    equal(operatorIndexForKeyGroup(32768, 32768, 32767), 32767);
    equal(operatorIndexForKeyGroup(32768, 7, 32767), 6);
  });

  it('default max parallelism: 128 up to p = 85, then the next power of two of 1.5p, at most 32768', () => {
    equal(defaultMaxParallelism(1), 128);
    equal(defaultMaxParallelism(85), 128);
    equal(defaultMaxParallelism(86), 256);
    equal(defaultMaxParallelism(170), 256);
    equal(defaultMaxParallelism(171), 256);
    equal(defaultMaxParallelism(172), 512);
    equal(defaultMaxParallelism(21845), 32768);
    equal(defaultMaxParallelism(30000), 32768);
    equal(defaultMaxParallelism(32768), 32768);
    throws(() => defaultMaxParallelism(0), /^parallelism \(0\) must be an integer in 1\.\.32768$/);
    throws(() => defaultMaxParallelism(32769), /^parallelism \(32769\) must be an integer in 1\.\.32768$/);
  });

  it('validation errors are RangeErrors naming the parameter and the rule', () => {
    const exceeds = throws(
      () => keyGroupRange(128, 200, 0),
      /^parallelism \(200\) must not exceed maxParallelism \(128\)$/,
    );
    equal(exceeds.name, 'RangeError');
    throws(() => keyGroupRange(0, 1, 0), /^maxParallelism \(0\) must be an integer in 1\.\.32768$/);
    throws(() => keyGroupRange(32769, 1, 0), /^maxParallelism \(32769\) must be an integer in 1\.\.32768$/);
    throws(() => keyGroupRange(128, 2.5, 0), /^parallelism \(2\.5\) must be an integer/);
    throws(() => keyGroupRange(128, 4, 4), /^operator index \(4\) must be an integer in 0\.\.parallelism-1 \(3\)$/);
    throws(() => keyGroupRange(128, 4, -1), /^operator index \(-1\)/);
    throws(() => checkMaxParallelism(NaN), /^maxParallelism \(NaN\) must be an integer in 1\.\.32768$/);
    throws(() => checkParallelism(3, 2, "parallelism of 'map'"), /^parallelism of 'map' \(3\) must not exceed/);
    throws(() => checkParallelism(0, undefined, "parallelism of 'map'"), /^parallelism of 'map' \(0\) must be/);
    throws(() => checkParallelism(1, 0), /^maxParallelism \(0\)/);
    throws(() => checkKeyGroup(128, 128), /^keyGroup \(128\) must be an integer in 0\.\.maxParallelism-1 \(127\)$/);
    checkParallelism(128, 128);
    checkParallelism(32768);
    checkKeyGroup(0, 1);
  });
});
