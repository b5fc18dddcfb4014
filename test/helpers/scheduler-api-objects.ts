/** Manifests for scheduler integration tests that run against a real API server: a roomy Ready Node, a small Pod. */
import type { Obj } from '../../src/controllers/framework/api-client';

/** A Ready Node with room for 500 pods (64 CPUs, 256 Gi). */
export function readyNode(name: string): Obj {
  const alloc = { cpu: '64', memory: '256Gi', pods: '500' };
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { capacity: alloc, allocatable: alloc, conditions: [{ type: 'Ready', status: 'True' }] } };
}

/** A one-container Pod requesting 10m CPU. */
export const smallPod = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '10m' } } }] } });

export const nodeNameOf = (p: Obj): string | undefined => (p.spec as { nodeName?: string } | undefined)?.nodeName;
