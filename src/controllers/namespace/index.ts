/**
 * The namespace controller's ControllerFactory (upstream startNamespaceController): `namespace`, 10 workers
 * (--concurrent-namespace-syncs), writes as the ServiceAccount `namespace-controller`, namespaces read through the
 * shared informer.
 */
import { R } from '../framework/resources';
import type { ControllerFactory } from '../manager';
import { NamespaceController } from './namespace-controller';

export const NAMESPACE_SERVICE_ACCOUNT = 'namespace-controller';

export const namespaceControllerFactory: ControllerFactory = {
  name: 'namespace',
  workers: 10,
  build: (ctx) =>
    new NamespaceController({
      informer: ctx.informers.informerFor(R.namespaces),
      lister: ctx.informers.listerFor(R.namespaces),
      client: ctx.clientFor(NAMESPACE_SERVICE_ACCOUNT),
      clock: ctx.clock,
      logger: ctx.logger,
    }),
};

export { NamespaceController, NAMESPACE_DELETION_GRACE_MS } from './namespace-controller';
export { NamespacedResourcesDeleter, ResourcesRemainingError, FINALIZER_KUBERNETES } from './deleter';
export { NamespaceConditionUpdater, type NamespaceCondition } from './conditions';
