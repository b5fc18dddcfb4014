import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RFC3339, RFC3339_MICRO, goTimeParseError } from '../../../../src/api/openapi/go-time';
import { createFieldValidator } from '../../../../src/api/openapi/field-validator';
import { schemaResolver } from '../../../../src/api/openapi/resolver';

describe("Go's time.Parse errors for metav1.Time and MicroTime", () => {
  const cases: [string, string, string | undefined][] = [
    [RFC3339, '2024-01-01T00:00:00Z', undefined],
    [RFC3339, '2024-02-29T23:59:59+05:30', undefined],
    [RFC3339, '2024-01-01T00:00:00.123Z', undefined],
    [RFC3339, '2024-01-01T00:00:00,5-07:00', undefined],
    [RFC3339, 'abc', 'parsing time "abc" as "2006-01-02T15:04:05Z07:00": cannot parse "abc" as "2006"'],
    [RFC3339, '2024-01-01', 'parsing time "2024-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"'],
    [RFC3339, '2024-1-01T00:00:00Z', 'parsing time "2024-1-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "1-01T00:00:00Z" as "01"'],
    [RFC3339, '2024-13-01T00:00:00Z', 'parsing time "2024-13-01T00:00:00Z": month out of range'],
    [RFC3339, '2023-02-29T00:00:00Z', 'parsing time "2023-02-29T00:00:00Z": day out of range'],
    [RFC3339, '2024-01-01T24:00:00Z', 'parsing time "2024-01-01T24:00:00Z": hour out of range'],
    [RFC3339, '2024-01-01T00:00:00', 'parsing time "2024-01-01T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"'],
    [RFC3339, '2024-01-01T00:00:00Zjunk', 'parsing time "2024-01-01T00:00:00Zjunk": extra text: "junk"'],
    [RFC3339_MICRO, '2024-01-01T00:00:00.123456Z', undefined],
    [RFC3339_MICRO, '2024-01-01T00:00:00Z', 'parsing time "2024-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"'],
    [RFC3339_MICRO, '2024-01-01T00:00:00.123Z', 'parsing time "2024-01-01T00:00:00.123Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".123Z" as ".000000"'],
  ];
  for (const [layout, value, expected] of cases) it(`${layout} ${value}`, () => assert.equal(goTimeParseError(layout, value), expected));

  it('is what decoding a Pod or a Lease reports', () => {
    const v = createFieldValidator(schemaResolver());
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', creationTimestamp: 'yesterday' } };
    assert.equal(v.validate({ group: '', version: 'v1', kind: 'Pod' }, pod).decodeError, 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"');
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { renewTime: '2024-01-01T00:00:00.000Z' } };
    assert.match(v.validate({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }, lease).decodeError ?? '', /cannot parse "\.000Z" as "\.000000"$/);
    lease.spec.renewTime = '2024-01-01T00:00:00.000000Z';
    assert.deepEqual(v.validate({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }, lease).errors, []);
  });
});
