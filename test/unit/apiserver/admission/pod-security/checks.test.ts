import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostChecks } from '../../../../../src/apiserver/admission/pod-security/baseline-host';
import { privilegeChecks } from '../../../../../src/apiserver/admission/pod-security/baseline-privilege';
import { profileChecks } from '../../../../../src/apiserver/admission/pod-security/baseline-profiles';
import type { Check, Obj } from '../../../../../src/apiserver/admission/pod-security/check';
import { restrictedContainerChecks } from '../../../../../src/apiserver/admission/pod-security/restricted-containers';
import { restrictedPodChecks } from '../../../../../src/apiserver/admission/pod-security/restricted-pod';

const CHECKS: Check[] = [...hostChecks, ...privilegeChecks, ...profileChecks, ...restrictedPodChecks, ...restrictedContainerChecks];

/** Runs one check at a policy version (default: its newest revision). */
function run(id: string, spec: Obj, meta: Obj = {}, minor = 1000): { reason: string; detail: string } | 'allowed' {
  const check = CHECKS.find((c) => c.id === id);
  assert.ok(check, `no check ${id}`);
  const rev = [...check.versions].reverse().find((v) => v.minimumVersion <= minor);
  assert.ok(rev, `check ${id} has no revision at 1.${minor}`);
  const r = rev.checkPod(meta, spec);
  return r.allowed ? 'allowed' : { reason: r.reason, detail: r.detail };
}

const sc = (securityContext: Obj, name = 'a'): Obj => ({ name, securityContext });

interface Case {
  name: string;
  check: string;
  spec: Obj;
  meta?: Obj;
  minor?: number;
  /** [reason, detail], or 'allowed'. */
  want: [string, string] | 'allowed';
}

