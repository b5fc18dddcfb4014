/**
 * The kubelet's static pods and their mirror pods in the API (upstream's file config source + mirror client): it
 * keeps the static pods by "<namespace>/<name>", creates each one's mirror once the Node's uid is known, and replaces
 * a mirror that is missing, stale (another config hash) or being deleted (a user's `kubectl delete`: deleted at once
 * with grace 0 and a uid precondition, then created again). The mirror is where the static pod's status goes.
 */
import type { Logger } from '../base/logger';
import { R, isAlreadyExists, isConflict, isNotFound, type ApiClient } from '../controllers/framework';
import type { ApiPod } from './pod/pod-worker';
import { mirrorIsCurrent, mirrorPod, staticPod } from './static-pods';

export interface MirrorPodsOptions {
  nodeName: string;
  logger: Logger;
  /** The kubelet's client while it runs (undefined when stopped). */
  client(): ApiClient | undefined;
  /** The pod "<namespace>/<name>" as the kubelet's pod informer has it. */
  current(key: string): ApiPod | undefined;
}

const keyOf = (pod: ApiPod) => `${pod.metadata.namespace}/${pod.metadata.name}`;

export class MirrorPods {
  private readonly statics = new Map<string, ApiPod>();
  private nodeUid = '';

  constructor(private readonly o: MirrorPodsOptions) {}

  /** Registers the static pod of `manifest` and returns it (the kubelet runs it; its mirror follows). */
  add(manifest: Record<string, unknown>, nowMs: number): { key: string; pod: ApiPod } {
    const pod = staticPod(manifest, this.o.nodeName, nowMs);
    const key = keyOf(pod);
    this.statics.set(key, pod);
    this.sync(key);
    return { key, pod };
  }

  /** The Node's uid (the mirrors' owner) is known: every mirror can be made. */
  setNodeUid(uid: string): void {
    const first = !this.nodeUid;
    this.nodeUid = uid;
    if (first) for (const k of this.statics.keys()) this.sync(k);
  }

  /** The mirror pod of a static pod, as the API has it (undefined while it is missing or stale). */
  mirrorOf(key: string): ApiPod | undefined {
    const sp = this.statics.get(key);
    const m = this.o.current(key);
    return sp && m && mirrorIsCurrent(m, sp) ? m : undefined;
  }

  /** A mirror pod was added or changed: the static pod's uid, when its worker should publish status again. */
  onMirrorChanged(pod: ApiPod): string | undefined {
    const key = keyOf(pod);
    const sp = this.statics.get(key);
    if (!sp) return undefined;
    if (!mirrorIsCurrent(pod, sp)) {
      this.sync(key);
      return undefined;
    }
    return sp.metadata.uid;
  }

  /** A mirror pod left the API: make it again. */
  onMirrorDeleted(pod: ApiPod): void {
    this.sync(keyOf(pod));
  }

  private sync(key: string): void {
    const sp = this.statics.get(key);
    const client = this.o.client();
    if (!sp || !client || !this.nodeUid) return;
    const cur = this.o.current(key);
    if (cur && mirrorIsCurrent(cur, sp)) return;
    const [ns, name] = key.split('/');
    const owner = { name: this.o.nodeName, uid: this.nodeUid };
    void (async () => {
      try {
        // NotFound or a uid Conflict: that mirror is already gone.
        if (cur) await client.delete(R.pods, ns, name, { gracePeriodSeconds: 0, preconditions: { uid: cur.metadata.uid } }).catch((e) => (isNotFound(e) || isConflict(e) ? undefined : Promise.reject(e)));
        await client.create(R.pods, ns, mirrorPod(sp, owner));
      } catch (e) {
        if (!isAlreadyExists(e)) this.o.logger.error(`Failed creating a mirror pod for "${key}": ${(e as Error).message}`);
      }
    })();
  }
}
