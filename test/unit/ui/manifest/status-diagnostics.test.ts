/**
 * statusDiagnostics / warningDiagnostics: real Status bodies from our API server (a test cluster) for bad manifests —
 * 422 causes, 400 strict decoding and Go type errors, create and server-side apply — land on the exact YAML node,
 * worded as kubectl prints them; 401/403/404/409 stay notifications (undefined).
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';
import type { Transport } from '../../../../src/client/transport';
import { asStatus, parseManifests, problemDiagnostics, statusDiagnostics, warningDiagnostics, type ManifestDocument } from '../../../../src/ui/manifest';
import { covered, lineOf } from './text';

/** A Deployment manifest as a user writes it; `spec` is the text of its spec block (indented by 2). */
const deployment = (name: string, spec: string, labels = '    app: web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
${labels}
spec:
${spec}`;

const TEMPLATE = `  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

let tc: TestCluster;
let api: Transport;

before(async () => {
  tc = await startTestCluster();
  api = tc.inProcess();
});
after(async () => {
  await tc?.stop();
});

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';

/** Parses the manifest (one document), sends it as the Apply command would, returns the doc and the response. */
async function send(text: string, how: 'create' | 'apply', query: Record<string, string> = {}) {
  const [doc] = parseManifests(text, 'm.yaml');
  assert.ok(doc.object, JSON.stringify(doc.problems));
  const name = doc.object.metadata?.name ?? '';
  const res =
    how === 'create'
      ? await api.request({ method: 'POST', path: DEPLOYMENTS, query, body: doc.object })
      : await api.request({ method: 'PATCH', path: `${DEPLOYMENTS}/${name}`, query: { fieldManager: 'kubelab', ...query }, contentType: 'application/apply-patch+yaml', body: JSON.stringify(doc.object) });
  return { doc, res };
}

function shown(text: string, doc: ManifestDocument, body: unknown) {
  const diags = statusDiagnostics(body, doc);
  assert.ok(diags, `no diagnostics for ${JSON.stringify(body)}`);
  return diags.map((d) => ({ ...covered(text, d.range), message: d.message, severity: d.severity, source: d.source, code: d.code }));
}

describe('statusDiagnostics: 422 Invalid from the API server', () => {
  it('negative replicas and a bad label value (create): one diagnostic per cause, at the value', async () => {
    const text = deployment('neg', `  replicas: -1\n${TEMPLATE}`, '    app: web\n    tier: "bad value!"');
    const { doc, res } = await send(text, 'create');
    assert.equal(res.status, 422);
    assert.deepEqual(shown(text, doc, res.body), [
      {
        line: lineOf(text, 'tier:'),
        text: '"bad value!"',
        message: `metadata.labels: Invalid value: "bad value!": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        severity: 'error',
        source: 'kubelab',
        code: 'FieldValueInvalid',
      },
      { line: lineOf(text, 'replicas:'), text: '-1', message: 'spec.replicas: Invalid value: -1: must be greater than or equal to 0', severity: 'error', source: 'kubelab', code: 'FieldValueInvalid' },
    ]);
  });

  it('server-side apply: a missing required field lands on the list item that lacks it, a bad name on its value', async () => {
    const text = deployment('req', TEMPLATE.replace('      - name: web\n        image: nginx:1.27\n', '      - name: web\n        image: nginx:1.27\n      - name: Bad_Name\n        ports: [{containerPort: 80}]\n'));
    const { doc, res } = await send(text, 'apply');
    assert.equal(res.status, 422);
    assert.deepEqual(
      shown(text, doc, res.body).map((d) => [d.line, d.text, d.message.split(':').slice(0, 2).join(':')]),
      [
        [lineOf(text, 'Bad_Name'), 'Bad_Name', 'spec.template.spec.containers[1].name: Invalid value'],
        [lineOf(text, 'Bad_Name'), 'name: Bad_Name', 'spec.template.spec.containers[1].image: Required value'],
      ],
    );
  });

  it('a Service nodePort out of range: at the port, worded as kubectl prints it', async () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: np\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 5\n';
    const [doc] = parseManifests(text, 'svc.yaml');
    const res = await api.request({ method: 'PATCH', path: '/api/v1/namespaces/default/services/np', query: { fieldManager: 'kubelab' }, contentType: 'application/apply-patch+yaml', body: JSON.stringify(doc.object) });
    assert.equal(res.status, 422);
    assert.deepEqual(shown(text, doc, res.body).map((d) => [d.line, d.text, d.message]), [
      [8, '5', 'spec.ports[0].nodePort: Invalid value: 5: provided port is not in the valid range. The range of valid ports is 30000-32767'],
    ]);
  });
});

describe('statusDiagnostics: 400 BadRequest from the API server', () => {
  it('strict decoding (create, fieldValidation=Strict): each unknown field on its key, in the message\'s order', async () => {
    const text = deployment('unk', `  replica: 2\n${TEMPLATE.replace('image: nginx:1.27', 'image: nginx:1.27\n        imagez: nginx')}`);
    const { doc, res } = await send(text, 'create', { fieldValidation: 'Strict' });
    assert.equal(res.status, 400);
    assert.match(asStatus(res.body)?.message ?? '', /strict decoding error: unknown field/);
    assert.deepEqual(shown(text, doc, res.body).map((d) => [d.line, d.text, d.message, d.code]), [
      [lineOf(text, 'replica:'), 'replica', 'unknown field "spec.replica"', 'BadRequest'],
      [lineOf(text, 'imagez'), 'imagez', 'unknown field "spec.template.spec.containers[0].imagez"', 'BadRequest'],
    ]);
  });

  it('strict decoding (server-side apply): the unknown key', async () => {
    const text = deployment('unk2', `  replica: 2\n${TEMPLATE}`);
    const { doc, res } = await send(text, 'apply', { fieldValidation: 'Strict' });
    assert.equal(res.status, 400);
    assert.deepEqual(shown(text, doc, res.body).map((d) => [d.line, d.text, d.message]), [[lineOf(text, 'replica:'), 'replica', 'unknown field "spec.replica"']]);
  });

  it('a Go type error (which names no indices): at the value', async () => {
    const text = deployment('type', `  replicas: "two"\n${TEMPLATE}`);
    for (const how of ['create', 'apply'] as const) {
      const { doc, res } = await send(text, how);
      assert.equal(res.status, 400);
      assert.deepEqual(shown(text, doc, res.body).map((d) => [d.line, d.text, d.message]), [
        [lineOf(text, 'replicas:'), '"two"', 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
      ]);
    }
    const deep = deployment('type2', TEMPLATE.replace('image: nginx:1.27', 'image: 5'));
    const { doc, res } = await send(deep, 'create');
    assert.equal(res.status, 400);
    assert.deepEqual(shown(deep, doc, res.body).map((d) => [d.line, d.text]), [[lineOf(deep, 'image: 5'), '5']]);
  });

  it('a namespace mismatch: at metadata.namespace', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: other\n';
    const [doc] = parseManifests(text, 'cm.yaml');
    const res = await api.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: doc.object });
    assert.equal(res.status, 400);
    assert.deepEqual(shown(text, doc, res.body).map((d) => [d.line, d.text, d.message]), [[4, 'other', 'the namespace of the provided object does not match the namespace sent on the request']]);
  });

  it('a name that is not the one in the URL (server-side apply): at metadata.name', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n';
    const [doc] = parseManifests(text, 'cm.yaml');
    const res = await api.request({ method: 'PATCH', path: '/api/v1/namespaces/default/configmaps/c', query: { fieldManager: 'kubelab' }, contentType: 'application/apply-patch+yaml', body: JSON.stringify(doc.object) });
    assert.equal(res.status, 400);
    assert.deepEqual(shown(text, doc, res.body).map((d) => [d.line, d.text, d.message]), [[3, 'd', 'the name of the object (d) does not match the name on the URL (c)']]);
  });
});

describe('statusDiagnostics: what stays a notification', () => {
  it('409 AlreadyExists, 404 NotFound, 403 Forbidden and 401 Unauthorized → undefined', async () => {
    const text = deployment('twice', `  replicas: 1\n${TEMPLATE}`);
    const first = await send(text, 'create');
    assert.equal(first.res.status, 201);
    const again = await send(text, 'create');
    assert.equal(again.res.status, 409);
    assert.equal(statusDiagnostics(again.res.body, again.doc), undefined);
    const missing = await api.request({ method: 'POST', path: '/api/v1/namespaces/nope/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
    assert.equal(missing.status, 404);
    assert.equal(statusDiagnostics(missing.body, again.doc), undefined);
    const anonymous = await tc.inProcess('not-a-token').request({ method: 'POST', path: DEPLOYMENTS, body: again.doc.object });
    assert.ok(anonymous.status === 401 || anonymous.status === 403, String(anonymous.status));
    assert.equal(statusDiagnostics(anonymous.body, again.doc), undefined);
    assert.equal(statusDiagnostics('not a status', again.doc), undefined);
  });
});

describe('statusDiagnostics: upstream wordings our server does not produce here', () => {
  const text = deployment('smd', `  replica: 2\n${TEMPLATE}`);
  const [doc] = parseManifests(text, 'm.yaml');
  const status = (code: number, message: string, extra: object = {}) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code, ...extra });

  it('structured-merge-diff schema errors (500 from server-side apply), one or several', () => {
    const one = status(500, 'failed to create typed patch object (default/smd; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema');
    assert.deepEqual(shown(text, doc, one).map((d) => [d.line, d.text, d.message]), [[lineOf(text, 'replica:'), 'replica', '.spec.replica: field not declared in schema']]);
    const several = status(500, 'Internal error occurred: failed to create typed patch object (default/smd; apps/v1, Kind=Deployment): errors:\n  .spec.replica: field not declared in schema\n  .spec.template.spec.containers[name="web"].image: expected string, got &value.valueUnstructured{Value:5}', { reason: 'InternalError' });
    assert.deepEqual(shown(text, doc, several).map((d) => [d.line, d.text]), [
      [lineOf(text, 'replica:'), 'replica'],
      [lineOf(text, 'nginx:1.27'), 'nginx:1.27'],
    ]);
    assert.equal(statusDiagnostics(status(500, 'etcdserver: request timed out'), doc), undefined);
  });

  it('causes worded with `type` instead of `reason`, without a field, or with `<nil>`; 422 without causes', () => {
    const body = status(422, 'Deployment.apps "smd" is invalid', { reason: 'Invalid', details: { causes: [{ type: 'FieldValueRequired', field: 'spec.selector.matchExpressions', message: 'Required value' }, { message: 'something about the whole object', field: '<nil>' }] } });
    assert.deepEqual(shown(text, doc, body).map((d) => [d.line, d.text, d.message, d.code]), [
      [lineOf(text, 'selector:'), 'selector', 'spec.selector.matchExpressions: Required value', 'FieldValueRequired'],
      [0, 'apiVersion: apps/v1', 'something about the whole object', undefined],
    ]);
    assert.deepEqual(shown(text, doc, status(422, 'Deployment.apps "smd" is invalid', { reason: 'Invalid' })).map((d) => [d.line, d.message]), [[0, 'Deployment.apps "smd" is invalid']]);
  });

  it('a 400 naming no field lands on the document\'s first line; a StatusError-like or response-like value works too', () => {
    const bad = status(400, 'error decoding YAML: something', { reason: 'BadRequest' });
    assert.deepEqual(shown(text, doc, bad).map((d) => [d.line, d.text, d.message]), [[0, 'apiVersion: apps/v1', 'error decoding YAML: something']]);
    assert.equal(statusDiagnostics({ status: bad }, doc)?.length, 1);
    assert.equal(statusDiagnostics({ status: 400, headers: {}, body: bad }, doc)?.length, 1);
  });
});

describe('warningDiagnostics and problemDiagnostics', () => {
  it('fieldValidation=Warn: the server\'s Warning header → a warning on the unknown key', async () => {
    const text = deployment('warned', `  replica: 2\n${TEMPLATE}`);
    const { doc, res } = await send(text, 'create', { fieldValidation: 'Warn' });
    assert.equal(res.status, 201);
    const header = res.headers.warning;
    const warnings = Array.isArray(header) ? header : header ? [header] : [];
    assert.deepEqual(warnings, ['299 - "unknown field \\"spec.replica\\""']);
    const diags = warningDiagnostics(warnings, doc);
    assert.deepEqual(diags.map((d) => [covered(text, d.range), d.message, d.severity]), [[{ line: lineOf(text, 'replica:'), text: 'replica' }, 'unknown field "spec.replica"', 'warning']]);
    // joined headers, plain text, and a warning naming no field (on the first line)
    assert.equal(warningDiagnostics(['299 - "unknown field \\"a\\"", 299 - "unknown field \\"b\\""'], doc).length, 2);
    assert.deepEqual(warningDiagnostics(['apps/v1beta1 Deployment is deprecated'], doc).map((d) => [d.range.start.line, d.message]), [[0, 'apps/v1beta1 Deployment is deprecated']]);
  });

  it('parse problems become diagnostics with source kubelab', () => {
    const text = 'apiVersion: v1\nmetadata: {name: x}\n';
    assert.deepEqual(problemDiagnostics(parseManifests(text, 'x.yaml')), [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 14 } }, message: 'kind not set', severity: 'error', source: 'kubelab', code: 'kubelab' }]);
  });
});
