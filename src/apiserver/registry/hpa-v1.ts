/**
 * autoscaling/v1 HorizontalPodAutoscalers (what `kubectl autoscale` sends) over the autoscaling/v2 storage, as
 * upstream converts them: v1's targetCPUUtilizationPercentage is a v2 Resource metric on cpu with a Utilization
 * target, currentCPUUtilizationPercentage the matching current metric; everything else is the same.
 */
import type { StoredObject } from '../../api/object';
import type { View } from './views';

type Obj = Record<string, unknown>;

interface V2Metric {
  type?: string;
  resource?: { name?: string; target?: { type?: string; averageUtilization?: number }; current?: { averageUtilization?: number } };
}

function cpuUtilization(metrics: unknown, field: 'target' | 'current'): number | undefined {
  if (!Array.isArray(metrics)) return undefined;
  for (const m of metrics as V2Metric[]) {
    if (m.type === 'Resource' && m.resource?.name === 'cpu') {
      const v = m.resource[field]?.averageUtilization;
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

export const HPA_V1: View = {
  identity: false,
  out(o) {
    const src = o as Obj;
    const spec = (src.spec ?? {}) as Obj;
    const status = src.status as Obj | undefined;
    const outSpec: Obj = { scaleTargetRef: spec.scaleTargetRef, maxReplicas: spec.maxReplicas };
    if (spec.minReplicas !== undefined) outSpec.minReplicas = spec.minReplicas;
    const target = cpuUtilization(spec.metrics, 'target');
    if (target !== undefined) outSpec.targetCPUUtilizationPercentage = target;
    const out: Obj = { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v1', metadata: src.metadata, spec: outSpec };
    if (status) {
      const st: Obj = {};
      for (const k of ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas']) if (status[k] !== undefined) st[k] = status[k];
      const current = cpuUtilization(status.currentMetrics, 'current');
      if (current !== undefined) st.currentCPUUtilizationPercentage = current;
      out.status = st;
    }
    return out;
  },
  in(o) {
    const src = o as Obj;
    const spec = (src.spec ?? {}) as Obj;
    const outSpec: Obj = { scaleTargetRef: spec.scaleTargetRef, maxReplicas: spec.maxReplicas };
    if (spec.minReplicas !== undefined) outSpec.minReplicas = spec.minReplicas;
    if (spec.targetCPUUtilizationPercentage !== undefined) {
      outSpec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }];
    }
    const out: Obj = { ...src, apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: src.metadata ?? {}, spec: outSpec };
    const status = src.status as Obj | undefined;
    if (status) {
      const st: Obj = { ...status };
      delete st.currentCPUUtilizationPercentage;
      if (status.currentCPUUtilizationPercentage !== undefined) {
        st.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
      }
      out.status = st;
    }
    return out as StoredObject;
  },
};
