/**
 * Cases from upstream's own tests (k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go, the
 * apply direction: Original + TwoWay = Modified, Current + ThreeWay = Result), on upstream's test
 * type MergeItem. They pin the ordering rules, including the ones that depend on Go slice aliasing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './index.js';
import { assertPatchError, deepFreeze } from './testing/helpers.js';
import { mergeItemSchema, testRegistry } from './testing/schemas.js';

const n = (...names: Array<number | string>) => names.map((name) => ({ name }));

const cases: Array<{ name: string; original: unknown; patch: unknown; want?: unknown; error?: string }> = [
  // raw test cases
  { name: 'nested patch merge with empty list (two-way)', original: { name: 'hi' }, patch: { mergingList: [{ name: 'hello' }, { $patch: 'delete', name: 'doesntexist' }] }, want: { name: 'hi', mergingList: n('hello') } },
  { name: 'nested patch merge with empty list (three-way)', original: { name: 'hi', mergingList: n('hello2') }, patch: { '$setElementOrder/mergingList': n('hello', 'doesntexist'), mergingList: n('hello') }, want: { name: 'hi', mergingList: n('hello', 'hello2') } },
  { name: 'delete items in lists of scalars', original: { mergingIntList: [1, 2, 3, 4] }, patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] }, want: { mergingIntList: [1, 2, 4] } },
  { name: 'delete all duplicate items in lists of scalars', original: { mergingIntList: [1, 2, 3, 3, 4] }, patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] }, want: { mergingIntList: [1, 2, 4] } },
  { name: 'add and delete items in lists of scalars', original: { mergingIntList: [1, 2, 3] }, patch: { '$setElementOrder/mergingIntList': [1, 2, 4], '$deleteFromPrimitiveList/mergingIntList': [3], mergingIntList: [4] }, want: { mergingIntList: [1, 2, 4] } },
  {
    name: 'merge lists of maps',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': n(4, 1, 2, 3), mergingList: [{ name: 4, value: 4 }, { name: 3, value: 3 }] },
    want: { mergingList: [{ name: 4, value: 4 }, { name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
  },
  {
    name: 'add field to map in merging list',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': n(1, 2), mergingList: [{ name: 1, value: 1 }] },
    want: { mergingList: [{ name: 1, value: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
  },
  {
    name: 'add field to map in merging list with conflict',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 3, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': n(1, 2), mergingList: [{ name: 1, value: 1 }, { name: 2, value: 2 }] },
    want: { mergingList: [{ name: 1, value: 1, other: 'a' }, { name: 2, value: 2 }, { name: 3, value: 2, other: 'b' }] },
  },
  { name: 'delete map from merging list', original: { mergingList: [{ name: 1 }, { name: 2, other: 'b' }] }, patch: { '$setElementOrder/mergingList': n(2), mergingList: [{ name: 1, $patch: 'delete' }] }, want: { mergingList: [{ name: 2, other: 'b' }] } },
  { name: 'delete missing map from merging list with conflict', original: { mergingList: [{ name: 3, other: 'a' }] }, patch: { '$setElementOrder/mergingList': n(2), mergingList: [{ name: 2 }, { name: 1, $patch: 'delete' }] }, want: { mergingList: [{ name: 2 }, { name: 3, other: 'a' }] } },
  {
    // Depends on Go aliasing: the deletion and the append reuse the live list's backing array.
    name: 'add map and delete map from merging list',
    original: { mergingList: [{ name: 1 }, { name: 2, other: 'b' }, { name: 4, other: 'c' }] },
    patch: { '$setElementOrder/mergingList': n(2, 3), mergingList: [{ name: 3 }, { name: 1, $patch: 'delete' }] },
    want: { mergingList: [{ name: 2, other: 'b' }, { name: 4, other: 'c' }, { name: 3 }] },
  },
  // custom test cases
  { name: 'unique scalars when merging lists', original: { mergingIntList: [1, 2] }, patch: { mergingIntList: [2, 3] }, want: { mergingIntList: [1, 2, 3] } },
  { name: 'delete map from nested map', original: { simpleMap: { key1: '1', key2: '1' } }, patch: { simpleMap: { $patch: 'delete' } }, want: { simpleMap: {} } },
  { name: 'delete all items from merging list', original: { mergingList: n(1, 2) }, patch: { mergingList: [{ $patch: 'replace' }] }, want: { mergingList: [] } },
  { name: 'merge empty merging lists', original: { mergingList: [] }, patch: { mergingList: [] }, want: { mergingList: [] } },
  { name: 'delete all keys from map', original: { name: 1, value: 1 }, patch: { $patch: 'replace' }, want: {} },
  { name: 'add key and delete all keys from map', original: { name: 1, value: 1 }, patch: { other: 'a', $patch: 'replace' }, want: { other: 'a' } },
  { name: 'delete all duplicate entries in a merging list', original: { mergingList: [{ name: 1 }, { name: 1 }, { name: 2, value: 'a' }, { name: 3 }, { name: 3 }] }, patch: { mergingList: [{ name: 1, $patch: 'delete' }, { name: 3, $patch: 'delete' }] }, want: { mergingList: [{ name: 2, value: 'a' }] } },
  { name: 'retainKeys map can add a field when no retainKeys directive present', original: { retainKeysMap: { name: 'foo' } }, patch: { retainKeysMap: { value: 'bar' } }, want: { retainKeysMap: { name: 'foo', value: 'bar' } } },
  { name: 'retainKeys map can delete a field when no retainKeys directive present', original: { retainKeysMap: { name: 'foo', value: 'a' } }, patch: { retainKeysMap: { value: null } }, want: { retainKeysMap: { name: 'foo' } } },
  { name: 'retainKeys list can change a field when no retainKeys directive present', original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] }, patch: { retainKeysMergingList: [{ name: 'foo', value: 'b' }] }, want: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'b' }] } },
  {
    name: 'preserve the order from the patch in a merging list',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, other: 'x' }] },
    want: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, value: 'b', other: 'x' }] },
  },
  {
    name: 'preserve the order from the patch in a merging list 2',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }] },
    want: { mergingList: [{ name: 2, value: 'b' }, { name: 3, value: 'c' }, { name: 1, value: 'a' }] },
  },
  { name: 'preserve the order from the patch in a merging int list', original: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1, 2] }, want: { mergingIntList: [3, 1, 2] } },
  { name: 'preserve the order from the patch in a merging int list 2', original: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1] }, want: { mergingIntList: [2, 3, 1] } },
  { name: '$setElementOrder contains item that is not present in the list to be merged', original: { mergingList: n(1, 3) }, patch: { '$setElementOrder/mergingList': n(3, 2, 1), mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] }, want: { mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] } },
  { name: '$setElementOrder contains item that is not present in the int list to be merged', original: { mergingIntList: [1, 3] }, patch: { '$setElementOrder/mergingIntList': [3, 2, 1] }, want: { mergingIntList: [3, 1] } },
  { name: 'should check if order in $setElementOrder and patch list match', original: { mergingList: n(1, 3, 2) }, patch: { '$setElementOrder/mergingList': n(1, 2, 3), mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] }, error: "doesn't match" },
  { name: 'should check if order in $setElementOrder and patch int list match', original: { mergingIntList: [1, 3, 2] }, patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] }, error: "doesn't match" },
  { name: 'missing merge key should error out', original: { mergingList: [{ name: 1, value: 'a' }] }, patch: { mergingList: [{ value: 'b' }] }, error: 'does not contain declared merge key' },
  { name: '$deleteFromPrimitiveList of nonexistent item should not add the item', original: { mergingIntList: [1, 2] }, patch: { '$deleteFromPrimitiveList/mergingIntList': [3] }, want: { mergingIntList: [1, 2] } },
  { name: '$deleteFromPrimitiveList on empty primitive list should not add the item', original: { mergingIntList: null }, patch: { '$deleteFromPrimitiveList/mergingIntList': [3] }, want: { mergingIntList: null } },
  { name: '$deleteFromPrimitiveList on nonexistent primitive list should not add it', original: { foo: ['bar'] }, patch: { '$deleteFromPrimitiveList/mergingIntList': [3] }, want: { foo: ['bar'] } },
  { name: '$deleteFromPrimitiveList on a list with merge patch strategy', original: { mergingIntList: [1, 2, 3] }, patch: { '$deleteFromPrimitiveList/mergingIntList': [2] }, want: { mergingIntList: [1, 3] } },
  { name: '$deleteFromPrimitiveList on a list without merge patch strategy', original: { nonMergingIntList: [1, 2, 3] }, patch: { '$deleteFromPrimitiveList/nonMergingIntList': [2] }, want: { nonMergingIntList: [1, 3] } },
  // retainKeys raw test cases
  {
    name: 'retainKeys map changes a field in a nested map with conflict',
    original: { retainKeysMap: { name: 'foo', value: 'bar', simpleMap: { key1: 'new', key2: 'b', key3: 'c' } } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'simpleMap', 'value'], simpleMap: { key1: 'modified' } } },
    want: { retainKeysMap: { name: 'foo', value: 'bar', simpleMap: { key1: 'modified', key2: 'b', key3: 'c' } } },
  },
  {
    name: 'retainKeys map deletes nested non-merging list',
    original: { retainKeysMap: { name: 'foo', nonMergingList: n('a', 'b') } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'bar', nonMergingList: null } },
    want: { retainKeysMap: { name: 'foo', value: 'bar' } },
  },
  {
    name: 'retainKeys map nested merging int list with no change',
    original: { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 3] } },
    patch: { retainKeysMap: { $retainKeys: ['mergingIntList', 'name', 'value'], '$setElementOrder/mergingIntList': [1, 2], value: 'bar' } },
    want: { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 3], value: 'bar' } },
  },
  {
    name: 'retainKeys map adds an item in nested merging int list',
    original: { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 3] } },
    patch: { retainKeysMap: { '$setElementOrder/mergingIntList': [1, 2, 4], $retainKeys: ['mergingIntList', 'name'], mergingIntList: [4] } },
    want: { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 4, 3] } },
  },
  {
    name: 'retainKeys map adds an item and deletes an item in nested merging int list',
    original: { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 3, 4] } },
    patch: { retainKeysMap: { $retainKeys: ['mergingIntList', 'name'], mergingIntList: [5], '$deleteFromPrimitiveList/mergingIntList': [2], '$setElementOrder/mergingIntList': [1, 3, 5] } },
    want: { retainKeysMap: { name: 'foo', mergingIntList: [1, 3, 5, 4] } },
  },
  {
    name: 'retainKeys map adds an item in nested merging list',
    original: { retainKeysMap: { name: 'foo', mergingList: n('a', 'b', 'x') } },
    patch: { retainKeysMap: { $retainKeys: ['mergingList', 'name'], '$setElementOrder/mergingList': n('a', 'b', 'c'), mergingList: n('c') } },
    want: { retainKeysMap: { name: 'foo', mergingList: n('a', 'b', 'c', 'x') } },
  },
  {
    name: 'retainKeys map deletes an item in nested merging list',
    original: { retainKeysMap: { name: 'foo', mergingList: n('a', 'b', 'x') } },
    patch: { retainKeysMap: { $retainKeys: ['mergingList', 'name'], '$setElementOrder/mergingList': n('a'), mergingList: [{ name: 'b', $patch: 'delete' }] } },
    want: { retainKeysMap: { name: 'foo', mergingList: n('a', 'x') } },
  },
  {
    name: 'replacingItem (patchStrategy replace on a struct) is replaced, not merged',
    original: { replacingItem: { some: 'field', other: 'field' } },
    patch: { replacingItem: { newly: 'added' } },
    want: { replacingItem: { newly: 'added' } },
  },
  {
    name: 'Go sort.SliceStable with upstream\'s comparator reverses elements missing from an empty $setElementOrder',
    original: {},
    patch: { '$setElementOrder/mergingList': [], mergingList: n('a', 'b', 'c') },
    want: { mergingList: n('c', 'b', 'a') },
  },
];

describe('applyStrategicMergePatch: upstream strategicpatch test cases', () => {
  for (const c of cases) {
    it(c.name, () => {
      const run = () => applyStrategicMergePatch(deepFreeze(c.original), deepFreeze(c.patch), mergeItemSchema, testRegistry);
      if (c.error) assertPatchError(run, 500, new RegExp(c.error));
      else assert.deepEqual(run(), c.want);
    });
  }
});
