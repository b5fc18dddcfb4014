/**
 * Namespace-level configuration and cluster-info tables (printers.go printNamespace, printConfigMap, printSecret,
 * printServiceAccount, printResourceQuota, printComponentStatus):
 *   namespaces         NAME STATUS AGE
 *   configmaps         NAME DATA AGE            (data + binaryData keys)
 *   secrets            NAME TYPE DATA AGE
 *   serviceaccounts    NAME SECRETS AGE
 *   resourcequotas     NAME REQUEST LIMIT AGE   ("cpu: 500m/2, pods: 3/10"; limits.* go to LIMIT)
 *   componentstatuses  NAME STATUS MESSAGE ERROR
 */
import type { ComponentStatus, ConfigMap, Namespace, ResourceQuota, Secret, ServiceAccount } from 'kubernetes-types/core/v1';
import { ageOf } from './age';
import { AGE, NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { arr, mapLen, str } from './format';
import { quantityString } from './quantity';
import type { TablePrinter } from './types';

export const namespacePrinter: TablePrinter = {
  columns: columns(NAME, col('Status', 'string', 'The status of the namespace'), AGE),
  cells(obj, ctx) {
    const ns = obj as Namespace;
    return [str(ns.metadata?.name), str(ns.status?.phase), ageOf(ns, ctx.nowMs)];
  },
};

export const configMapPrinter: TablePrinter = {
  columns: columns(NAME, col('Data', 'string', DOC['ConfigMap.data']), AGE),
  cells(obj, ctx) {
    const cm = obj as ConfigMap;
    return [str(cm.metadata?.name), mapLen(cm.data) + mapLen(cm.binaryData), ageOf(cm, ctx.nowMs)];
  },
};

export const secretPrinter: TablePrinter = {
  columns: columns(NAME, col('Type', 'string', DOC['Secret.type']), col('Data', 'string', DOC['Secret.data']), AGE),
  cells(obj, ctx) {
    const s = obj as Secret;
    return [str(s.metadata?.name), str(s.type), mapLen(s.data), ageOf(s, ctx.nowMs)];
  },
};

export const serviceAccountPrinter: TablePrinter = {
  columns: columns(NAME, col('Secrets', 'string', DOC['ServiceAccount.secrets']), AGE),
  cells(obj, ctx) {
    const sa = obj as ServiceAccount;
    return [str(sa.metadata?.name), arr(sa.secrets).length, ageOf(sa, ctx.nowMs)];
  },
};

function quotaColumns(rq: ResourceQuota): [string, string] {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const dot = name.indexOf('.');
    const target = dot > 0 && name.slice(0, dot) === 'limits' ? limit : request;
    target.push(`${name}: ${quantityString(used[name])}/${quantityString(hard[name])}`);
  }
  return [request.join(', '), limit.join(', ')];
}

export const resourceQuotaPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    AGE,
  ),
  cells(obj, ctx) {
    const rq = obj as ResourceQuota;
    const [request, limit] = quotaColumns(rq);
    return [str(rq.metadata?.name), request, limit, ageOf(rq, ctx.nowMs)];
  },
};

export const componentStatusPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Status', 'string', 'Status of the component conditions'),
    col('Message', 'string', 'Message of the component conditions'),
    col('Error', 'string', 'Error of the component conditions'),
  ),
  cells(obj) {
    const cs = obj as ComponentStatus;
    let status = 'Unknown';
    let message = '';
    let error = '';
    for (const c of arr<NonNullable<ComponentStatus['conditions']>[number]>(cs.conditions)) {
      if (c?.type === 'Healthy') {
        status = c.status === 'True' ? 'Healthy' : 'Unhealthy';
        message = str(c.message);
        error = str(c.error);
        break;
      }
    }
    return [str(cs.metadata?.name), status, message, error];
  },
};
