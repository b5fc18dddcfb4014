/**
 * Runs a manifest's documents against the API server, as `kubectl apply --server-side` / `kubectl delete -f` /
 * `kubectl apply --server-side --dry-run=server` / `kubectl diff` do, over any Transport (the VS Code UI uses the
 * worker's message-port transport, with the admin identity):
 * - apply: server-side apply (PATCH application/apply-patch+yaml, fieldManager `kubelab`, force, fieldValidation
 *   Strict), documents in dependency order (namespaces and CRDs first; discovery re-read after a CRD is applied), the
 *   line kubectl prints per object (`created` / `configured` / `unchanged`, judged against a GET before);
 * - delete: reverse order, `deployment.apps "web" deleted`, not-found reported as kubectl does;
 * - diff: the live object and the server's dry-run result, both without managedFields, for a diff editor.
 * Every failure stays with its document: 400/422 as diagnostics on the field's node (statusDiagnostics), other
 * statuses (401, 403, 409, …) as notices with the server's message. Documents with parse errors are not sent.
 */
import { RestMapper, discover, type ApiResource } from '../../controllers/garbagecollector/discovery';
import { ApiClient, ApiError } from '../../controllers/framework/api-client';
import type { KubeObject } from '../../api/object';
import type { Transport } from '../../client/transport';
import type { ManifestDocument } from './parse';
import { applyOrder, deleteOrder } from './order';
import { problemDiagnostics, statusDiagnostics, warningDiagnostics, type ManifestDiagnostic } from './status-diagnostics';
import { applyLine, applyOperation, deleteLine, type ApplyOperation } from './summary';

export type ManifestAction = 'apply' | 'dryRun' | 'delete' | 'diff';
export const FIELD_MANAGER = 'kubelab';
const CRD_WAIT_MS = 10_000;

export interface DocOutcome {
  doc: ManifestDocument;
  /** The kubectl line (`deployment.apps/web created`), when the document succeeded. */
  line?: string;
  operation?: ApplyOperation | 'deleted';
  /** The error text (kubectl's `Error from server (Reason): message` form) when it failed. */
  error?: string;
  /** HTTP status of the failure (0: not sent, e.g. no REST mapping). */
  code?: number;
  /** For diff: live (undefined when absent) and the server's merged result. */
  live?: KubeObject;
  merged?: KubeObject;
}

export interface ManifestRun {
  outcomes: DocOutcome[];
  /** Parse problems, field errors and warnings, on the documents' source ranges. */
  diagnostics: ManifestDiagnostic[];
  /** Set when the file itself could not be used (unreadable, too large, not UTF-8). */
  failure?: string;
}

interface Target {
  resource: ApiResource;
  namespace: string;
  name: string;
}

/** `Error from server (NotFound): deployments.apps "web" not found` — kubectl's form of a Status error. */
export function serverErrorText(e: unknown): string {
  if (e instanceof ApiError) return e.reason ? `Error from server (${e.reason}): ${e.message}` : `Error from server: ${e.message}`;
  return `error: ${e instanceof Error ? e.message : String(e)}`;
}

function resourcePath(t: Target, sub = ''): string {
  const base = t.resource.group ? `/apis/${t.resource.group}/${t.resource.version}` : `/api/${t.resource.version}`;
  const ns = t.resource.namespaced ? `/namespaces/${encodeURIComponent(t.namespace)}` : '';
  return `${base}${ns}/${t.resource.resource}/${encodeURIComponent(t.name)}${sub}`;
}

function withoutManagedFields(o: KubeObject | undefined): KubeObject | undefined {
  if (!o) return o;
  const copy = { ...o, metadata: { ...(o.metadata ?? {}) } } as KubeObject;
  delete (copy.metadata as Record<string, unknown>).managedFields;
  return copy;
}

/**
 * Whether an apply left the object as it was apart from what others change meanwhile (status, resourceVersion)
 * and the apply's own timestamp in managedFields: a controller's status write between our GET and PATCH must not
 * turn `unchanged` into `configured`.
 */
function sameContent(before: KubeObject | undefined, after: KubeObject): boolean {
  if (!before) return false;
  const norm = (o: KubeObject) => {
    const m = { ...(o.metadata ?? {}) } as Record<string, unknown>;
    delete m.resourceVersion;
    m.managedFields = ((m.managedFields as Record<string, unknown>[] | undefined) ?? []).map((f) => ({ ...f, time: undefined }));
    return JSON.stringify({ ...o, metadata: m, status: undefined });
  };
  return norm(before) === norm(after);
}

function warningsOf(headers: Record<string, string | string[] | undefined>): string[] {
  const w = headers['warning'];
  return w === undefined ? [] : Array.isArray(w) ? w : [w];
}

export class ManifestRunner {
  private readonly api: ApiClient;
  private mapper: RestMapper | undefined;

  constructor(private readonly transport: Transport) {
    this.api = new ApiClient(transport);
  }

