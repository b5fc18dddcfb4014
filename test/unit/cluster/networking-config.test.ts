import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseClusterConfig, applyCliOverrides, defaultClusterConfig, ClusterConfigError } from '../../../src/cluster/config';
import { parseGoDuration } from '../../../src/cluster/config/networking';
import { parseCli } from '../../../src/cli/args';

const base = 'apiVersion: kubelab.dev/v1alpha1\nkind: ClusterConfig\n';

function errorsOf(text: string): readonly string[] {
  try {
    parseClusterConfig(text, 'test.yaml');
  } catch (e) {
    if (e instanceof ClusterConfigError) return e.errors;
    throw e;
  }
  return [];
}

describe('ClusterConfig networking', () => {
  it('defaults to upstream kube-proxy settings and the add-ons on their loopback ports', () => {
    const c = defaultClusterConfig();
    assert.deepEqual(c.kubeProxy, { mode: 'iptables', ipvsScheduler: 'rr', minSyncPeriodMs: 1000, syncPeriodMs: 30_000 });
    assert.deepEqual(c.addons, { dns: { enabled: true, port: 10053 }, ingress: { enabled: true, port: 10080 } });
  });

  it('reads mode, scheduler, durations and add-on ports', () => {
    const { config } = parseClusterConfig(`${base}kubeProxy: { mode: ipvs, ipvsScheduler: lc, minSyncPeriod: 250ms, syncPeriod: 1m }\naddons: { dns: { port: 0 }, ingress: { enabled: false } }\n`, 'test.yaml');
    assert.deepEqual(config.kubeProxy, { mode: 'ipvs', ipvsScheduler: 'lc', minSyncPeriodMs: 250, syncPeriodMs: 60_000 });
    assert.deepEqual(config.addons, { dns: { enabled: true, port: 0 }, ingress: { enabled: false, port: 10080 } });
  });

  it('refuses bad values with field paths', () => {
    const errs = errorsOf(`${base}kubeProxy: { mode: nftables, minSyncPeriod: soon, syncPeriod: 1s, ipvsScheduler: fastest }\naddons: { dns: { port: 70000, enabled: yes please }, ingres: {} }\n`);
    assert.ok(errs.some((e) => e.startsWith('kubeProxy.mode: Unsupported value: "nftables": supported values: "iptables", "ipvs", "userspace"')), errs.join('\n'));
    assert.ok(errs.some((e) => e.startsWith('kubeProxy.minSyncPeriod: expected a duration')), errs.join('\n'));
    assert.ok(errs.some((e) => e.startsWith('kubeProxy.ipvsScheduler: Unsupported value: "fastest"')), errs.join('\n'));
    assert.ok(errs.some((e) => e.startsWith('addons.dns.port: must be from 0 to 65535')), errs.join('\n'));
    assert.ok(errs.some((e) => e.startsWith('addons.dns.enabled: expected true or false')), errs.join('\n'));
    assert.ok(errs.some((e) => e.startsWith('addons.ingres: unknown field; did you mean "ingress"?')), errs.join('\n'));
    assert.ok(errorsOf(`${base}kubeProxy: { minSyncPeriod: 10s, syncPeriod: 1s }\n`).some((e) => e.startsWith('kubeProxy.syncPeriod: must be greater than or equal')));
  });

  it('parses Go durations', () => {
    assert.equal(parseGoDuration('1m30s'), 90_000);
    assert.equal(parseGoDuration('500ms'), 500);
    assert.equal(parseGoDuration('1.5s'), 1500);
    assert.equal(parseGoDuration('5'), undefined);
    assert.equal(parseGoDuration('1s junk'), undefined);
  });

  it('takes --proxy-mode, --dns-port and --ingress-port from the command line', () => {
    const o = parseCli(['--proxy-mode', 'userspace', '--dns-port', '0', '--ingress-port', '18080']);
    const c = applyCliOverrides(defaultClusterConfig(), { proxyMode: o.proxyMode, dnsPort: o.dnsPort, ingressPort: o.ingressPort });
    assert.equal(c.kubeProxy.mode, 'userspace');
    assert.equal(c.addons.dns.port, 0);
    assert.equal(c.addons.ingress.port, 18080);
    assert.throws(() => parseCli(['--proxy-mode', 'kernelspace']), /--proxy-mode must be one of iptables, ipvs, userspace, not "kernelspace"/);
    assert.throws(() => parseCli(['--dns-port=-1']), /--dns-port must be a whole number/);
  });
});
