import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { aggregatedRules, sameRules } from './aggregation.js';

const hammer = [{ verbs: ['hammer'], resources: ['nails'] }, { verbs: ['hammer'], resources: ['wedges'] }];
const chisel = [{ verbs: ['chisel'], resources: ['mortises'] }];
const saw = [{ verbs: ['saw'], resources: ['boards'] }];

const role = (name: string, labels: Record<string, string>, rules: unknown[]): KubeObject => ({ metadata: { name, labels }, rules });
const combined = (selectors: unknown[], ...rules: unknown[][]): KubeObject => ({
  metadata: { name: 'combined' },
  aggregationRule: { clusterRoleSelectors: selectors },
  rules: rules.flat(),
});
const fooBar = { matchLabels: { foo: 'bar' } };
const fooNotBar = { matchLabels: { foo: 'not-bar' } };

describe('aggregatedRules (upstream TestSyncClusterRole)', () => {
  const cases: { name: string; roles: KubeObject[]; sync?: KubeObject; want: unknown[] | undefined }[] = [
    { name: 'remove dead rules', roles: [role('hammer', { foo: 'bar' }, hammer), combined([fooBar], saw)], want: hammer },
    { name: 'strip rules', roles: [role('hammer', { foo: 'not-bar' }, hammer), combined([fooBar], hammer)], want: [] },
    {
      name: 'select properly and put in order',
      roles: [role('hammer', { foo: 'bar' }, hammer), role('chisel', { foo: 'bar' }, chisel), role('saw', { foo: 'not-bar' }, saw), combined([fooBar])],
      want: [...chisel, ...hammer],
    },
    {
      name: 'select properly with multiple selectors',
      roles: [role('hammer', { foo: 'bar' }, hammer), role('chisel', { foo: 'bar' }, chisel), role('saw', { foo: 'not-bar' }, saw), combined([fooBar, fooNotBar])],
      want: [...chisel, ...hammer, ...saw],
    },
    {
      name: 'selector order before name order',
      roles: [role('a-saw', { foo: 'not-bar' }, saw), role('z-hammer', { foo: 'bar' }, hammer), combined([fooBar, fooNotBar])],
      want: [...hammer, ...saw],
    },
    {
      name: 'select properly remove duplicates',
      roles: [
        role('hammer', { foo: 'bar' }, hammer),
        role('chisel', { foo: 'bar' }, chisel),
        role('saw', { foo: 'bar' }, saw),
        role('other-saw', { foo: 'not-bar' }, saw),
        combined([fooBar, fooNotBar]),
      ],
      want: [...chisel, ...hammer, ...saw],
    },
    {
      name: 'a role matched by two selectors counts once, at its first',
      roles: [role('hammer', { foo: 'bar', tool: 'yes' }, hammer), role('chisel', { tool: 'yes' }, chisel), combined([fooBar, { matchLabels: { tool: 'yes' } }])],
      want: [...hammer, ...chisel],
    },
    { name: 'no diff skip', roles: [role('hammer', { foo: 'bar' }, hammer), combined([fooBar], hammer)], want: undefined },
    {
      name: 'empty lists equal absent ones (equality.Semantic), also for duplicates',
      roles: [role('a', { foo: 'bar' }, [{ verbs: ['get'], resources: ['pods'], resourceNames: [] }]), role('b', { foo: 'bar' }, [{ resources: ['pods'], verbs: ['get'] }]), combined([fooBar], [{ verbs: ['get'], resources: ['pods'] }])],
      want: undefined,
    },
    { name: 'never aggregates itself', roles: [{ ...combined([fooBar]), metadata: { name: 'combined', labels: { foo: 'bar' } } }], want: undefined },
    { name: 'a role without aggregationRule is not aggregated', roles: [role('hammer', { foo: 'bar' }, hammer)], sync: role('plain', {}, saw), want: undefined },
    {
      name: 'matchExpressions select too',
      roles: [role('hammer', { foo: 'bar' }, hammer), role('saw', { foo: 'baz' }, saw), combined([{ matchExpressions: [{ key: 'foo', operator: 'In', values: ['baz'] }] }])],
      want: saw,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const target = c.sync ?? c.roles.find((r) => r.metadata.name === 'combined')!;
      assert.deepEqual(aggregatedRules(target, c.roles), c.want);
    });
  }

  it('returns copies, never the inputs', () => {
    const source = role('hammer', { foo: 'bar' }, hammer);
    const rules = aggregatedRules(combined([fooBar]), [source])!;
    (rules[0] as { verbs: string[] }).verbs.push('x');
    assert.deepEqual(source.rules, hammer);
  });
});

describe('sameRules', () => {
  const cases: { a: unknown; b: unknown; want: boolean }[] = [
    { a: undefined, b: [], want: true },
    { a: [{ verbs: ['get'], apiGroups: [] }], b: [{ verbs: ['get'] }], want: true },
    { a: [{ verbs: ['get'], resources: ['a'] }], b: [{ resources: ['a'], verbs: ['get'] }], want: true },
    { a: [...chisel, ...hammer], b: [...hammer, ...chisel], want: false },
    { a: hammer, b: hammer.slice(1), want: false },
  ];
  for (const c of cases) it(`${JSON.stringify(c.a)} vs ${JSON.stringify(c.b)}`, () => assert.equal(sameRules(c.a, c.b), c.want));
});
