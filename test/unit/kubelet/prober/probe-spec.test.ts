/** Reading probes from an API container: defaults, actions, port resolution and $(VAR) expansion as upstream. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { expandCommand, probeSpecOf, probeTypeName, resolveContainerPort, type ContainerLike } from '../../../../src/kubelet/prober/probe-spec';

describe('probe spec', () => {
  it('defaults as the API server\'s: period 10, timeout 1, success 1, failure 3, delay 0; ≤ 0 counts as unset', () => {
    const c: ContainerLike = { name: 'c', livenessProbe: { tcpSocket: { port: 80 } }, readinessProbe: { exec: { command: ['true'] }, periodSeconds: 0, timeoutSeconds: -1, initialDelaySeconds: 7, successThreshold: 2, failureThreshold: 5 } };
    assert.deepEqual(probeSpecOf(c, 'liveness'), {
      type: 'liveness',
      action: { type: 'tcpSocket', host: undefined, port: 80 },
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
    const r = probeSpecOf(c, 'readiness')!;
    assert.deepEqual([r.periodSeconds, r.timeoutSeconds, r.initialDelaySeconds, r.successThreshold, r.failureThreshold], [10, 1, 7, 2, 5]);
    assert.equal(probeSpecOf(c, 'startup'), undefined);
  });

  it('actions: httpGet defaults (scheme HTTP, path /), headers, grpc, and a probe without a handler', () => {
    const c: ContainerLike = {
      name: 'c',
      livenessProbe: { httpGet: { port: 'web', scheme: 'HTTPS', host: 'example.com', httpHeaders: [{ name: 'X-A', value: 'b' }] } },
      readinessProbe: { grpc: { port: 9090, service: 'ready' } },
      startupProbe: { periodSeconds: 3 },
    };
    assert.deepEqual(probeSpecOf(c, 'liveness')!.action, { type: 'httpGet', scheme: 'https', host: 'example.com', path: '/', port: 'web', headers: [{ name: 'X-A', value: 'b' }] });
    assert.deepEqual(probeSpecOf(c, 'readiness')!.action, { type: 'grpc', port: 9090, service: 'ready' });
    assert.deepEqual(probeSpecOf(c, 'startup')!.action, { type: 'none' });
  });

  it('probe type names as events print them', () => {
    assert.deepEqual((['liveness', 'readiness', 'startup'] as const).map(probeTypeName), ['Liveness', 'Readiness', 'Startup']);
  });

  it('ports: numbers, container port names, numeric strings; upstream\'s errors otherwise', () => {
    const c: ContainerLike = { name: 'c', ports: [{ name: 'web', containerPort: 8080 }, { name: 'zero', containerPort: 0 }] };
    const cases: [number | string, number | string][] = [
      [80, 80],
      ['web', 8080],
      ['8081', 8081],
      ['nope', 'strconv.Atoi: parsing "nope": invalid syntax'],
      ['zero', 'invalid port number: 0'],
      [70000, 'invalid port number: 70000'],
      [-1, 'invalid port number: -1'],
    ];
    for (const [param, want] of cases) {
      const got = resolveContainerPort(param, c);
      assert.deepEqual(got instanceof Error ? got.message : got, want, String(param));
    }
  });

  it('exec commands expand $(VAR) from literal env values only; $$ escapes; unknown references stay', () => {
    const env = [{ name: 'A', value: 'x' }, { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'E' }];
    const cases: [string, string][] = [
      ['$(A)', 'x'],
      ['pre-$(A)-post', 'pre-x-post'],
      ['$(S)', '$(S)'],
      ['$(MISSING)', '$(MISSING)'],
      ['$(E)', ''],
      ['$$(A)', '$(A)'],
      ['$A', '$A'],
      ['$(A', '$(A'],
    ];
    for (const [arg, want] of cases) assert.deepEqual(expandCommand([arg], env), [want], arg);
  });

  it('property: a command without "$" is left as it is', () => {
    fc.assert(fc.property(fc.array(fc.string().filter((s) => !s.includes('$'))), (argv) => assert.deepEqual(expandCommand(argv, [{ name: 'A', value: 'x' }]), argv)));
  });
});
