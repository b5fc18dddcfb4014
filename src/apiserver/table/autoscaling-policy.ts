/**
 * autoscaling/v2 and policy/v1 tables (printers.go printHorizontalPodAutoscaler, printPodDisruptionBudget):
 *   horizontalpodautoscalers  NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE
 *   poddisruptionbudgets      NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE
 * TARGETS lists at most two metrics as `<name>: <current>/<target>` (`<unknown>` until a current value is
 * reported) and ` + N more...` beyond, as upstream's formatHPAMetrics.
 */
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from 'kubernetes-types/autoscaling/v2';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { ageOf } from './age';
import { AGE, NAME, col, columns } from './columns';
import { int, str } from './format';
import type { TablePrinter } from './types';

function targetText(t: MetricTarget | undefined, cur: MetricValueStatus | undefined): [string, string] {
  if (t?.averageUtilization !== undefined) return [cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>', `${t.averageUtilization}%`];
  if (t?.averageValue !== undefined) return [cur?.averageValue !== undefined ? String(cur.averageValue) : '<unknown>', `${String(t.averageValue)} (avg)`];
  if (t?.value !== undefined) return [cur?.value !== undefined ? String(cur.value) : '<unknown>', String(t.value)];
  return ['<unknown>', '<unknown>'];
}

function metricText(m: MetricSpec, statuses: MetricStatus[]): string {
  switch (m.type) {
    case 'Resource': {
      const cur = statuses.find((s) => s.type === 'Resource' && s.resource?.name === m.resource?.name)?.resource?.current;
      const [c, t] = targetText(m.resource?.target, cur);
      return `${m.resource?.name ?? ''}: ${c}/${t}`;
    }
    case 'ContainerResource': {
      const cur = statuses.find((s) => s.type === 'ContainerResource' && s.containerResource?.name === m.containerResource?.name)?.containerResource?.current;
      const [c, t] = targetText(m.containerResource?.target, cur);
      return `${m.containerResource?.name ?? ''}: ${c}/${t}`;
    }
    case 'Pods': {
      const cur = statuses.find((s) => s.type === 'Pods' && s.pods?.metric.name === m.pods?.metric.name)?.pods?.current;
      const [c, t] = targetText(m.pods?.target, cur);
      return `${m.pods?.metric.name ?? ''}: ${c}/${t}`;
    }
    case 'Object': {
      const cur = statuses.find((s) => s.type === 'Object' && s.object?.metric.name === m.object?.metric.name)?.object?.current;
      const [c, t] = targetText(m.object?.target, cur);
      return `${m.object?.metric.name ?? ''}: ${c}/${t}`;
    }
    case 'External': {
      const cur = statuses.find((s) => s.type === 'External' && s.external?.metric.name === m.external?.metric.name)?.external?.current;
      const [c, t] = targetText(m.external?.target, cur);
      return `${m.external?.metric.name ?? ''}: ${c}/${t}`;
    }
    default:
      return '<unknown type>';
  }
}

export function hpaTargets(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec?.metrics ?? [];
  if (!specs.length) return '<none>';
  const statuses = hpa.status?.currentMetrics ?? [];
  const shown = specs.slice(0, 2).map((m) => metricText(m, statuses));
  return shown.join(', ') + (specs.length > 2 ? ` + ${specs.length - 2} more...` : '');
}

export const hpaPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Reference', 'string', 'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.'),
    col('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).'),
    col('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    col('MaxPods', 'integer', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    col('Replicas', 'integer', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    AGE,
  ),
  cells(obj, ctx) {
    const h = obj as HorizontalPodAutoscaler;
    const ref = h.spec?.scaleTargetRef;
    const min = h.spec?.minReplicas;
    return [str(h.metadata?.name), `${ref?.kind ?? ''}/${ref?.name ?? ''}`, hpaTargets(h), min !== undefined ? String(min) : '<unset>', int(h.spec?.maxReplicas), int(h.status?.currentReplicas), ageOf(h, ctx.nowMs)];
  },
};

export const pdbPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Min Available', 'string', 'The minimum number of pods that must be available simultaneously.  This can be either an integer or a string specifying a percentage, e.g. "28%".'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable simultaneously.  This can be either an integer or a string specifying a percentage, e.g. "28%".'),
    col('Allowed Disruptions', 'integer', 'Number of pod disruptions that are currently allowed.'),
    AGE,
  ),
  cells(obj, ctx) {
    const p = obj as PodDisruptionBudget;
    const na = (v: number | string | undefined) => (v === undefined ? 'N/A' : String(v));
    return [str(p.metadata?.name), na(p.spec?.minAvailable), na(p.spec?.maxUnavailable), int(p.status?.disruptionsAllowed), ageOf(p, ctx.nowMs)];
  },
};
