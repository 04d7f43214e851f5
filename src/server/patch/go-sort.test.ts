import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goSliceStable } from './go-sort.js';

describe('goSliceStable (Go sort.SliceStable)', () => {
  it('sorts stably like Array.prototype.sort for consistent comparators, every size up to 130', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 10;
    for (let size = 0; size <= 130; size++) {
      const data = Array.from({ length: size }, (_, i) => ({ key: random(), i }));
      const want = [...data].sort((a, b) => a.key - b.key);
      goSliceStable(data, (a, b) => a.key < b.key);
      assert.deepEqual(data, want, `size ${size}`);
    }
  });
  it('an always-true comparator reverses a block (insertion sort), as strategic merge patch relies on', () => {
    const data = ['a', 'b', 'c', 'd', 'e'];
    goSliceStable(data, () => true);
    assert.deepEqual(data, ['e', 'd', 'c', 'b', 'a']);
  });
  it('an always-false comparator keeps the order', () => {
    const data = Array.from({ length: 50 }, (_, i) => i);
    goSliceStable(data, () => false);
    assert.deepEqual(data, Array.from({ length: 50 }, (_, i) => i));
  });
});
