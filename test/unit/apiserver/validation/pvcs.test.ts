/**
 * PersistentVolumeClaim validation (create, update): access modes, the storage request (required, positive, a valid
 * quantity), volume mode, class name, selector; on update the spec is immutable except a bound claim's storage
 * request (which may grow, or shrink back no lower than status.capacity) and a once-empty volumeName.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateUpdate } from '../../../../src/apiserver/validation';
import { MSG, gvk, stored, texts, variant, type Any, type CreateCase } from './helpers';

const PVC = gvk('', 'PersistentVolumeClaim');
const IMMUTABLE = 'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n';

const pvc = (edit: (o: Any) => void = () => {}): Any =>
  variant(
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    PVC,
    edit,
  );

describe('PersistentVolumeClaim create', () => {
  const cases: CreateCase[] = [
    { name: 'valid', edit: () => {}, want: [] },
    { name: 'name is a DNS-1123 subdomain', edit: (o) => (o.metadata.name = 'Data'), want: [`metadata.name: Invalid value: "Data": ${MSG.dnsSubdomain}`] },
    {
      name: 'access modes and storage request',
      edit: (o) => Object.assign(o.spec, { accessModes: ['ReadWriteOncePod', 'ReadWriteOnce', 'RWX'], resources: { requests: { storage: '0' } } }),
      want: [
        'spec.accessModes: Unsupported value: "RWX": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
        'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
        'spec.resources[storage]: Invalid value: "0": must be greater than zero',
      ],
    },
    { name: 'an access mode is required', edit: (o) => (o.spec.accessModes = []), want: ['spec.accessModes: Required value: at least 1 access mode is required'] },
    { name: 'a storage request is required', edit: (o) => (o.spec.resources = {}), want: ['spec.resources[storage]: Required value'] },
    { name: 'negative storage', edit: (o) => (o.spec.resources.requests.storage = '-1Gi'), want: ['spec.resources[storage]: Invalid value: "-1Gi": must be greater than zero'] },
    {
      name: 'storage must be a quantity',
      edit: (o) => (o.spec.resources.requests.storage = 'lots'),
      want: ["spec.resources[storage]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    },
    { name: 'volumeMode enum', edit: (o) => (o.spec.volumeMode = 'Raw'), want: ['spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"'] },
    { name: 'storageClassName syntax', edit: (o) => (o.spec.storageClassName = 'Fast_SSD'), want: [`spec.storageClassName: Invalid value: "Fast_SSD": ${MSG.dnsSubdomain}`] },
    {
      name: 'selector operators',
      edit: (o) => (o.spec.selector = { matchExpressions: [{ key: 'tier', operator: 'Has', values: ['x'] }] }),
      want: ['spec.selector.matchExpressions[0].operator: Invalid value: "Has": not a valid selector operator'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(PVC, pvc(c.edit))), c.want));
});

describe('PersistentVolumeClaim update', () => {
  const upd = (old: Any, edit: (o: Any) => void): string[] => {
    const n = JSON.parse(JSON.stringify(old));
    edit(n);
    return texts(validateUpdate(PVC, n, old));
  };
  const unbound = stored(pvc());
  const bound = (request: string, capacity: string): Any =>
    stored(
      pvc((o) => {
        o.spec.resources.requests.storage = request;
        o.spec.volumeName = 'pv-1';
        o.status = { phase: 'Bound', capacity: { storage: capacity } };
      }),
    );
  it('the spec of an unbound claim is immutable (the diff follows the header)', () => {
    for (const edit of [(o: Any) => (o.spec.accessModes = ['ReadWriteMany']), (o: Any) => (o.spec.resources.requests.storage = '2Gi')]) {
      const errs = upd(unbound, edit);
      assert.equal(errs.length, 1);
      assert.ok(errs[0].startsWith(IMMUTABLE), errs[0]);
    }
  });
  it('a bound claim may grow', () => assert.deepEqual(upd(bound('1Gi', '1Gi'), (o) => (o.spec.resources.requests.storage = '2Gi')), []));
  it('a bound claim may not shrink to or below status.capacity', () =>
    assert.deepEqual(upd(bound('2Gi', '2Gi'), (o) => (o.spec.resources.requests.storage = '1Gi')), ['spec.resources.requests.storage: Forbidden: field can not be less than status.capacity']));
  it('a bound claim may shrink back while above status.capacity (recovery from a failed expansion)', () =>
    assert.deepEqual(upd(bound('5Gi', '1Gi'), (o) => (o.spec.resources.requests.storage = '3Gi')), []));
  it('volumeName may be set once', () => {
    assert.deepEqual(upd(unbound, (o) => (o.spec.volumeName = 'pv-9')), []);
    const errs = upd(bound('1Gi', '1Gi'), (o) => (o.spec.volumeName = 'pv-9'));
    assert.equal(errs.length, 1);
    assert.ok(errs[0].startsWith(IMMUTABLE), errs[0]);
  });
  it('volumeMode is immutable', () => {
    const errs = upd(unbound, (o) => (o.spec.volumeMode = 'Block'));
    assert.equal(errs.length, 2);
    assert.ok(errs[0].startsWith(IMMUTABLE), errs[0]);
    assert.equal(errs[1], `volumeMode: Invalid value: "Block": ${MSG.immutable}`);
  });
});
