import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { quantityString } from '../../../../src/apiserver/table/quantity';
import { formatLabelSelector, formatLabels, labelSelectorString } from '../../../../src/apiserver/table/selectors';

describe("resource.Quantity's canonical String()", () => {
  const cases: [unknown, string][] = [
    ['1Gi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['1024Mi', '1Gi'],
    ['1536', '1536'],
    ['1.5Ki', '1536'],
    ['512', '512'],
    ['0.5Ki', '512'],
    ['1.5', '1500m'],
    ['0.1', '100m'],
    ['100m', '100m'],
    ['2000', '2k'],
    ['1500', '1500'],
    ['1000000', '1M'],
    ['2000m', '2'],
    ['1e3', '1e3'],
    ['12e6', '12e6'],
    ['1000e-3', '1'],
    ['0', '0'],
    ['0Gi', '0'],
    ['-1.5', '-1500m'],
    ['0.0000000001', '1n'],
    [5, '5'],
    [undefined, '0'],
    ['not-a-quantity', 'not-a-quantity'],
  ];
  for (const [q, want] of cases) it(`${JSON.stringify(q)} → ${want}`, () => assert.equal(quantityString(q), want));

  it('canonical forms are fixed points', () => {
    const suffix = fc.constantFrom('', 'm', 'k', 'M', 'G', 'Ki', 'Mi', 'Gi', 'Ti');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100000 }), suffix, (n, s) => {
        const once = quantityString(`${n}${s}`);
        assert.equal(quantityString(once), once);
      }),
    );
  });
});

describe('labels and label selectors', () => {
  it('formatLabels sorts keys and prints <none> when empty', () => {
    assert.equal(formatLabels({ b: '2', a: '1', 'app.kubernetes.io/name': 'x' }), 'a=1,app.kubernetes.io/name=x,b=2');
    assert.equal(formatLabels({}), '<none>');
    assert.equal(formatLabels(undefined), '<none>');
  });
  it('label selectors as metav1.FormatLabelSelector prints them', () => {
    assert.equal(formatLabelSelector(undefined), '<none>');
    assert.equal(formatLabelSelector({}), '<none>');
    assert.equal(
      formatLabelSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'zone', operator: 'NotIn', values: ['us-east-1c', 'us-east-1a'] },
          { key: 'canary', operator: 'Exists' },
          { key: 'env', operator: 'In', values: ['prod'] },
        ],
      }),
      'app=web,canary,env in (prod),zone notin (us-east-1a,us-east-1c)',
    );
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), '<error>');
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), '<error>');
    assert.equal(labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), undefined);
    assert.equal(labelSelectorString({}), '');
  });
});
