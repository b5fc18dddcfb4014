/**
 * metav1.LabelSelector objects: LabelSelectorAsSelector (nil → nothing, empty → everything, upstream error texts),
 * LabelSelectorAsMap, and ValidateLabelSelector's FieldError list as it reaches a 422.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateMessage } from '../../../../src/api/field-errors';
import {
  labelSelectorAsMap,
  labelSelectorAsSelector,
  SelectorError,
  validateLabels,
  validateLabelSelector,
  type V1LabelSelector,
} from '../../../../src/api/selectors';

const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function conversionError(ps: V1LabelSelector): string {
  assert.throws(() => labelSelectorAsSelector(ps), SelectorError);
  try {
    labelSelectorAsSelector(ps);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('LabelSelectorAsSelector', () => {
  it('a nil selector selects nothing, an empty one everything', () => {
    for (const nil of [null, undefined]) {
      const s = labelSelectorAsSelector(nil);
      assert.ok(!s.matches({}) && !s.matches({ a: 'b' }) && !s.selectable && !s.empty());
    }
    for (const empty of [{}, { matchLabels: {} }, { matchExpressions: [] }, { matchLabels: {}, matchExpressions: [] }]) {
      const s = labelSelectorAsSelector(empty);
      assert.ok(s.matches({}) && s.matches({ a: 'b' }) && s.empty() && s.selectable);
    }
  });

  it('ANDs matchLabels and matchExpressions, sorted by key', () => {
    const s = labelSelectorAsSelector({
      matchLabels: { tier: 'web', app: 'nginx' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
        { key: 'owner', operator: 'Exists' },
      ],
    });
    assert.equal(s.toString(), 'app=nginx,!canary,env in (dev,prod),owner,tier=web,zone notin (b)');
    assert.ok(s.matches({ app: 'nginx', tier: 'web', env: 'dev', owner: 'x' }));
    assert.ok(!s.matches({ app: 'nginx', tier: 'web', env: 'dev', owner: 'x', canary: '' }));
    assert.ok(!s.matches({ app: 'nginx', tier: 'web', env: 'qa', owner: 'x' }));
    assert.ok(!s.matches({ app: 'nginx', tier: 'web', env: 'dev', owner: 'x', zone: 'b' }));
    assert.equal(s.requiresExactMatch('app'), 'nginx');
    // values keep their given order in the requirement; only the printed form sorts them
    assert.deepEqual([...s.requirements.find((r) => r.key === 'env')!.values], ['prod', 'dev']);
  });

  it('fails with upstream texts', () => {
    assert.equal(conversionError({ matchExpressions: [{ key: 'x', operator: 'Seriously' }] }), '"Seriously" is not a valid label selector operator');
    assert.equal(
      conversionError({ matchExpressions: [{ key: 'name', operator: 'In', values: [] }] }),
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    );
    assert.equal(
      conversionError({ matchExpressions: [{ key: 'name', operator: 'Exists', values: ['a', 'b'] }] }),
      'values: Invalid value: []string{"a", "b"}: values set must be empty for exists and does not exist',
    );
    assert.equal(conversionError({ matchLabels: { 'a b': 'x' } }), `key: Invalid value: "a b": ${NAME_PART_MSG}`);
    assert.equal(conversionError({ matchLabels: { app: 'a b' } }), `values[0][app]: Invalid value: "a b": ${LABEL_VALUE_MSG}`);
    assert.equal(
      conversionError({ matchExpressions: [{ key: '-x', operator: 'In', values: ['ok', '_bad'] }] }),
      `[key: Invalid value: "-x": ${NAME_PART_MSG}, values[1][-x]: Invalid value: "_bad": ${LABEL_VALUE_MSG}]`,
    );
  });
});

describe('LabelSelectorAsMap', () => {
  it('converts equality-only selectors and refuses the rest', () => {
    assert.equal(labelSelectorAsMap(undefined), undefined);
    assert.deepEqual(labelSelectorAsMap({ matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'In', values: ['2'] }] }), {
      a: '1',
      b: '2',
    });
    assert.throws(
      () => labelSelectorAsMap({ matchExpressions: [{ key: 'b', operator: 'In', values: ['2', '3'] }] }),
      { message: 'operator "In" without a single value cannot be converted into the old label selector format' },
    );
    assert.throws(() => labelSelectorAsMap({ matchExpressions: [{ key: 'b', operator: 'Exists' }] }), {
      message: 'operator "Exists" cannot be converted into the old label selector format',
    });
    assert.throws(() => labelSelectorAsMap({ matchExpressions: [{ key: 'b', operator: 'Nope' }] }), {
      message: '"Nope" is not a valid selector operator',
    });
  });
});

describe('ValidateLabelSelector', () => {
  it('accepts valid selectors and nil', () => {
    assert.deepEqual(validateLabelSelector(undefined, 'spec.selector'), []);
    assert.deepEqual(
      validateLabelSelector(
        { matchLabels: { 'example.com/app': 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['', 'dev'] }] },
        'spec.selector',
      ),
      [],
    );
  });

  it('reports each problem at its field path, worded as upstream', () => {
    const errs = validateLabelSelector(
      {
        matchLabels: { 'bad key': 'v', ok: 'bad value' },
        matchExpressions: [
          { key: 'a', operator: 'In', values: [] },
          { key: 'b', operator: 'Exists', values: ['x'] },
          { key: 'c', operator: 'Equals', values: ['x'] },
          { key: 'd', operator: 'In', values: ['ok', 'no way'] },
        ],
      },
      'spec.selector',
    );
    assert.deepEqual(
      errs.map((e) => [e.type, e.field]),
      [
        ['FieldValueInvalid', 'spec.selector.matchLabels'],
        ['FieldValueInvalid', 'spec.selector.matchLabels'],
        ['FieldValueRequired', 'spec.selector.matchExpressions[0].values'],
        ['FieldValueForbidden', 'spec.selector.matchExpressions[1].values'],
        ['FieldValueInvalid', 'spec.selector.matchExpressions[2].operator'],
        ['FieldValueInvalid', 'spec.selector.matchExpressions[3].values[1]'],
      ],
    );
    assert.equal(
      aggregateMessage(errs.slice(2, 5)),
      "[spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn', " +
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist', " +
        'spec.selector.matchExpressions[2].operator: Invalid value: "Equals": not a valid selector operator]',
    );
    assert.equal(aggregateMessage([errs[0]]), `spec.selector.matchLabels: Invalid value: "bad key": ${NAME_PART_MSG}`);
    assert.equal(aggregateMessage([errs[5]]), `spec.selector.matchExpressions[3].values[1]: Invalid value: "no way": ${LABEL_VALUE_MSG}`);
  });

  it('allowInvalidLabelValueInSelector skips value checks in expressions only', () => {
    const ps = { matchLabels: { a: 'b c' }, matchExpressions: [{ key: 'd', operator: 'In', values: ['no way'] }] };
    assert.equal(validateLabelSelector(ps, 's', { allowInvalidLabelValueInSelector: true }).length, 1);
    assert.equal(validateLabelSelector(ps, 's').length, 2);
  });

  it('an empty key reports both name-part messages, and long keys their length', () => {
    assert.deepEqual(
      validateLabels({ '': 'v' }, 'metadata.labels').map((e) => e.detail),
      ['name part must be non-empty', NAME_PART_MSG],
    );
    assert.deepEqual(
      validateLabels({ [`${'a'.repeat(254)}/b`]: 'v' }, 'metadata.labels').map((e) => e.detail?.slice(0, 40)),
      ['prefix part must be no more than 253 cha'],
    );
    assert.deepEqual(
      validateLabels({ '/b': 'v' }, 'metadata.labels').map((e) => e.detail),
      ['prefix part must be non-empty'],
    );
  });
});
