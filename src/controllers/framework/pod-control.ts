/**
 * PodControl (upstream controller_utils RealPodControl): builds a pod from an owner's template (labels, annotations,
 * finalizers and spec copied, `generateName: <owner>-`, the owner's controller reference) and creates or deletes it
 * through the API, recording the events upstream records on the owner: SuccessfulCreate "Created pod: <name>",
 * FailedCreate "Error creating: <message>", SuccessfulDelete "Deleted pod: <name>", FailedDelete "Error deleting: …".
 */
import { deepCopy } from '../../api/object';
import type { CachedObject } from '../../client/informers';
import type { EventRecorder } from '../../client/events';
import { isNamespaceTerminating, isNotFound, type ApiClient, type Obj } from './api-client';
import type { OwnerReference } from './controller-ref';
import { R } from './resources';

type Template = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }; spec?: unknown };

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `<name>-`, or `<name>` when the dash would not make a valid generateName prefix (upstream getPodsPrefix). */
export function podsPrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  const base = prefix.length > 253 - 5 ? prefix.slice(0, 253 - 5) : prefix;
  return DNS1123_SUBDOMAIN.test(`${base}a`) ? prefix : ownerName;
}

export function podFromTemplate(template: unknown, owner: CachedObject, controllerRef: OwnerReference | undefined): Obj {
  const t = (template ?? {}) as Template;
  const meta: Record<string, unknown> = { generateName: podsPrefix(String(owner.metadata?.name ?? '')) };
  if (t.metadata?.labels) meta.labels = { ...t.metadata.labels };
  if (t.metadata?.annotations) meta.annotations = { ...t.metadata.annotations };
  if (t.metadata?.finalizers) meta.finalizers = [...t.metadata.finalizers];
  if (controllerRef) meta.ownerReferences = [{ ...controllerRef }];
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: deepCopy(t.spec ?? {}) };
}

export class PodControl {
  constructor(
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
  ) {}

  /** Creates the pod (a template-built object, possibly with a fixed name) and records the event on `owner`. */
  async createPod(namespace: string, pod: Obj, owner: CachedObject): Promise<Obj> {
    const labels = (pod.metadata as { labels?: Record<string, string> } | undefined)?.labels;
    if (!labels || Object.keys(labels).length === 0) throw new Error('unable to create pods, no labels');
    try {
      const created = await this.client.create(R.pods, namespace, pod);
      this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${String(created.metadata?.name ?? '')}`);
      return created;
    } catch (e) {
      // A terminating namespace refuses creates: expected, not worth a Warning.
      if (!isNamespaceTerminating(e)) this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      throw e;
    }
  }

  async deletePod(namespace: string, name: string, owner: CachedObject): Promise<void> {
    try {
      await this.client.delete(R.pods, namespace, name);
      this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    } catch (e) {
      if (isNotFound(e)) throw e;
      this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
      throw e;
    }
  }
}
