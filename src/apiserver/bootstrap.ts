/**
 * Objects every cluster has from its first start, created through the registry like any other write (as
 * upstream's bootstrap controller does): the default, kube-system, kube-public and kube-node-lease namespaces.
 * Idempotent across restarts.
 */
import { networkInterfaces } from 'node:os';
import type { ResourceRegistry } from '../api/resources';
import { StatusError } from '../api/status';
import type { RegistryCore } from './registry/core';
import { createObject } from './registry/create';
import { guaranteedUpdate } from './registry/update';

const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function bootstrapNamespaces(core: RegistryCore, resources: ResourceRegistry): Promise<void> {
  const r = resources.get('', 'v1', 'namespaces')!;
  for (const name of NAMESPACES) {
    if (await core.current(r, '', name)) continue;
    try {
      await createObject(core, r, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { dryRun: false, fieldManager: 'kube-apiserver', fieldValidation: 'Strict', warnings: [] });
    } catch (e) {
      if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
    }
  }
}

/**
 * The `kubernetes` Service in `default` (the first address of the service range, port 443) and its Endpoints pointing
 * at this API server, as upstream's bootstrap controller keeps them. The Endpoints follow the serving port.
 */
export async function bootstrapKubernetesService(core: RegistryCore, resources: ResourceRegistry, port: number): Promise<void> {
  const opts = { dryRun: false, fieldManager: 'kube-apiserver', fieldValidation: 'Strict' as const, warnings: [] };
  const svcR = resources.get('', 'v1', 'services')!;
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  if (!(await core.current(svcR, 'default', 'kubernetes'))) {
    const ip = core.services.addressAt(1);
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels },
      spec: { type: 'ClusterIP', clusterIP: ip, clusterIPs: [ip], sessionAffinity: 'None', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }] },
    };
    await ignoreExists(createObject(core, svcR, 'default', svc, opts));
  }
  // Endpoints may not be loopback addresses: advertise the host's address, as kube-apiserver's --advertise-address
  // defaults to it. (KubeLab serves on 127.0.0.1; [7/10]'s kube-proxy forwards the Service to it.)
  const host = advertiseAddress();
  if (!host) return;
  const epR = resources.get('', 'v1', 'endpoints')!;
  const subsets = [{ addresses: [{ ip: host }], ports: [{ name: 'https', port, protocol: 'TCP' }] }];
  const cur = await core.current(epR, 'default', 'kubernetes');
  if (!cur) {
    await ignoreExists(createObject(core, epR, 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets }, opts));
  } else if (JSON.stringify((cur.obj as { subsets?: unknown }).subsets) !== JSON.stringify(subsets)) {
    await guaranteedUpdate(core, epR, 'default', 'kubernetes', '', opts, (c) => ({ next: { ...core.copy(c!), subsets }, pinned: false }), false);
  }
}

/** The first non-internal IPv4 address of this machine (kube-apiserver's default advertise address). */
export function advertiseAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.')) return a.address;
  }
  return undefined;
}

async function ignoreExists(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
  }
}
