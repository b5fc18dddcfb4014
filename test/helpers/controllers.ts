/**
 * Controllers under test: a real cluster (embedded store + API server, optionally on a FakeClock) and a controller
 * manager running only the given controllers, plus an admin ApiClient for the test's own reads and writes.
 */
import { FakeClock } from '../../src/base/clock';
import { silentLogger, type Logger } from '../../src/base/logger';
import { ApiClient, type Obj } from '../../src/controllers/framework/api-client';
import type { ResourceRef } from '../../src/client/informers';
import { startControllerManager, type ControllerFactory, type ControllerManager } from '../../src/controllers/manager';
import { startTestCluster, type TestCluster } from './apiserver';
import { waitFor } from './wait';

export interface ControllerTest {
  tc: TestCluster;
  clock: FakeClock;
  admin: ApiClient;
  manager: ControllerManager;
  /** Advances the fake clock, then lets the controllers settle. */
  advance(ms: number): Promise<void>;
  /** Resolves when the controllers are idle twice in a row (work they caused has been handled too). */
  settle(): Promise<void>;
  /** Lists `r` in `namespace` through the admin client. */
  list(r: ResourceRef, namespace?: string, query?: Record<string, string>): Promise<Obj[]>;
  /** Polls (real time) until `check` returns a truthy value; returns it. */
  until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startControllerTest(factories: readonly ControllerFactory[], opts: { clock?: FakeClock; logger?: Logger } = {}): Promise<ControllerTest> {
  const clock = opts.clock ?? new FakeClock(Date.now());
  // The cluster runs only what every cluster needs (default ServiceAccounts, root CA, RBAC aggregation); the
  // controllers under test run in a manager of their own.
  const tc = await startTestCluster({ clock });
  const admin = new ApiClient(tc.inProcess());
  let manager: ControllerManager;
  try {
    manager = await startControllerManager({ handle: (r) => tc.cluster.handle(r), controllers: factories, logger: opts.logger ?? silentLogger, clock });
  } catch (e) {
    await tc.stop();
    throw e;
  }
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await manager.idle();
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return {
    tc,
    clock,
    admin,
    manager,
    settle,
    advance: async (ms) => {
      clock.advance(ms);
      await settle();
    },
    list: async (r, namespace = '', query) => ((await admin.list(r, namespace, query)).items ?? []) as Obj[],
    until: async (check, what, timeoutMs = 10_000) => {
      const value = await waitFor(check, what, { timeoutMs });
      return value as never;
    },
    stop: async () => {
      await manager.close();
      await tc.stop();
    },
  };
}
