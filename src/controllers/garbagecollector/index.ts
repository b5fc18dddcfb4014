/**
 * The garbage collector's ControllerFactory (upstream startGarbageCollectorController): `garbage-collector`, 20
 * workers per queue (--concurrent-gc-syncs), writes and discovery as the ServiceAccount `generic-garbage-collector`,
 * Events (OwnerRefInvalidNamespace) from the component `garbage-collector-controller`.
 */
import type { ControllerFactory } from '../manager';
import { GarbageCollector } from './garbage-collector';

export const GC_SERVICE_ACCOUNT = 'generic-garbage-collector';

export const garbageCollectorControllerFactory: ControllerFactory = {
  name: 'garbage-collector',
  workers: 20,
  build: (ctx) =>
    new GarbageCollector({
      client: ctx.clientFor(GC_SERVICE_ACCOUNT),
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('garbage-collector-controller', GC_SERVICE_ACCOUNT),
    }),
};

export { GarbageCollector, deletableResources, GC_SYNC_PERIOD_MS } from './garbage-collector';
