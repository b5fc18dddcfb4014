/**
 * generateName as kube-apiserver 1.32 (RetryGenerateName, GA): a generated name that is taken is generated anew, up
 * to 8 attempts; when all are taken the answer is upstream's NewGenerateNameConflict — 409 AlreadyExists, "…, the
 * server was not able to generate a unique name for the object", retryAfterSeconds 1 and a Retry-After header.
 * Through the real API server in process and over HTTPS; the names' random source is made to collide.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Transport } from '../../../../src/client/transport';
import { nameRandom } from '../../../../src/apiserver/registry/meta';
import { NAME_GENERATION_ATTEMPTS } from '../../../../src/apiserver/registry/create';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';

const realInt = nameRandom.int;
/** Names from a script of 5-character suffixes (each character's index in upstream's alphabet). */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
function scriptNames(suffixes: string[]): { drawn: () => number } {
  const digits = suffixes.flatMap((s) => [...s].map((ch) => ALPHABET.indexOf(ch)));
  let drawn = 0;
  nameRandom.int = () => {
    const d = digits[drawn++];
    if (d === undefined) throw new Error('the name script ran out');
    return d;
  };
  return { drawn: () => drawn / 5 };
}

describe('generateName: retried on a taken name (RetryGenerateName)', () => {
  let c: TestCluster;
  let t: Transport;
  before(async () => {
    c = await startTestCluster();
    t = c.inProcess();
  });
  afterEach(() => {
    nameRandom.int = realInt;
  });
  after(() => c.stop());

  const create = (via: Transport = t) =>
    via.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' }, data: { a: '1' } } });

  it('a taken name is generated anew and the object is created under the first free one', async () => {
    const names = scriptNames(['bbbbb', 'bbbbb', 'bbbbb', 'ccccc']);
    assert.equal((await create()).status, 201);
    const res = await create();
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal((res.body as { metadata: { name: string } }).metadata.name, 'cm-ccccc');
    assert.equal(names.drawn(), 4, 'one name for the first, three for the second (two taken)');
  });

  it(`after ${NAME_GENERATION_ATTEMPTS} taken names: 409 AlreadyExists as upstream, with Retry-After`, async () => {
    assert.equal(NAME_GENERATION_ATTEMPTS, 8);
    scriptNames(Array.from({ length: 2 * NAME_GENERATION_ATTEMPTS }, () => 'ddddd'));
    assert.equal((await create()).status, 201);
    for (const via of [t, c.https()]) {
      const res = await create(via);
      assert.equal(res.status, 409);
      assert.deepEqual(res.body, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'configmaps "cm-ddddd" already exists, the server was not able to generate a unique name for the object',
        reason: 'AlreadyExists',
        details: { name: 'cm-ddddd', kind: 'configmaps', retryAfterSeconds: 1 },
        code: 409,
      });
      assert.equal(res.headers['retry-after'], '1');
      nameRandom.int = () => ALPHABET.indexOf('d');
    }
    const list = await t.request({ method: 'GET', path: '/api/v1/namespaces/default/configmaps' });
    assert.equal((list.body as { items: { metadata: { name: string } }[] }).items.filter((i) => i.metadata.name === 'cm-ddddd').length, 1);
  });

  it('a name given by the client is not retried: plain AlreadyExists, no Retry-After', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fixed' } };
    assert.equal((await t.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body })).status, 201);
    const res = await t.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body });
    assert.equal(res.status, 409);
    assert.equal((res.body as { message: string }).message, 'configmaps "fixed" already exists');
    assert.equal(res.headers['retry-after'], undefined);
  });
});
