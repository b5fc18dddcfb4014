/**
 * The real kubectl against a KubeLab API server: the request pipeline as users meet it. Authentication (an unknown
 * token, a user added to the token file while the cluster runs, ServiceAccount tokens from TokenRequest and their
 * rejection once the ServiceAccount is recreated), RBAC (a RoleBinding of `view`, Forbidden wording, auth can-i,
 * can-i --list, auth whoami), impersonation, and admission (LimitRanger defaults, ResourceQuota, PodSecurity enforce
 * and warn, NamespaceLifecycle's immortal namespaces), plus a multi-cause Invalid error. Expected lines are kubectl
 * 1.32's against a real kube-apiserver.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { tokensFile } from '../../src/apiserver/pki/tokens';
import { lines, parseTable } from '../helpers/kubectl';
import { kubectlSuite } from '../helpers/kubectl-suite';
import { waitFor } from '../helpers/wait';

const UNAUTHORIZED = 'error: You must be logged in to the server (Unauthorized)\n';
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const pod = (name: string, securityContext?: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'nginx', image: 'nginx', ...(securityContext ? { securityContext } : {}) }] },
});

test('kubectl: authentication, RBAC, impersonation, admission', { timeout: 90_000 }, async (t) => {
  await kubectlSuite(t, async ({ k, tc }) => {
    const admin = tc.inProcess();
    const devToken = `dev-${randomBytes(16).toString('hex')}`;
    const asDev = (args: string[]) => k.run([...args, `--token=${devToken}`]);
    const getStatus = async (path: string, api = admin) => (await api.request({ method: 'GET', path })).status;
    const saUid = async (ns: string): Promise<string | undefined> => {
      const r = await admin.request({ method: 'GET', path: `/api/v1/namespaces/${ns}/serviceaccounts/default` });
      return r.status === 200 ? (r.body as { metadata: { uid: string } }).metadata.uid : undefined;
    };
    /** Creates a namespace and waits for its `default` ServiceAccount (ServiceAccount admission needs it for pods). */
    const namespace = async (name: string) => {
      assert.equal(await k.ok(['create', 'namespace', name]), `namespace/${name} created\n`);
      await waitFor(() => saUid(name), `the default ServiceAccount in ${name}`, { timeoutMs: 5000, intervalMs: 20 });
    };

    await t.test('an unknown token: You must be logged in to the server (Unauthorized)', async () => {
      await k.ok(['get', 'namespaces']); // discovery is cached: get goes straight to the list
      const bad = k.kubeconfigWithToken('not-a-known-token');
      const r = await k.fails(['get', 'pods'], { kubeconfig: bad });
      assert.equal(r.stderr, UNAUTHORIZED);
      assert.equal(r.stdout, '');
      const w = await k.fails(['auth', 'whoami', '--token=not-a-known-token'], { cacheDir: k.freshCacheDir() });
      assert.equal(w.stderr, UNAUTHORIZED);
      // Without cached discovery, the failing discovery is what kubectl reports (client-go's own wording).
      const fresh = lines((await k.fails(['get', 'pods'], { kubeconfig: bad, cacheDir: k.freshCacheDir() })).stderr);
      assert.equal(fresh.at(-1), 'error: You must be logged in to the server (the server has asked for the client to provide credentials)');
      for (const l of fresh.slice(0, -1)) {
        assert.match(l, /^E\d{4} [\d:.]+ +\d+ memcache\.go:\d+\] "Unhandled Error" err="couldn't get current server API group list: the server has asked for the client to provide credentials"$/);
      }
    });

    await t.test('a user added to tokens.csv gets what a RoleBinding of view grants, and no more', async () => {
      fs.appendFileSync(tokensFile(tc.cluster.dataDir), `${devToken},dev-user,dev-user-uid,"dev"\n`);
      await namespace('team');
      assert.equal(
        await k.ok(['create', 'rolebinding', 'dev-view', '--clusterrole=view', '--user=dev-user', '-n', 'team']),
        'rolebinding.rbac.authorization.k8s.io/dev-view created\n',
      );
      // The token file is re-read within a second of the change.
      const dev = tc.inProcess(devToken);
      await waitFor(async () => (await getStatus('/api/v1/namespaces/team/pods', dev)) === 200, 'dev-user can list pods in team', { timeoutMs: 4000, intervalMs: 100 });

      const list = await asDev(['get', 'pods', '-n', 'team']);
      assert.deepEqual([list.code, list.stdout, list.stderr], [0, '', 'No resources found in team namespace.\n']);
      assert.equal(await k.ok(['run', 'x', '--image=nginx', '-n', 'team']), 'pod/x created\n');
      const del = await asDev(['delete', 'pod', 'x', '-n', 'team']);
      assert.equal(del.code, 1);
      assert.equal(del.stderr, 'Error from server (Forbidden): pods "x" is forbidden: User "dev-user" cannot delete resource "pods" in API group "" in the namespace "team"\n');
      const secrets = await asDev(['get', 'secrets', '-n', 'team']);
      assert.equal(secrets.code, 1);
      assert.equal(secrets.stderr, 'Error from server (Forbidden): secrets is forbidden: User "dev-user" cannot list resource "secrets" in API group "" in the namespace "team"\n');
    });

    await t.test('auth can-i: no (exit code 1) and yes, as another user and with a token', async () => {
      const no = await k.run(['auth', 'can-i', 'create', 'deployments', '-n', 'team', '--as', 'dev-user']);
      assert.deepEqual([no.code, no.stdout, no.stderr], [1, 'no\n', '']);
      const yes = await k.run(['auth', 'can-i', 'create', 'deployments', '-n', 'team']);
      assert.deepEqual([yes.code, yes.stdout, yes.stderr], [0, 'yes\n', '']);
      const list = await asDev(['auth', 'can-i', 'list', 'pods', '-n', 'team']);
      assert.deepEqual([list.code, list.stdout, list.stderr], [0, 'yes\n', '']);
    });

    await t.test('auth can-i --list: the rules view grants in team, as a table', async () => {
      const rules = await asDev(['auth', 'can-i', '--list', '-n', 'team']);
      assert.equal(rules.code, 0, rules.stderr);
      const table = parseTable(rules.stdout);
      assert.deepEqual(table.headers, ['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
      const row = (resources: string) => table.rows.find((r) => r.Resources === resources);
      assert.deepEqual(row('pods'), { Resources: 'pods', 'Non-Resource URLs': '[]', 'Resource Names': '[]', Verbs: '[get list watch]' });
      assert.deepEqual(row('deployments.apps'), { Resources: 'deployments.apps', 'Non-Resource URLs': '[]', 'Resource Names': '[]', Verbs: '[get list watch]' });
      assert.equal(row('selfsubjectaccessreviews.authorization.k8s.io')?.Verbs, '[create]');
      assert.equal(row('secrets'), undefined, 'view does not grant secrets');
    });

    await t.test('auth whoami: the admin from the token file, with system:authenticated added', async () => {
      const who = await k.run(['auth', 'whoami']);
      assert.equal(who.code, 0, who.stderr);
      assert.deepEqual(lines(who.stdout), ['ATTRIBUTE   VALUE', 'Username    kubelab-admin', 'UID         kubelab-admin', 'Groups      [system:masters system:authenticated]']);
    });

    await t.test('impersonation: allowed for the admin, Forbidden for dev-user', async () => {
      const as = await k.run(['get', 'pods', '-n', 'team', '--as', 'dev-user']);
      assert.equal(as.code, 0, as.stderr);
      assert.deepEqual(parseTable(as.stdout).rows.map((r) => r.NAME), ['x']);
      const r = await asDev(['get', 'pods', '-n', 'team', '--as', 'someone']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'Error from server (Forbidden): users "someone" is forbidden: User "dev-user" cannot impersonate resource "users" in API group "" at the cluster scope\n');
    });

    await t.test('LimitRanger: a Container default of 512Mi / 256Mi fills a pod without resources', async () => {
      await namespace('limits');
      const limitRange = {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: 'mem-limit-range' },
        spec: { limits: [{ default: { memory: '512Mi' }, defaultRequest: { memory: '256Mi' }, type: 'Container' }] },
      };
      assert.equal(await k.ok(['apply', '-n', 'limits', '-f', k.writeManifest('limit-range.yaml', limitRange)]), 'limitrange/mem-limit-range created\n');
      const demo = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'default-mem-demo' }, spec: { containers: [{ name: 'default-mem-demo-ctr', image: 'nginx' }] } };
      assert.equal(await k.ok(['apply', '-n', 'limits', '-f', k.writeManifest('default-mem-demo.yaml', demo)]), 'pod/default-mem-demo created\n');
      const jp = (expr: string) => k.ok(['get', 'pod', 'default-mem-demo', '-n', 'limits', '-o', `jsonpath=${expr}`]);
      assert.equal(await jp('{.spec.containers[0].resources.limits.memory} {.spec.containers[0].resources.requests.memory}'), '512Mi 256Mi');
      assert.equal(
        await jp('{.metadata.annotations.kubernetes\\.io/limit-ranger}'),
        'LimitRanger plugin set: memory request for container default-mem-demo-ctr; memory limit for container default-mem-demo-ctr',
      );
    });

    await t.test('ResourceQuota: the fourth pod exceeds pods=3', async () => {
      await namespace('quota');
      assert.equal(await k.ok(['create', 'quota', 'q', '--hard=pods=3', '-n', 'quota']), 'resourcequota/q created\n');
      const quota = (expr: string) => k.ok(['get', 'quota', 'q', '-n', 'quota', '-o', `jsonpath=${expr}`]);
      // No ResourceQuota controller yet: admission computes the missing usage itself and records it in status.
      for (const name of ['p1', 'p2', 'p3']) assert.equal(await k.ok(['run', name, '--image=nginx', '-n', 'quota']), `pod/${name} created\n`);
      assert.equal(await quota('{.status.hard.pods} {.status.used.pods}'), '3 3');
      const r = await k.fails(['run', 'p4', '--image=nginx', '-n', 'quota']);
      assert.equal(r.stderr, 'Error from server (Forbidden): pods "p4" is forbidden: exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3\n');
    });

    await t.test('an invalid Deployment: every cause on its own line', async () => {
      const bad = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'bad' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'bad' } },
          template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'Web_Server', image: 'nginx' }] } },
        },
      };
      const r = await k.fails(['apply', '-f', k.writeManifest('invalid-deployment.yaml', bad)]);
      assert.deepEqual(lines(r.stderr), [
        'The Deployment "bad" is invalid: ',
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
        `* spec.template.spec.containers[0].name: Invalid value: "Web_Server": ${DNS1123_LABEL_MSG}`,
      ]);
      assert.equal((await k.fails(['get', 'deploy', 'bad'])).stderr, 'Error from server (NotFound): deployments.apps "bad" not found\n');
    });

    await t.test('create token: a JWT that authenticates as the ServiceAccount', async () => {
      const r = await k.run(['create', 'token', 'default', '-n', 'team']);
      assert.equal(r.code, 0, r.stderr);
      // The token alone: kubectl adds a newline only when stdout is a terminal.
      assert.match(r.stdout, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      const who = await k.run(['auth', 'whoami', `--token=${r.stdout}`]);
      assert.equal(who.code, 0, who.stderr);
      const rows = parseTable(who.stdout).rows;
      const value = (attribute: string) => rows.find((x) => x.ATTRIBUTE === attribute)?.VALUE;
      assert.equal(value('Username'), 'system:serviceaccount:team:default');
      assert.equal(value('UID'), await saUid('team'));
      assert.equal(value('Groups'), '[system:serviceaccounts system:serviceaccounts:team system:authenticated]');
      assert.match(value('Extra: authentication.kubernetes.io/credential-id') ?? '', /^\[JTI=[0-9a-f-]+\]$/);
    });

    await t.test('a ServiceAccount token stops working when its ServiceAccount is recreated', async () => {
      const request = k.writeManifest('token-request.json', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }));
      const issued = JSON.parse(await k.ok(['create', '--raw', '/api/v1/namespaces/team/serviceaccounts/default/token', '-f', request])) as { status: { token: string } };
      const jwt = issued.status.token;
      const before = await k.run(['get', 'pods', '-n', 'team', `--token=${jwt}`]);
      assert.equal(
        before.stderr,
        'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:team:default" cannot list resource "pods" in API group "" in the namespace "team"\n',
        'the token authenticates (and RBAC grants the ServiceAccount nothing)',
      );
      const oldUid = await saUid('team');
      assert.equal(await k.ok(['delete', 'sa', 'default', '-n', 'team']), 'serviceaccount "default" deleted\n');
      await waitFor(async () => {
        const uid = await saUid('team');
        return uid !== undefined && uid !== oldUid;
      }, 'the default ServiceAccount to be recreated with a new uid', { timeoutMs: 5000, intervalMs: 20 });
      const after = await k.run(['get', 'pods', '-n', 'team', `--token=${jwt}`]);
      assert.deepEqual([after.code, after.stdout, after.stderr], [1, '', UNAUTHORIZED]);
    });

    await t.test('PodSecurity: enforce=restricted rejects a plain pod; warn=baseline warns and admits', async () => {
      await namespace('restricted');
      const labelled = await k.run(['label', 'namespace', 'restricted', 'pod-security.kubernetes.io/enforce=restricted']);
      assert.deepEqual([labelled.code, labelled.stdout, labelled.stderr], [0, 'namespace/restricted labeled\n', '']);
      const file = k.writeManifest('nginx-pod.yaml', pod('nginx'));
      const r = await k.fails(['apply', '-n', 'restricted', '-f', file]);
      const prefix = `Error from server (Forbidden): error when creating "${file}": pods "nginx" is forbidden: violates PodSecurity "restricted:latest": `;
      assert.ok(r.stderr.startsWith(prefix), r.stderr);
      assert.ok(r.stderr.includes('allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false)'), r.stderr);
      assert.equal(
        r.stderr,
        `${prefix}allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")\n`,
      );

      await namespace('baseline-warn');
      assert.equal(await k.ok(['label', 'namespace', 'baseline-warn', 'pod-security.kubernetes.io/warn=baseline']), 'namespace/baseline-warn labeled\n');
      const priv = await k.run(['create', '-n', 'baseline-warn', '-f', k.writeManifest('privileged-pod.yaml', pod('priv', { privileged: true }))]);
      assert.deepEqual(
        [priv.code, priv.stdout, priv.stderr],
        [0, 'pod/priv created\n', 'Warning: would violate PodSecurity "baseline:latest": privileged (container "nginx" must not set securityContext.privileged=true)\n'],
      );
    });

    await t.test('kube-system may not be deleted', async () => {
      const r = await k.fails(['delete', 'namespace', 'kube-system']);
      assert.equal(r.stderr, 'Error from server (Forbidden): namespaces "kube-system" is forbidden: this namespace may not be deleted\n');
      assert.equal(await getStatus('/api/v1/namespaces/kube-system'), 200);
    });
  });
});
