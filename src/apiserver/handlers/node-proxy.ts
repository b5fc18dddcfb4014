/**
 * nodes/proxy: `/api/v1/nodes/<name>[:<port>]/proxy/<path>` reaches an HTTP endpoint on that node, as
 * kube-apiserver's node proxy does (the port defaults to the kubelet's 10250). The node must exist; what answers is
 * the NodeConnector's business (KubeLab: kube-proxy's :10249 metrics/proxyMode/configz/rules and :10256 healthz,
 * the kubelet's :10250 /healthz). Nothing listening → 503 `Error trying to reach service: 'dial tcp <ip>:<port>:
 * connect: connection refused'`, as upstream's proxy words it.
 */
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import { getObject } from '../registry/list';
import type { ApiRequest, ApiResponse } from '../request';
import type { HandlerContext } from './context';

export const KUBELET_PORT = 10250;

/** `name`, `name:port` or `scheme:name:port` → name and port. */
export function splitNodeTarget(target: string): { name: string; port: number } | undefined {
  const parts = target.split(':');
  const name = parts.length === 3 ? parts[1] : parts[0];
  const portText = parts.length === 3 ? parts[2] : parts[1];
  if (parts.length > 3 || !name) return undefined;
  if (portText === undefined || portText === '') return { name, port: KUBELET_PORT };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535 || Number(portText) === 0) return undefined;
  return { name, port: Number(portText) };
}

export async function nodeProxy(ctx: HandlerContext, req: ApiRequest, r: ResourceInfo): Promise<ApiResponse> {
  const info = req.info!;
  const target = splitNodeTarget(info.name);
  if (!target) throw StatusError.badRequest(`invalid node proxy target "${info.name}"`);
  if (info.verb !== 'get') throw StatusError.methodNotAllowed();
  const node = await getObject(ctx.core, r, '', target.name);
  const path = '/' + info.parts.slice(3).join('/');
  const addrs = ((node.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? []);
  const ip = addrs.find((a) => a.type === 'InternalIP')?.address ?? target.name;
  const res = await ctx.nodes.proxy?.(target.name, target.port, path, req.query);
  if (!res) throw StatusError.serviceUnavailable(`Error trying to reach service: 'dial tcp ${ip}:${target.port}: connect: connection refused'`);
  return { status: res.status, text: res.body, headers: { 'content-type': res.contentType } };
}
