/**
 * ConfigMap and Secret validation (create, update): keys, per-type Secret keys, the 1 MiB size limit, immutable
 * Secret type, and `immutable: true` freezing data/binaryData (and itself).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateUpdate } from '../../../../src/apiserver/validation';
import { MSG, gvk, stored, texts, variant, type Any, type CreateCase } from './helpers';

const CM = gvk('', 'ConfigMap');
const SECRET = gvk('', 'Secret');
const FROZEN = 'Forbidden: field is immutable when `immutable` is set';
const KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

const cm = (edit: (o: Any) => void = () => {}): Any => variant({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } }, CM, edit);
const secret = (edit: (o: Any) => void = () => {}): Any =>
  variant({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { a: 'eA==' } }, SECRET, edit);

describe('ConfigMap create', () => {
  const cases: CreateCase[] = [
    { name: 'valid', edit: () => {}, want: [] },
    { name: 'name is a DNS-1123 subdomain', edit: (o) => (o.metadata.name = 'My.Config'), want: [`metadata.name: Invalid value: "My.Config": ${MSG.dnsSubdomain}`] },
    {
      name: 'keys, and no key in both data and binaryData',
      edit: (o) => Object.assign(o, { data: { 'a b': '1', ok: '2' }, binaryData: { ok: 'AA==' } }),
      want: [`data[a b]: Invalid value: "a b": ${KEY_MSG}`, 'data[ok]: Invalid value: "ok": duplicate of key present in binaryData'],
    },
    { name: "keys may not be '..'", edit: (o) => (o.binaryData = { '..': 'AA==' }), want: ['binaryData[..]: Invalid value: "..": must not be \'..\''] },
    {
      name: 'at most 1 MiB in all (upstream reports the whole object, at path [])',
      edit: (o) => (o.data = { a: 'x'.repeat(600_000), b: 'y'.repeat(600_000) }),
      want: ['[]: Too long: may not be more than 1048576 bytes'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(CM, cm(c.edit))), c.want));
});

describe('Secret create', () => {
  const cases: CreateCase[] = [
    { name: 'valid', edit: () => {}, want: [] },
    { name: 'tls needs both keys', edit: (o) => Object.assign(o, { type: 'kubernetes.io/tls', data: { 'tls.crt': 'AA==' } }), want: ['data[tls.key]: Required value'] },
    {
      name: 'basic-auth needs a username or a password',
      edit: (o) => Object.assign(o, { type: 'kubernetes.io/basic-auth', data: {} }),
      want: ['data[username]: Required value', 'data[password]: Required value'],
    },
    {
      name: 'service-account-token needs the service account annotation',
      edit: (o) => (o.type = 'kubernetes.io/service-account-token'),
      want: ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    },
    {
      name: 'data at most 1 MiB',
      edit: (o) => (o.data = { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') }),
      want: ['data: Too long: may not be more than 1048576 bytes'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(SECRET, secret(c.edit))), c.want));
});

describe('ConfigMap and Secret update', () => {
  const upd = (gk: typeof CM, old: Any, edit: (o: Any) => void): string[] => {
    const n = JSON.parse(JSON.stringify(old));
    edit(n);
    return texts(validateUpdate(gk, n, old));
  };
  const frozenCM = stored(cm((o) => Object.assign(o, { immutable: true, binaryData: { b: 'AA==' } })));
  const frozenSecret = stored(secret((o) => (o.immutable = true)));
  it('a mutable ConfigMap may change its data', () => assert.deepEqual(upd(CM, stored(cm()), (o) => (o.data.a = '2')), []));
  it('immutable ConfigMap: data is frozen', () => assert.deepEqual(upd(CM, frozenCM, (o) => (o.data.a = '2')), [`data: ${FROZEN}`]));
  it('immutable ConfigMap: binaryData is frozen', () => assert.deepEqual(upd(CM, frozenCM, (o) => delete o.binaryData), [`binaryData: ${FROZEN}`]));
  it('immutable ConfigMap: immutable may not be unset', () => assert.deepEqual(upd(CM, frozenCM, (o) => (o.immutable = false)), [`immutable: ${FROZEN}`]));
  it('immutable ConfigMap: metadata may still change', () => assert.deepEqual(upd(CM, frozenCM, (o) => (o.metadata.labels = { a: 'b' })), []));
  it('immutable Secret: data is frozen', () => assert.deepEqual(upd(SECRET, frozenSecret, (o) => (o.data.a = 'eQ==')), [`data: ${FROZEN}`]));
  it('immutable Secret: immutable may not be unset', () => assert.deepEqual(upd(SECRET, frozenSecret, (o) => delete o.immutable), [`immutable: ${FROZEN}`]));
  it('a Secret may become immutable', () => assert.deepEqual(upd(SECRET, stored(secret()), (o) => (o.immutable = true)), []));
  it('Secret type is immutable, and the new type is checked', () => {
    const old = stored(variant({ metadata: { name: 's', namespace: 'default' }, stringData: { a: 'x' } }, SECRET));
    assert.equal(old.data.a, 'eA==');
    assert.deepEqual(
      upd(SECRET, old, (o) => (o.type = 'kubernetes.io/basic-auth')),
      ['type: Invalid value: "kubernetes.io/basic-auth": field is immutable', 'data[username]: Required value', 'data[password]: Required value'],
    );
  });
});
