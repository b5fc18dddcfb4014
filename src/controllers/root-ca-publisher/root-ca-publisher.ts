/**
 * The root CA publisher (upstream root-ca-cert-publisher): every active namespace has the ConfigMap
 * `kube-root-ca.crt` holding the cluster CA (`ca.crt`) and upstream's description annotation, which the projected
 * ServiceAccount volume mounts; it is recreated when deleted and corrected when changed. Keys are namespaces.
 */
import type { CachedObject, Lister } from '../../client/informers';
import { deletedObject } from '../../client/informers';
import { isAlreadyExists, isConflict, isNamespaceTerminating, isNotFound, type ApiClient } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { R } from '../framework/resources';
import type { ControllerFactory } from '../manager';
import { namespaceActive } from '../namespace-active';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export class RootCaPublisher extends QueueController {
  private readonly namespaces: Lister;
  private readonly maps: Lister;
  private readonly client: ApiClient;

  constructor(
    ctx: ControllerContext,
    private readonly caPem: string,
  ) {
    super({ name: 'root-ca-cert-publisher', logger: ctx.logger, clock: ctx.clock });
    this.client = ctx.clientFor('root-ca-cert-publisher');
    this.namespaces = ctx.informers.listerFor(R.namespaces);
    this.maps = ctx.informers.listerFor(R.configmaps);
    const ns = (o: CachedObject) => this.enqueueKey(String(o.metadata?.name ?? ''));
    ctx.informers.informerFor(R.namespaces).addEventHandler({ onAdd: ns, onUpdate: (_o, cur) => ns(cur) });
    const cm = (o: CachedObject) => {
      if (o.metadata?.name === ROOT_CA_CONFIGMAP) this.enqueueKey(String(o.metadata?.namespace ?? ''));
    };
    ctx.informers.informerFor(R.configmaps).addEventHandler({ onUpdate: (_o, cur) => cm(cur), onDelete: (o) => cm(deletedObject(o)) });
  }

  protected async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.get('', namespace);
    if (!ns || !namespaceActive(ns)) return;
    const cm = this.maps.get(namespace, ROOT_CA_CONFIGMAP);
    const data = { 'ca.crt': this.caPem };
    try {
      if (!cm) {
        const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data };
        await this.client.create(R.configmaps, namespace, body);
        return;
      }
      const cur = cm.data as Record<string, string> | undefined;
      const annotations = cm.metadata?.annotations ?? {};
      if (cur?.['ca.crt'] === this.caPem && Object.keys(cur).length === 1 && annotations[DESCRIPTION_ANNOTATION] === DESCRIPTION) return;
      const body = structuredClone(cm) as Record<string, unknown> & { metadata: { annotations?: Record<string, string> } };
      body.data = data;
      body.metadata.annotations = { ...annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION };
      await this.client.update(R.configmaps, namespace, body);
    } catch (e) {
      // Changed, created or deleted meanwhile (the informer brings the key back), or the namespace is going away.
      if (isConflict(e) || isAlreadyExists(e) || isNotFound(e) || isNamespaceTerminating(e)) return;
      throw e;
    }
  }
}

export function rootCaPublisherFactory(caPem: string): ControllerFactory {
  return { name: 'root-ca-cert-publisher', workers: 1, build: (ctx) => new RootCaPublisher(ctx, caPem) };
}
