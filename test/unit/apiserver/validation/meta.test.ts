/** ObjectMeta validation on create and update: paths and exact upstream messages. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameIsDNSLabel, nameIsDNSSubdomain } from '../../../../src/apiserver/validation/formats';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../../src/apiserver/validation/meta';
import { texts, type Any } from './helpers';

const SUBDOMAIN_TAIL =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('ObjectMeta on create', () => {
  const cases: { name: string; meta: Any; namespaced?: boolean; want: string[] }[] = [
    { name: 'valid', meta: { name: 'web', namespace: 'default', labels: { app: 'web' } }, want: [] },
    { name: 'bad name', meta: { name: 'Bad_Name', namespace: 'default' }, want: [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_TAIL}`] },
    { name: 'no name', meta: { namespace: 'default' }, want: ['metadata.name: Required value: name or generateName is required'] },
    { name: 'generateName checked as a prefix', meta: { generateName: 'web-', name: 'web-abcde', namespace: 'default' }, want: [] },
    {
      name: 'bad generateName',
      meta: { generateName: 'Web-', name: 'web-abcde', namespace: 'default' },
      want: [`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_TAIL}`],
    },
    { name: 'namespace required', meta: { name: 'web' }, want: ['metadata.namespace: Required value'] },
    { name: 'namespace forbidden on cluster kinds', namespaced: false, meta: { name: 'n', namespace: 'x' }, want: ['metadata.namespace: Forbidden: not allowed on this type'] },
    {
      name: 'bad label value',
      meta: { name: 'web', namespace: 'default', labels: { app: 'a b' } },
      want: [
        "metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    },
    {
      name: 'annotations over 256 KiB',
      meta: { name: 'web', namespace: 'default', annotations: { big: 'x'.repeat(262144) } },
      want: ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    },
    {
      name: 'owner reference fields',
      meta: { name: 'web', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/', kind: '', name: 'x', uid: '' }] },
      want: [
        'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      ],
    },
    {
      name: 'two controllers',
      meta: {
        name: 'web',
        namespace: 'default',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
        ],
      },
      want: [
        'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1","controller":true},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"b","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
      ],
    },
    {
      name: 'finalizers',
      meta: { name: 'web', namespace: 'default', finalizers: ['foo', 'orphan', 'foregroundDeletion', 'example.com/ok'] },
      want: [
        'metadata.finalizers: Invalid value: []string{"foo", "orphan", "foregroundDeletion", "example.com/ok"}: finalizer orphan and foregroundDeletion cannot be both set',
        'metadata.finalizers[0]: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified',
      ],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const namespaced = c.namespaced ?? true;
      assert.deepEqual(texts(validateObjectMeta(c.meta, namespaced, namespaced ? nameIsDNSSubdomain : nameIsDNSLabel)), c.want);
    });
});

describe('ObjectMeta on update', () => {
  const old = { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '3', generation: 2, creationTimestamp: '2024-01-01T00:00:00Z' };
  it('needs a resourceVersion and keeps name, uid and creationTimestamp', () => {
    const n = { ...old, name: 'other', uid: 'u2', resourceVersion: '', generation: 1 };
    assert.deepEqual(texts(validateObjectMetaUpdate(n, old)), [
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      'metadata.generation: Invalid value: 1: must not be decremented',
      'metadata.name: Invalid value: "other": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
  });
  it('refuses new finalizers once deleting', () => {
    const deleting = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a.io/x'] };
    const n = { ...deleting, finalizers: ['a.io/x', 'b.io/y'] };
    assert.deepEqual(texts(validateObjectMetaUpdate(n, deleting)), [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
    ]);
  });
  it('accepts an unchanged update', () => assert.deepEqual(validateObjectMetaUpdate({ ...old }, old), []));
});
