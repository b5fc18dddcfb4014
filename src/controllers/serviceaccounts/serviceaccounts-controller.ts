/**
 * The ServiceAccounts controller (upstream's serviceaccounts-controller in kube-controller-manager): every active
 * namespace has a ServiceAccount named `default`; a deleted one is created again. An API client only.
 */
import type { Logger } from '../../base/logger';
import { ObjectMirror } from '../../client/object-mirror';
import { namespaceActive } from '../namespace-active';
import type { Transport } from '../../client/transport';
import { SyncLoop } from '../sync-loop';

export class ServiceAccountsController {
  private readonly loop: SyncLoop;
  private readonly namespaces: ObjectMirror;
  private readonly accounts: ObjectMirror;

  /** `reads` lists and watches (upstream's shared informers, as system:kube-controller-manager); `t` writes, as the
   * controller's own ServiceAccount. */
  constructor(
    reads: Transport,
    private readonly t: Transport,
    logger: Logger,
  ) {
    this.loop = new SyncLoop(() => this.sync(), logger);
    const kick = () => this.loop.kick();
    this.namespaces = new ObjectMirror(reads, '/api/v1/namespaces', kick, logger);
    this.accounts = new ObjectMirror(reads, '/api/v1/serviceaccounts', kick, logger, { fieldSelector: 'metadata.name=default' });
  }

  async start(): Promise<void> {
    await Promise.all([this.namespaces.start(), this.accounts.start()]);
    this.loop.kick();
    await this.loop.idle();
  }

  idle(): Promise<void> {
    return this.loop.idle();
  }

  close(): void {
    this.namespaces.stop();
    this.accounts.stop();
    this.loop.close();
  }

  private async sync(): Promise<void> {
    for (const ns of this.namespaces.items.values()) {
      const name = ns.metadata?.name ?? '';
      if (!namespaceActive(ns) || this.accounts.items.has(`${name}/default`)) continue;
      const res = await this.t.request({
        method: 'POST',
        path: `/api/v1/namespaces/${name}/serviceaccounts`,
        body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } },
      });
      // 409: created meanwhile; 403/404: the namespace is going away. Anything else is retried.
      if (res.status >= 300 && ![403, 404, 409].includes(res.status)) throw new Error(`creating ${name}/default: ${res.status}`);
    }
  }
}