// Cases from upstream's policy/check_*_test.go, plus the allowed side of each check.
const CASES: Case[] = [
  { name: 'host namespaces', check: 'hostNamespaces', spec: { hostNetwork: true, hostPID: true, hostIPC: true }, want: ['host namespaces', 'hostNetwork=true, hostPID=true, hostIPC=true'] },
  { name: 'host network only', check: 'hostNamespaces', spec: { hostNetwork: true, hostPID: false }, want: ['host namespaces', 'hostNetwork=true'] },
  { name: 'no host namespaces', check: 'hostNamespaces', spec: { hostNetwork: false }, want: 'allowed' },
  {
    name: 'hostPath volumes',
    check: 'hostPathVolumes',
    spec: { volumes: [{ name: 'a', hostPath: { path: '/a' } }, { name: 'b', emptyDir: {} }, { name: 'c', hostPath: { path: '/c' } }] },
    want: ['hostPath volumes', 'volumes "a", "c"'],
  },
  { name: 'one hostPath volume', check: 'hostPathVolumes', spec: { volumes: [{ name: 'data', hostPath: { path: '/d' } }] }, want: ['hostPath volumes', 'volume "data"'] },
  {
    name: 'one container, one host port',
    check: 'hostPorts',
    spec: { containers: [{ name: 'a', ports: [{ hostPort: 0 }] }, { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 20 }] }] },
    want: ['hostPort', 'container "b" uses hostPort 20'],
  },
  {
    name: 'multiple containers, multiple host ports',
    check: 'hostPorts',
    spec: {
      containers: [
        { name: 'a', ports: [{ hostPort: 0 }] },
        { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 20 }] },
        { name: 'c', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 30 }] },
      ],
    },
    want: ['hostPort', 'containers "b", "c" use hostPorts 10, 20, 30'],
  },
  { name: 'container ports without hostPort', check: 'hostPorts', spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] }, want: 'allowed' },
  {
    name: 'hostProcess on pod and containers',
    check: 'windowsHostProcess',
    spec: {
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [sc({ windowsOptions: { hostProcess: true } }, 'a'), sc({ windowsOptions: { hostProcess: false } }, 'b'), sc({ windowsOptions: { hostProcess: true } }, 'c')],
    },
    want: ['hostProcess', 'pod and containers "a", "c" must not set securityContext.windowsOptions.hostProcess=true'],
  },
  {
    name: 'privileged containers',
    check: 'privileged',
    spec: { containers: [{ name: 'a' }, sc({}, 'b'), sc({ privileged: false }, 'c'), sc({ privileged: true }, 'd'), sc({ privileged: true }, 'e')] },
    want: ['privileged', 'containers "d", "e" must not set securityContext.privileged=true'],
  },
  { name: 'privileged init container', check: 'privileged', spec: { initContainers: [sc({ privileged: true }, 'init')], containers: [{ name: 'a' }] }, want: ['privileged', 'container "init" must not set securityContext.privileged=true'] },
  {
    name: 'non-default capabilities',
    check: 'capabilities_baseline',
    spec: { containers: [sc({ capabilities: { add: ['FOO', 'BAR'] } }, 'a'), sc({ capabilities: { add: ['BAR', 'BAZ'] } }, 'b')] },
    want: ['non-default capabilities', 'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add'],
  },
  { name: 'default capabilities', check: 'capabilities_baseline', spec: { containers: [sc({ capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE', 'SYS_CHROOT'], drop: ['ALL'] } })] }, want: 'allowed' },
  {
    name: 'unmasked procMount',
    check: 'procMount',
    spec: { containers: [sc({ procMount: 'Unmasked' }, 'a'), sc({ procMount: 'Default' }, 'b'), sc({}, 'c')] },
    want: ['procMount', 'container "a" must not set securityContext.procMount to "Unmasked"'],
  },
  {
    name: 'forbidden sysctls',
    check: 'sysctls',
    spec: { securityContext: { sysctls: [{ name: 'a', value: '1' }, { name: 'kernel.shm_rmid_forced', value: '0' }, { name: 'b', value: '2' }] } },
    want: ['forbidden sysctls', 'a, b'],
  },
  { name: 'tcp_rmem is safe from v1.32', check: 'sysctls', spec: { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }] } }, want: 'allowed' },
  { name: 'tcp_rmem before v1.32', check: 'sysctls', minor: 31, spec: { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: 'x' }] } }, want: ['forbidden sysctls', 'net.ipv4.tcp_rmem'] },
  { name: 'ip_local_reserved_ports before v1.27', check: 'sysctls', minor: 26, spec: { securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1' }] } }, want: ['forbidden sysctls', 'net.ipv4.ip_local_reserved_ports'] },
  {
    name: 'seLinux: invalid pod and containers',
    check: 'seLinuxOptions',
    spec: {
      securityContext: { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } },
      containers: [
        sc({ seLinuxOptions: { type: 'container_t' } }, 'a'),
        sc({ seLinuxOptions: { type: 'container_init_t' } }, 'b'),
        sc({ seLinuxOptions: { type: 'container_kvm_t' } }, 'c'),
        sc({ seLinuxOptions: { type: 'bar' } }, 'd'),
        sc({ seLinuxOptions: { user: 'bar' } }, 'e'),
        sc({ seLinuxOptions: { role: 'baz' } }, 'f'),
      ],
    },
    want: ['seLinuxOptions', 'pod and containers "d", "e", "f" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set'],
  },
  { name: 'seLinux: bad type', check: 'seLinuxOptions', spec: { securityContext: { seLinuxOptions: { type: 'bad' } } }, want: ['seLinuxOptions', 'pod set forbidden securityContext.seLinuxOptions: type "bad"'] },
  { name: 'seLinux: bad user', check: 'seLinuxOptions', spec: { securityContext: { seLinuxOptions: { user: 'bad' } } }, want: ['seLinuxOptions', 'pod set forbidden securityContext.seLinuxOptions: user may not be set'] },
  { name: 'seLinux: bad role', check: 'seLinuxOptions', spec: { securityContext: { seLinuxOptions: { role: 'bad' } } }, want: ['seLinuxOptions', 'pod set forbidden securityContext.seLinuxOptions: role may not be set'] },
  { name: 'seLinux: container_engine_t from v1.31', check: 'seLinuxOptions', spec: { securityContext: { seLinuxOptions: { type: 'container_engine_t' } } }, want: 'allowed' },
  { name: 'seLinux: container_engine_t before v1.31', check: 'seLinuxOptions', minor: 30, spec: { securityContext: { seLinuxOptions: { type: 'container_engine_t' } } }, want: ['seLinuxOptions', 'pod set forbidden securityContext.seLinuxOptions: type "container_engine_t"'] },
  { name: 'AppArmor: unconfined pod', check: 'appArmorProfile', spec: { securityContext: { appArmorProfile: { type: 'Unconfined' } } }, want: ['forbidden AppArmor profile', 'pod must not set AppArmor profile type to "Unconfined"'] },
  {
    name: 'AppArmor: unconfined init container',
    check: 'appArmorProfile',
    spec: { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'foo' }], initContainers: [sc({ appArmorProfile: { type: 'Unconfined' } }, 'bar')] },
    want: ['forbidden AppArmor profile', 'container "bar" must not set AppArmor profile type to "Unconfined"'],
  },
  {
    name: 'AppArmor: annotations',
    check: 'appArmorProfile',
    spec: {},
    meta: {
      annotations: {
        'container.apparmor.security.beta.kubernetes.io/': 'bogus',
        'container.apparmor.security.beta.kubernetes.io/a': '',
        'container.apparmor.security.beta.kubernetes.io/b': 'runtime/default',
        'container.apparmor.security.beta.kubernetes.io/c': 'localhost/',
        'container.apparmor.security.beta.kubernetes.io/d': 'localhost/foo',
        'container.apparmor.security.beta.kubernetes.io/e': 'unconfined',
        'container.apparmor.security.beta.kubernetes.io/f': 'unknown',
      },
    },
    want: [
      'forbidden AppArmor profiles',
      'annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/=\"bogus\"", "container.apparmor.security.beta.kubernetes.io/e=\"unconfined\"", "container.apparmor.security.beta.kubernetes.io/f=\"unknown\""',
    ],
  },
  { name: 'AppArmor: localhost profile', check: 'appArmorProfile', spec: { containers: [sc({ appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } })] }, want: 'allowed' },
  { name: 'seccomp baseline: unconfined pod', check: 'seccompProfile_baseline', spec: { securityContext: { seccompProfile: { type: 'Unconfined' } } }, want: ['seccompProfile', 'pod must not set securityContext.seccompProfile.type to "Unconfined"'] },
  {
    name: 'seccomp baseline: containers',
    check: 'seccompProfile_baseline',
    spec: { containers: [sc({ seccompProfile: { type: 'Unconfined' } }, 'a'), sc({ seccompProfile: { type: 'RuntimeDefault' } }, 'b'), sc({ seccompProfile: { type: 'Foo' } }, 'c'), { name: 'd' }] },
    want: ['seccompProfile', 'containers "a", "c" must not set securityContext.seccompProfile.type to "Foo", "Unconfined"'],
  },
  { name: 'seccomp baseline: unset is fine', check: 'seccompProfile_baseline', spec: { containers: [{ name: 'a' }] }, want: 'allowed' },
  {
    name: 'seccomp baseline v1.18: annotations',
    check: 'seccompProfile_baseline',
    minor: 18,
    spec: { containers: [{ name: 'a' }, { name: 'b' }] },
    meta: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/a': 'runtime/default', 'container.seccomp.security.alpha.kubernetes.io/b': 'foo' } },
    want: ['seccompProfile', 'forbidden annotations container.seccomp.security.alpha.kubernetes.io/b="foo", seccomp.security.alpha.kubernetes.io/pod="unconfined"'],
  },
  {
    name: 'restricted volume types',
    check: 'restrictedVolumes',
    spec: {
      volumes: [
        { name: 'a', emptyDir: {} },
        { name: 'b', hostPath: { path: '/' } },
        { name: 'c', nfs: { server: 's', path: '/' } },
        { name: 'd', configMap: { name: 'x' } },
        { name: 'e', hostPath: { path: '/e' } },
        { name: 'f', image: { reference: 'img' } },
      ],
    },
    want: ['restricted volume types', 'volumes "b", "c", "e", "f" use restricted volume types "hostPath", "nfs", "unknown"'],
  },
  { name: 'one restricted volume', check: 'restrictedVolumes', spec: { volumes: [{ name: 'g', gitRepo: { repository: 'r' } }] }, want: ['restricted volume types', 'volume "g" uses restricted volume type "gitRepo"'] },
  {
    name: 'safe volume types',
    check: 'restrictedVolumes',
    spec: { volumes: ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'].map((k, i) => ({ name: `v${i}`, [k]: {} })) },
    want: 'allowed',
  },
  {
    name: 'allowPrivilegeEscalation: multiple containers',
    check: 'allowPrivilegeEscalation',
    spec: { containers: [{ name: 'a' }, sc({}, 'b'), sc({ allowPrivilegeEscalation: true }, 'c'), sc({ allowPrivilegeEscalation: false }, 'd')] },
    want: ['allowPrivilegeEscalation != false', 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false'],
  },
  { name: 'allowPrivilegeEscalation: windows pod exempt', check: 'allowPrivilegeEscalation', spec: { os: { name: 'windows' }, containers: [{ name: 'a' }] }, want: 'allowed' },
  { name: 'allowPrivilegeEscalation: windows pod before v1.25', check: 'allowPrivilegeEscalation', minor: 24, spec: { os: { name: 'windows' }, containers: [{ name: 'a' }] }, want: ['allowPrivilegeEscalation != false', 'container "a" must set securityContext.allowPrivilegeEscalation=false'] },
  {
    name: 'runAsNonRoot: explicit false on pod and containers',
    check: 'runAsNonRoot',
    spec: { securityContext: { runAsNonRoot: false }, containers: [sc({ runAsNonRoot: false }, 'a'), sc({ runAsNonRoot: true }, 'b'), sc({ runAsNonRoot: false }, 'c')] },
    want: ['runAsNonRoot != true', 'pod and containers "a", "c" must not set securityContext.runAsNonRoot=false'],
  },
  {
    name: 'runAsNonRoot: unset without pod-level true',
    check: 'runAsNonRoot',
    spec: { containers: [{ name: 'a' }, sc({}, 'b'), sc({ runAsNonRoot: true }, 'd')] },
    want: ['runAsNonRoot != true', 'pod or containers "a", "b" must set securityContext.runAsNonRoot=true'],
  },
  { name: 'runAsNonRoot: pod-level true covers containers', check: 'runAsNonRoot', spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: 'a' }] }, want: 'allowed' },
  {
    name: 'runAsUser=0 on pod and containers',
    check: 'runAsUser',
    spec: { securityContext: { runAsUser: 0 }, containers: [sc({ runAsUser: 0 }, 'a'), sc({ runAsUser: 1000 }, 'b'), sc({ runAsUser: 0 }, 'c')] },
    want: ['runAsUser=0', 'pod and containers "a", "c" must not set runAsUser=0'],
  },
  { name: 'runAsUser non-zero', check: 'runAsUser', spec: { securityContext: { runAsUser: 1000 }, containers: [{ name: 'a' }] }, want: 'allowed' },
  {
    name: 'capabilities restricted: missing drop and forbidden adds',
    check: 'capabilities_restricted',
    spec: {
      containers: [
        { name: 'a' },
        sc({ capabilities: {} }, 'b'),
        sc({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }, 'c'),
        sc({ capabilities: { drop: ['ALL'], add: ['NET_RAW', 'CHOWN'] } }, 'd'),
        sc({ capabilities: { drop: ['CHOWN'], add: ['SYS_ADMIN'] } }, 'e'),
      ],
    },
    want: [
      'unrestricted capabilities',
      'containers "a", "b", "e" must set securityContext.capabilities.drop=["ALL"]; containers "d", "e" must not include "CHOWN", "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add',
    ],
  },
  {
    name: 'seccomp restricted: explicit bad values',
    check: 'seccompProfile_restricted',
    spec: { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [sc({ seccompProfile: { type: 'Unconfined' } }, 'a'), { name: 'b' }] },
    want: ['seccompProfile', 'pod and container "a" must not set securityContext.seccompProfile.type to "Unconfined"'],
  },
  {
    name: 'seccomp restricted: unset',
    check: 'seccompProfile_restricted',
    spec: { containers: [{ name: 'a' }, sc({ seccompProfile: { type: 'Localhost', localhostProfile: 'p' } }, 'b'), sc({}, 'c')] },
    want: ['seccompProfile', 'pod or containers "a", "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"'],
  },
  { name: 'seccomp restricted: pod-level RuntimeDefault', check: 'seccompProfile_restricted', spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'a' }] }, want: 'allowed' },
];

describe('PodSecurity checks (upstream policy/check_*_test.go)', () => {
  for (const c of CASES) {
    it(`${c.check}: ${c.name}`, () => {
      const got = run(c.check, c.spec, c.meta ?? {}, c.minor);
      if (c.want === 'allowed') assert.equal(got, 'allowed');
      else assert.deepEqual(got, { reason: c.want[0], detail: c.want[1] });
    });
  }

  it('has every v1.32 check and nothing newer', () => {
    const ids = CHECKS.map((c) => c.id).sort();
    assert.deepEqual(ids, [
      'allowPrivilegeEscalation',
      'appArmorProfile',
      'capabilities_baseline',
      'capabilities_restricted',
      'hostNamespaces',
      'hostPathVolumes',
      'hostPorts',
      'privileged',
      'procMount',
      'restrictedVolumes',
      'runAsNonRoot',
      'runAsUser',
      'seLinuxOptions',
      'seccompProfile_baseline',
      'seccompProfile_restricted',
      'sysctls',
      'windowsHostProcess',
    ]);
  });
});
