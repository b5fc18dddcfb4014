/**
 * The root CA publisher (upstream's root-ca-cert-publisher): every active namespace has the ConfigMap
 * `kube-root-ca.crt` holding the cluster CA (`ca.crt`), which the projected ServiceAccount volume mounts; it is
 * recreated when deleted and corrected when changed. An API client only.
 */
import type { Logger } from '../../base/logger';
import { ObjectMirror } from '../../client/object-mirror';
import { namespaceActive } from '../namespace-active';
import type { Transport } from '../../client/transport';
import { SyncLoop } from '../sync-loop';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export class RootCaPublisher {
  private readonly loop: SyncLoop;
  private readonly namespaces: ObjectMirror;
  private readonly maps: ObjectMirror;

  /** `reads` lists and watches (upstream's shared informers, as system:kube-controller-manager); `t` writes, as the
   * controller's own ServiceAccount. */
  constructor(
    reads: Transport,
    private readonly t: Transport,
    private readonly caPem: string,
    logger: Logger,
  ) {
    this.loop = new SyncLoop(() => this.sync(), logger);
    const kick = () => this.loop.kick();
    this.namespaces = new ObjectMirror(reads, '/api/v1/namespaces', kick, logger);
    this.maps = new ObjectMirror(reads, '/api/v1/configmaps', kick, logger, { fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` });
  }

  async start(): Promise<void> {
    await Promise.all([this.namespaces.start(), this.maps.start()]);
    this.loop.kick();
    await this.loop.idle();
  }

  idle(): Promise<void> {
    return this.loop.idle();
  }

  close(): void {
    this.namespaces.stop();
    this.maps.stop();
    this.loop.close();
  }

  private async sync(): Promise<void> {
    for (const ns of this.namespaces.items.values()) {
      const name = ns.metadata?.name ?? '';
      if (!namespaceActive(ns)) continue;
      const cm = this.maps.items.get(`${name}/${ROOT_CA_CONFIGMAP}`);
      const want = { 'ca.crt': this.caPem };
      const annotations = { 'kubernetes.io/description': DESCRIPTION };
      const path = `/api/v1/namespaces/${name}/configmaps`;
      let status: number;
      if (!cm) {
        status = (await this.t.request({ method: 'POST', path, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, annotations }, data: want } })).status;
      } else if ((cm.data as Record<string, string> | undefined)?.['ca.crt'] !== this.caPem) {
        const body = { ...cm, data: want };
        status = (await this.t.request({ method: 'PUT', path: `${path}/${ROOT_CA_CONFIGMAP}`, body })).status;
      } else continue;
      if (status >= 300 && ![403, 404, 409].includes(status)) throw new Error(`publishing ${name}/${ROOT_CA_CONFIGMAP}: ${status}`);
    }
  }
}
