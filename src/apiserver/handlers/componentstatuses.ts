/**
 * componentstatuses (v1, deprecated upstream but still served): computed from the health of the control-plane
 * components, never stored. `kubectl get cs` prints NAME STATUS MESSAGE ERROR.
 */
import type { ResourceInfo } from '../../api/resources';
import { StatusError } from '../../api/status';
import type { ApiRequest, ApiResponse } from '../request';
import type { ComponentHealth, HandlerContext } from './context';
import { negotiate } from '../content';
import { listBody, objectBody, includeObjectOf, type OutputContext } from './output';
import { viewFor } from '../registry/views';
import type { StoredObject } from '../../api/object';

const DEPRECATED = 'v1 ComponentStatus is deprecated in v1.19+';

function toObject(c: ComponentHealth): StoredObject {
  const cond: Record<string, string> = { type: 'Healthy', status: c.healthy ? 'True' : 'False', message: c.message };
  if (c.error) cond.error = c.error;
  return { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: c.name }, conditions: [cond] };
}

export async function componentStatusList(ctx: HandlerContext, req: ApiRequest, r: ResourceInfo): Promise<ApiResponse> {
  const info = req.info!;
  const neg = negotiate(req.headers.accept, true);
  const o: OutputContext = { form: neg.form, view: viewFor(r), now: () => new Date(ctx.core.now()), includeObject: includeObjectOf(req.query) };
  const items = ctx.componentStatuses().map(toObject);
  if (info.verb === 'get') {
    const it = items.find((x) => x.metadata.name === info.name);
    if (!it) throw StatusError.notFound({ group: '', resource: 'componentstatuses' }, info.name);
    return { status: 200, body: objectBody(r, it, o), warnings: [DEPRECATED] };
  }
  return { status: 200, body: listBody(r, { items, resourceVersion: '' }, o), warnings: [DEPRECATED] };
}
