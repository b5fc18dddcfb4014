/**
 * DefaultBinder (upstream plugins/defaultbinder): binds the pod by creating its `pods/binding` subresource
 * (POST /api/v1/namespaces/{ns}/pods/{name}/binding, a v1 Binding naming the pod's uid and targeting the Node) through
 * the scheduler's own client (handle.client). KubeLab: the Binding's metadata.annotations are taken from the
 * CycleState key `kubelab/binding-annotations` when the core wrote one there (its "why this node" explanation; the API
 * server copies Binding annotations onto the pod). An API failure is an Error status carrying the server's message.
 */
import { R } from '../../controllers/framework/resources';
import type { BindPlugin, Handle, Pod, StateData } from '../framework';
import { Status, type CycleState } from '../framework';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'DefaultBinder';
/** CycleState key under which the core puts the annotations to write on the Binding. */
export const BINDING_ANNOTATIONS_KEY = 'kubelab/binding-annotations';

/** What the core writes under BINDING_ANNOTATIONS_KEY. */
export class BindingAnnotations implements StateData {
  constructor(readonly annotations: Readonly<Record<string, string>>) {}
  clone(): StateData {
    return this;
  }
}

/** The annotations found under the key: a BindingAnnotations-shaped `{annotations}` value, else the value's own
 * string properties; undefined when none. */
export function bindingAnnotations(state: CycleState): Record<string, string> | undefined {
  const v = state.read(BINDING_ANNOTATIONS_KEY) as unknown;
  if (typeof v !== 'object' || v === null) return undefined;
  const src = (v as { annotations?: unknown }).annotations;
  const from = typeof src === 'object' && src !== null ? (src as Record<string, unknown>) : (v as Record<string, unknown>);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(from)) if (typeof val === 'string') out[k] = val;
  return Object.keys(out).length ? out : undefined;
}

/** The v1 Binding DefaultBinder posts. */
export function bindingFor(pod: Pod, nodeName: string, annotations?: Record<string, string>): Record<string, unknown> & { metadata: Record<string, unknown> } {
  const metadata: Record<string, unknown> = { namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid };
  if (annotations) metadata.annotations = annotations;
  return { apiVersion: 'v1', kind: 'Binding', metadata, target: { kind: 'Node', name: nodeName } };
}

export class DefaultBinder implements BindPlugin {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  async bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    const ns = String(pod.metadata?.namespace ?? '');
    const name = String(pod.metadata?.name ?? '');
    try {
      await this.handle.client.create(R.pods, ns, bindingFor(pod, nodeName, bindingAnnotations(state)), { name, subresource: 'binding' });
    } catch (e) {
      return Status.error(e instanceof Error ? e : new Error(String(e)));
    }
    return SUCCESS;
  }
}

export const newDefaultBinder = (_args: Record<string, unknown> | undefined, handle: Handle): DefaultBinder => new DefaultBinder(handle);
