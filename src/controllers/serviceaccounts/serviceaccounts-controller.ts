/**
 * The ServiceAccounts controller (upstream serviceaccounts-controller): every active namespace has a ServiceAccount
 * named `default`; a deleted one is created again. Namespaces are the queue's keys: a namespace added or changed,
 * or a `default` ServiceAccount deleted, enqueues its namespace.
 */
import type { CachedObject, Lister } from '../../client/informers';
import { deletedObject } from '../../client/informers';
import { isAlreadyExists, isNamespaceTerminating, isNotFound, type ApiClient } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { R } from '../framework/resources';
import type { ControllerFactory } from '../manager';
import { namespaceActive } from '../namespace-active';

export const MANAGED_SERVICE_ACCOUNTS = ['default'];

export class ServiceAccountsController extends QueueController {
  private readonly namespaces: Lister;
  private readonly accounts: Lister;
  private readonly client: ApiClient;

  constructor(ctx: ControllerContext) {
    super({ name: 'serviceaccount', logger: ctx.logger, clock: ctx.clock });
    this.client = ctx.clientFor('service-account-controller');
    this.namespaces = ctx.informers.listerFor(R.namespaces);
    this.accounts = ctx.informers.listerFor(R.serviceaccounts);
    const byName = (ns: CachedObject) => this.enqueueKey(String(ns.metadata?.name ?? ''));
    ctx.informers.informerFor(R.namespaces).addEventHandler({ onAdd: byName, onUpdate: (_o, cur) => byName(cur) });
    ctx.informers.informerFor(R.serviceaccounts).addEventHandler({
      onDelete: (o) => {
        const sa = deletedObject(o);
        if (MANAGED_SERVICE_ACCOUNTS.includes(String(sa.metadata?.name))) this.enqueueKey(String(sa.metadata?.namespace ?? ''));
      },
    });
  }

  protected async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.get('', namespace);
    if (!ns || !namespaceActive(ns)) return;
    for (const name of MANAGED_SERVICE_ACCOUNTS) {
      if (this.accounts.get(namespace, name)) continue;
      try {
        await this.client.create(R.serviceaccounts, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
      } catch (e) {
        // Created meanwhile, or the namespace is going away: nothing to do.
        if (!isAlreadyExists(e) && !isNamespaceTerminating(e) && !isNotFound(e)) throw e;
      }
    }
  }
}

export const serviceAccountsControllerFactory: ControllerFactory = {
  name: 'serviceaccount',
  workers: 1,
  build: (ctx) => new ServiceAccountsController(ctx),
};