  private async refreshMapper(): Promise<RestMapper> {
    this.mapper = new RestMapper((await discover(this.api)).preferred.concat());
    return this.mapper;
  }

  private async target(obj: KubeObject): Promise<Target> {
    const apiVersion = String(obj.apiVersion ?? '');
    const kind = String(obj.kind ?? '');
    let resource: ApiResource;
    try {
      resource = (this.mapper ?? (await this.refreshMapper())).mapping(apiVersion, kind);
    } catch {
      // A CRD applied earlier in this run (or since the last read) may serve it now.
      resource = (await this.refreshMapper()).mapping(apiVersion, kind);
    }
    const meta = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    const namespace = resource.namespaced ? (typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default') : '';
    return { resource, namespace, name: typeof meta.name === 'string' ? meta.name : '' };
  }

  private async live(t: Target): Promise<KubeObject | undefined> {
    const res = await this.transport.request({ method: 'GET', path: resourcePath(t) });
    if (res.status === 404) return undefined;
    if (res.status >= 300) throw toApiError(res.status, res.body);
    return res.body as KubeObject;
  }

  private async applyOne(obj: KubeObject, t: Target, dryRun: boolean): Promise<{ result: KubeObject; warnings: string[] }> {
    const res = await this.transport.request({
      method: 'PATCH',
      path: resourcePath(t),
      query: { fieldManager: FIELD_MANAGER, force: true, fieldValidation: 'Strict', dryRun: dryRun ? 'All' : undefined },
      body: JSON.stringify(obj),
      contentType: 'application/apply-patch+yaml',
    });
    if (res.status >= 300) throw toApiError(res.status, res.body);
    return { result: res.body as KubeObject, warnings: warningsOf(res.headers) };
  }

  /** Waits (≤ CRD_WAIT_MS) until an applied CRD is Established, so its custom resources later in the file map. */
  private async established(t: Target): Promise<void> {
    const until = Date.now() + CRD_WAIT_MS;
    while (Date.now() < until) {
      const crd = (await this.live(t)) as { status?: { conditions?: { type: string; status: string }[] } } | undefined;
      if (crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Runs `action` over the documents; never throws for a document's failure (see DocOutcome.error). */
  async run(docs: readonly ManifestDocument[], action: ManifestAction, fileName = ''): Promise<ManifestRun> {
    const diagnostics = problemDiagnostics(docs);
    const sendable = docs.filter((d) => d.object && !d.problems.some((p) => p.severity === 'error'));
    const ordered = action === 'delete' ? deleteOrder(sendable) : applyOrder(sendable);
    const outcomes: DocOutcome[] = [];
    for (const doc of ordered) {
      const obj = doc.object as KubeObject;
      try {
        const t = await this.target(obj);
        if (!t.name) throw new Error('resource name may not be empty');
        if (action === 'delete') {
          const res = await this.transport.request({ method: 'DELETE', path: resourcePath(t), body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } });
          if (res.status >= 300) throw toApiError(res.status, res.body);
          outcomes.push({ doc, line: deleteLine(obj), operation: 'deleted' });
          continue;
        }
        const before = await this.live(t);
        const { result, warnings } = await this.applyOne(obj, t, action !== 'apply');
        diagnostics.push(...warningDiagnostics(warnings, doc));
        if (action === 'diff') {
          outcomes.push({ doc, live: withoutManagedFields(before), merged: withoutManagedFields(result) });
          continue;
        }
        const dry = action === 'dryRun' ? 'server' : 'none';
        const operation = before && sameContent(before, result) ? 'unchanged' : applyOperation(before, result, dry);
        outcomes.push({ doc, line: applyLine(obj, operation, dry), operation });
        if (obj.kind === 'CustomResourceDefinition' && action === 'apply') {
          await this.established(t);
          this.mapper = undefined;
        }
      } catch (e) {
        const code = e instanceof ApiError ? e.code : 0;
        const status = e instanceof ApiError ? e.status : undefined;
        const located = status && (code === 400 || code === 422) ? statusDiagnostics(status, doc) : undefined;
        if (located) diagnostics.push(...located);
        const text = e instanceof Error && e.name === 'RestMappingError' ? mappingErrorText(obj, fileName) : serverErrorText(e);
        outcomes.push({ doc, error: text, code });
      }
    }
    return { outcomes, diagnostics };
  }
}

/** kubectl's words when a kind has no resource: `resource mapping not found for name: … ensure CRDs are installed first`. */
function mappingErrorText(obj: KubeObject, fileName: string): string {
  const meta = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const name = typeof meta.name === 'string' ? meta.name : '';
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  return `error: resource mapping not found for name: "${name}" namespace: "${ns}" from "${fileName}": no matches for kind "${String(obj.kind)}" in version "${String(obj.apiVersion)}"\nensure CRDs are installed first`;
}

function toApiError(status: number, body: unknown): ApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return new ApiError(status, typeof b.reason === 'string' ? b.reason : '', typeof b.message === 'string' ? b.message : `HTTP ${status}`, b);
}
