/**
 * The whole cluster as a user meets it: `npm start` (the real CLI, a child process, 2 workers, simulated delays × 0.05)
 * driven by the real kubectl. Nodes Ready with the control-plane role and taint; the control plane's static pods
 * Running in kube-system; componentstatuses; a Deployment of 3 rolls out to Running pods with IPs on the workers and
 * rolls over to a new image; a Job runs to Complete; `kubectl logs` (plain, --tail, --timestamps, -f) of echoing
 * containers; `sh -c 'exit 1'` ends in CrashLoopBackOff with a growing restart count and upstream's events in
 * `describe`; `kubectl exec` answers at once with an error.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliClusterSuite } from '../helpers/cli-cluster';
import { lines, parseTable } from '../helpers/kubectl';
import { waitFor } from '../helpers/wait';

const WORKERS = ['kubelab-worker', 'kubelab-worker2'];
const CONTROL_PLANE = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((c) => `${c}-kubelab-control-plane`);
const POD_IP = /^10\.244\.\d+\.\d+$/;

test('kubectl against npm start: nodes, control plane, workloads, logs', { timeout: 150_000 }, async (t) => {
  await cliClusterSuite(t, ['--port', '0', '--dns-port', '0', '--ingress-port', '0', '--nodes', '2', '--time-scale', '0.05'], async ({ k }) => {
    const rows = async (args: string[]) => parseTable(await k.ok(args)).rows;
    const until = async <T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> =>
      (await waitFor(fn, what, { timeoutMs, intervalMs: 250 })) as T;
    const podStatus = async (name: string) => (await rows(['get', 'pod', name]))[0];

    // Started first: its restart count must have time to grow while the other cases run.
    assert.equal(await k.ok(['run', 'crash', '--image=busybox', '--', 'sh', '-c', 'exit 1']), 'pod/crash created\n');

    await t.test('kubectl get nodes: the control plane and 2 workers, all Ready', async () => {
      const nodes = await until(async () => {
        const r = await rows(['get', 'nodes']);
        return r.length === 3 && r.every((n) => n.STATUS === 'Ready') ? r : undefined;
      }, '3 Ready nodes');
      assert.deepEqual(nodes.map((n) => [n.NAME, n.ROLES]), [['kubelab-control-plane', 'control-plane'], ...WORKERS.map((w) => [w, '<none>'])]);
      for (const n of nodes) assert.equal(n.VERSION, 'v1.32.0');
      const taints = await k.ok(['get', 'node', 'kubelab-control-plane', '-o', 'jsonpath={range .spec.taints[*]}{.key}:{.effect}{"\\n"}{end}']);
      assert.equal(taints, 'node-role.kubernetes.io/control-plane:NoSchedule\n');
    });

    await t.test('kubectl get pods -n kube-system: the control plane runs as static pods on the master', async () => {
      const pods = await until(async () => {
        const r = (await rows(['get', 'pods', '-n', 'kube-system', '-o', 'wide'])).filter((p) => CONTROL_PLANE.includes(p.NAME));
        return r.length === 4 && r.every((p) => p.STATUS === 'Running' && p.READY === '1/1') ? r : undefined;
      }, 'the 4 control-plane pods Running 1/1');
      assert.deepEqual(pods.map((p) => p.NAME).sort(), [...CONTROL_PLANE].sort());
      for (const p of pods) {
        assert.equal(p.NODE, 'kubelab-control-plane');
        assert.equal(p.RESTARTS, '0');
      }
    });

    await t.test('kubectl get componentstatuses: scheduler, controller-manager and etcd are Healthy', async () => {
      const r = await k.run(['get', 'componentstatuses']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^Warning: v1 ComponentStatus is deprecated in v1\.19\+$/m);
      const cs = parseTable(r.stdout).rows;
      assert.deepEqual(cs.map((c) => c.NAME).sort(), ['controller-manager', 'etcd-0', 'scheduler']);
      for (const c of cs) assert.equal(c.STATUS, 'Healthy', JSON.stringify(c));
    });

    await t.test('a Deployment of 3 rolls out to Running pods with IPs on the workers', async () => {
      assert.equal(await k.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']), 'deployment.apps/web created\n');
      const status = await k.ok(['rollout', 'status', 'deployment/web', '--timeout=120s']);
      assert.match(status, /deployment "web" successfully rolled out\n$/);
      const pods = await rows(['get', 'pods', '-o', 'wide', '-l', 'app=web']);
      assert.equal(pods.length, 3, JSON.stringify(pods));
      for (const p of pods) {
        assert.match(p.NAME, /^web-[a-z0-9]+-[a-z0-9]{5}$/);
        assert.equal(p.READY, '1/1');
        assert.equal(p.STATUS, 'Running');
        assert.match(p.IP, POD_IP);
        assert.ok(WORKERS.includes(p.NODE), `${p.NAME} runs on ${p.NODE}`);
      }
      assert.equal(new Set(pods.map((p) => p.IP)).size, 3, 'each pod has its own IP');
      const d = (await rows(['get', 'deployment', 'web']))[0];
      assert.deepEqual([d.READY, d['UP-TO-DATE'], d.AVAILABLE], ['3/3', '3', '3']);
    });

    await t.test('kubectl set image rolls the Deployment over to the new image', async () => {
      assert.equal(await k.ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']), 'deployment.apps/web image updated\n');
      assert.match(await k.ok(['rollout', 'status', 'deployment/web', '--timeout=120s']), /deployment "web" successfully rolled out\n$/);
      const images = await until(async () => {
        const out = await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image} {.status.phase}{"\\n"}{end}']);
        return lines(out).length === 3 ? lines(out) : undefined;
      }, 'the old pods gone');
      assert.deepEqual(images, ['nginx:1.27 Running', 'nginx:1.27 Running', 'nginx:1.27 Running']);
      const rs = await rows(['get', 'rs', '-l', 'app=web']);
      assert.deepEqual(rs.map((r) => r.DESIRED).sort(), ['0', '3']);
      assert.match(await k.ok(['rollout', 'history', 'deployment/web']), /^1 +<none>\n2 +<none>\n/m);
    });

    await t.test('a Job runs to Complete', async () => {
      await k.ok(['create', 'job', 'once', '--image=busybox', '--', 'sh', '-c', 'echo done']);
      assert.match(await k.ok(['wait', '--for=condition=complete', 'job/once', '--timeout=60s']), /^job\.batch\/once condition met\n$/);
      const j = (await rows(['get', 'job', 'once']))[0];
      assert.equal(j.STATUS, 'Complete');
      assert.equal(j.COMPLETIONS, '1/1');
      assert.equal(await k.ok(['logs', 'job/once']), 'done\n');
    });

    await t.test('kubectl logs of a container that echoes: exact lines, --tail, --timestamps', async () => {
      assert.equal(await k.ok(['run', 'echo', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo hello; echo world']), 'pod/echo created\n');
      await until(async () => (await podStatus('echo')).STATUS === 'Completed', 'echo Completed');
      assert.equal(await k.ok(['logs', 'echo']), 'hello\nworld\n');
      assert.equal(await k.ok(['logs', 'echo', '--tail=1']), 'world\n');
      const stamped = lines(await k.ok(['logs', 'echo', '--timestamps']));
      assert.equal(stamped.length, 2, stamped.join('\n'));
      // The kubelet's RFC3339NanoFixed: always nine fraction digits.
      stamped.forEach((l, i) => assert.match(l, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z ${['hello', 'world'][i]}$`)));
    });

    await t.test('kubectl logs -f follows a running container and ends when it exits', async () => {
      await k.ok(['run', 'follow', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo one; sleep 2; echo two']);
      await until(async () => (await podStatus('follow')).STATUS === 'Running', 'follow Running');
      const started = Date.now();
      const r = await k.run(['logs', '-f', 'follow']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'one\ntwo\n');
      assert.ok(Date.now() - started < 20_000, 'kubectl logs -f returned after the container exited');
      assert.equal((await podStatus('follow')).STATUS, 'Completed');
    });

    await t.test('sh -c "exit 1" ends in CrashLoopBackOff with a growing restart count', async () => {
      const pod = await until(async () => {
        const p = await podStatus('crash');
        return p.STATUS === 'CrashLoopBackOff' && /^[2-9]\d* \(\S+ ago\)$/.test(p.RESTARTS) ? p : undefined;
      }, 'crash in CrashLoopBackOff with ≥ 2 restarts', 40_000);
      assert.equal(pod.READY, '0/1');
    });

    await t.test('kubectl describe pod shows the state and the kubelet events as upstream words them', async () => {
      const out = await k.ok(['describe', 'pod', 'crash']);
      assert.match(out, /^ {4}State: {10}Waiting\n {6}Reason: {7}CrashLoopBackOff$/m);
      assert.match(out, /^ {4}Last State: {5}Terminated\n {6}Reason: {7}Error\n {6}Exit Code: {4}1$/m);
      assert.match(out, /^ {4}Restart Count: {2}[2-9]\d*$/m);
      const uid = (await k.ok(['get', 'pod', 'crash', '-o', 'jsonpath={.metadata.uid}'])).trim();
      const events = out.slice(out.indexOf('\nEvents:\n'));
      const expected: [string, string, RegExp][] = [
        ['Normal', 'Scheduled', /default-scheduler +Successfully assigned default\/crash to kubelab-worker2?$/],
        ['Normal', 'Pulling', /kubelet +Pulling image "busybox"$/],
        ['Normal', 'Pulled', /kubelet +Successfully pulled image "busybox" in \S+ \(\S+ including waiting\)\. Image size: \d+ bytes\.$/],
        ['Normal', 'Created', /kubelet +Created container: crash$/],
        ['Normal', 'Started', /kubelet +Started container crash$/],
        ['Warning', 'BackOff', new RegExp(`kubelet +Back-off restarting failed container crash in pod crash_default\\(${uid}\\)$`)],
      ];
      for (const [type, reason, message] of expected) {
        assert.ok(lines(events).some((l) => new RegExp(`^ +${type} +${reason} +\\S`).test(l) && message.test(l)), `${type} ${reason} ${message} in:\n${events}`);
      }
      assert.ok(lines(events).some((l) => /^ +Warning +BackOff +\S+ \(x\d+ over \S+\) +kubelet /.test(l)), `repeated BackOff counted:\n${events}`);
    });

    await t.test('kubectl exec answers at once with an error, not a hang', async () => {
      const pod = (await rows(['get', 'pods', '-l', 'app=web']))[0].NAME;
      const started = Date.now();
      const r = await k.run(['exec', pod, '--', 'ls']);
      assert.ok(Date.now() - started < 15_000, 'answered within 15 s');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /^(Error from server|error)/m);
      assert.equal(r.stdout, '');
    });

    await t.test('kubectl exec says clearly that exec is not supported', async () => {
      const pod = (await rows(['get', 'pods', '-l', 'app=web']))[0].NAME;
      const r = await k.run(['exec', pod, '--', 'ls']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /exec is not supported by KubeLab/);
      assert.doesNotMatch(r.stderr, /the server could not find the requested resource/);
    });
  });
});
