/** The TTL-after-finished controller's factory (upstream name `ttl-after-finished`, --concurrent-ttl-after-finished-syncs default 5). */
import type { ControllerFactory } from '../manager';
import { TtlAfterFinishedController } from './ttl-after-finished-controller';

export const ttlAfterFinishedControllerFactory: ControllerFactory = {
  name: 'ttl-after-finished',
  workers: 5,
  build: (ctx) => new TtlAfterFinishedController(ctx),
};

export { TtlAfterFinishedController, needsCleanup, expireTime } from './ttl-after-finished-controller';
