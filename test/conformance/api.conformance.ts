/**
 * The API conformance suite: kube-apiserver 1.32 behaviour as seen by a client, run through one client Transport.
 * Every transport (in-process, HTTPS) runs the same suite against a fresh cluster, which proves they have identical
 * semantics. Expectations are upstream's (status codes, reasons, messages and details word for word), never what
 * KubeLab happens to answer. The suite uses only the Transport interface: no server internals, no storage.
 *
 *   apiConformance('https', (token) => cluster.https(token));
 *
 * `makeTransport` is called lazily (in the suite's `before` hook), so the caller may start its cluster in a
 * file-level `before`. Called with a token it must return a client that authenticates with that token; without one,
 * an admin client. Each test works in its own namespace, so tests are independent and may run in any order.
 */
import { before, describe } from 'node:test';
import type { Transport } from '../../src/client/transport';
import { Api } from '../helpers/api-assert';
import type { ApiHarness } from './api/harness';
import { basicTests } from './api/basics';
import { crdTests } from './api/crd';
import { crudTests } from './api/crud';
import { deleteTests } from './api/deletes';
import { errorTests } from './api/errors';
import { listTests } from './api/lists';
import { patchTests } from './api/patches';
import { tableTests } from './api/table';
import { updateTests } from './api/updates';
import { watchTests } from './api/watches';

class Harness implements ApiHarness {
  private client?: Api;
  private seq = 0;

  constructor(private readonly make: (token?: string) => Transport) {}

  init(): void {
    this.client = new Api(this.make());
  }

  get api(): Api {
    if (!this.client) throw new Error('the API conformance harness is used before its before() hook ran');
    return this.client;
  }

  transport(token?: string): Transport {
    return this.make(token);
  }

  async namespace(prefix = 't'): Promise<string> {
    const name = `${prefix}-${++this.seq}-${Math.random().toString(36).slice(2, 7)}`;
    await this.api.ok(this.api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), 201);
    // As Kubernetes' e2e framework does: wait for what controllers put into every namespace (the default
    // ServiceAccount, the kube-root-ca.crt ConfigMap), so tests see a settled namespace.
    for (let i = 0; i < 200; i++) {
      const sa = await this.api.get(`/api/v1/namespaces/${name}/serviceaccounts/default`);
      const ca = await this.api.get(`/api/v1/namespaces/${name}/configmaps/kube-root-ca.crt`);
      if (sa.status === 200 && ca.status === 200) return name;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`namespace ${name}: the default ServiceAccount or kube-root-ca.crt did not appear`);
  }
}

export type { ApiHarness } from './api/harness';

export function apiConformance(name: string, makeTransport: (token?: string) => Transport): void {
  describe(`API conformance (${name})`, () => {
    const h = new Harness(makeTransport);
    before(() => h.init());
    basicTests(h);
    crudTests(h);
    updateTests(h);
    patchTests(h);
    errorTests(h);
    listTests(h);
    tableTests(h);
    watchTests(h);
    deleteTests(h);
    crdTests(h);
  });
}
