/**
 * The master node's runtime: the simulated runtime, except that the HTTP health endpoints of the control-plane
 * containers (etcd, kube-apiserver, kube-controller-manager, kube-scheduler — matched by image) answer from the
 * real in-process components: 200 while the component is healthy, connection refused while it is stopped. That is
 * how each mirror pod's readiness follows its component. The images are preloaded, as kubeadm pulls them first.
 */
import { connectionRefused } from '../kubelet/runtime/errors';
import { SimRuntime, type SimRuntimeOptions } from '../kubelet/runtime/sim/sim-runtime';
import type { ControlPlaneComponent } from './control-plane-pods';

export class ControlPlaneRuntime extends SimRuntime {
  constructor(
    options: SimRuntimeOptions,
    private readonly components: readonly ControlPlaneComponent[],
    private readonly healthy: (component: ControlPlaneComponent['name']) => boolean,
  ) {
    super({ ...options, preloaded: [...(options.preloaded ?? []), ...components.map((c) => c.image)] });
  }

  override async probeHttp(containerId: string, port: number, path: string): Promise<number> {
    const st = await this.containerStatus(containerId);
    const c = this.components.find((x) => x.image === st.image && x.port === port);
    if (!c) return super.probeHttp(containerId, port, path);
    if (st.state !== 'running' || !this.healthy(c.name)) throw connectionRefused(port, '127.0.0.1');
    return 200;
  }
}
