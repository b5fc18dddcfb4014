/** What the sim reads from a container spec: HTTP server or not, ports, OOM, SIGTERM handling, HTTP answers. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { behaviourOf, DEFAULT_STOP_DELAY_MS, httpAnswer } from '../../../../../src/kubelet/runtime/sim/behaviour';
import type { ContainerSpec } from '../../../../../src/kubelet/runtime/runtime';

const spec = (image: string, more: Partial<ContainerSpec> = {}): ContainerSpec => ({ name: 'c', image, ...more });
const env = (vars: Record<string, string>) => Object.entries(vars).map(([name, value]) => ({ name, value }));

describe('sim behaviour', () => {
  it('HTTP servers: images named *http* or *nginx* (last path component) without a command, or with a server binary', () => {
    const table: [ContainerSpec, boolean][] = [
      [spec('nginx'), true],
      [spec('nginx:1.27-alpine'), true],
      [spec('docker.io/library/httpd:2.4'), true],
      [spec('hashicorp/http-echo:1.0'), true],
      [spec('nginx', { command: ['nginx', '-g', 'daemon off;'] }), true],
      [spec('nginx', { command: ['sh', '-c', 'sleep 10'] }), false],
      [spec('busybox'), false],
      [spec('registry.example.com/team/http-server@sha256:' + 'b'.repeat(64)), true],
      [spec('bitnami/nginx:1.27'), true],
      [spec('example.com:5000/http/app:v1'), false],
      [spec('myhttpregistry.io/redis'), false],
      [spec('redis'), false],
    ];
    for (const [s, expected] of table) assert.equal(behaviourOf(s).httpServer, expected, JSON.stringify(s));
  });

  it('ports: servers listen on 80 and declared TCP ports; applications on declared ones; interpreted programs nowhere', () => {
    const ports = (s: ContainerSpec) => [...behaviourOf(s).ports].sort((a, b) => a - b);
    assert.deepEqual(ports(spec('nginx', { ports: [{ containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }] })), [80, 8080]);
    assert.deepEqual(ports(spec('myapp', { ports: [{ containerPort: 9000 }] })), [9000]);
    assert.deepEqual(ports(spec('myapp', { command: ['/bin/app'], ports: [{ containerPort: 9000 }] })), [9000]);
    assert.deepEqual(ports(spec('busybox', { command: ['sleep', '3600'], ports: [{ containerPort: 9000 }] })), []);
  });

  it('OOM: KUBELAB_SIM_MEMORY above the memory limit (quantities compared exactly)', () => {
    const oom = (mem: string | undefined, limit: string | number | undefined) =>
      behaviourOf(spec('busybox', { env: mem ? env({ KUBELAB_SIM_MEMORY: mem }) : [], resources: limit === undefined ? {} : { limits: { memory: limit } } })).oom;
    assert.equal(oom('512Mi', '256Mi'), true);
    assert.equal(oom('256Mi', '256Mi'), false, 'equal to the limit fits');
    assert.equal(oom('1G', '1Gi'), false, '1G < 1Gi');
    assert.equal(oom('1Gi', '1G'), true);
    assert.equal(oom('300000000', 268435456), true, 'a limit given in bytes');
    assert.equal(oom('512Mi', undefined), false, 'no limit: no OOM');
    assert.equal(oom(undefined, '1Mi'), false, 'no declared use: no OOM');
    assert.equal(oom('lots', '1Mi'), false, 'an unparsable use is ignored');
  });

  it('SIGTERM: interpreted programs ignore it, servers and applications exit after the stop delay; env overrides', () => {
    const b = (s: ContainerSpec) => [behaviourOf(s).sigterm, behaviourOf(s).stopDelayMs];
    assert.deepEqual(b(spec('busybox', { command: ['sleep', '10'] })), ['ignore', DEFAULT_STOP_DELAY_MS]);
    assert.deepEqual(b(spec('nginx')), ['exit', DEFAULT_STOP_DELAY_MS]);
    assert.deepEqual(b(spec('myapp')), ['exit', DEFAULT_STOP_DELAY_MS]);
    assert.deepEqual(b(spec('nginx', { env: env({ KUBELAB_SIM_ON_SIGTERM: 'ignore' }) })), ['ignore', DEFAULT_STOP_DELAY_MS]);
    assert.deepEqual(b(spec('busybox', { command: ['sh'], env: env({ KUBELAB_SIM_ON_SIGTERM: 'exit', KUBELAB_SIM_STOP_DELAY: '1.5s' }) })), ['exit', 1500]);
    assert.deepEqual(b(spec('nginx', { env: env({ KUBELAB_SIM_STOP_DELAY: 'soon' }) })), ['exit', DEFAULT_STOP_DELAY_MS]);
  });

  it('HTTP answers: nginx/httpd serve / and /index.html; other servers and applications answer 200; the env fixes it', () => {
    const nginx = behaviourOf(spec('nginx'));
    assert.deepEqual(['/', '/index.html', '/?x=1', '/healthz'].map((p) => httpAnswer(nginx, p)), [200, 200, 200, 404]);
    assert.equal(httpAnswer(behaviourOf(spec('hashicorp/http-echo')), '/healthz'), 200);
    assert.equal(httpAnswer(behaviourOf(spec('myapp')), '/ready'), 200);
    assert.equal(httpAnswer(behaviourOf(spec('nginx', { env: env({ KUBELAB_SIM_HTTP_STATUS: '500' }) })), '/'), 500);
  });
});
