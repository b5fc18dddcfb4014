import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { StoredObject } from '../../../../../src/api/object';
import { isStatusError } from '../../../../../src/api/status';
import { createPodSecurityPlugin, evaluatePod, type LevelVersion } from '../../../../../src/apiserver/admission/pod-security';
import { attrs, context, FakeReader, namespace } from '../fixtures';

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const weird = fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.constant([]), fc.constant({}));
const bool = fc.oneof(fc.boolean(), weird);
const capName = fc.constantFrom('ALL', 'NET_RAW', 'NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN', '');
const profile = fc.record({ type: fc.oneof(fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined', ''), weird) }, { requiredKeys: [] });

const securityContext = fc.record(
  {
    privileged: bool,
    allowPrivilegeEscalation: bool,
    runAsNonRoot: bool,
    runAsUser: fc.oneof(fc.constantFrom(0, 1000), weird),
    procMount: fc.oneof(fc.constantFrom('Default', 'Unmasked'), weird),
    capabilities: fc.oneof(fc.record({ add: fc.array(capName, { maxLength: 3 }), drop: fc.array(capName, { maxLength: 3 }) }, { requiredKeys: [] }), weird),
    seccompProfile: fc.oneof(profile, weird),
    appArmorProfile: fc.oneof(profile, weird),
    seLinuxOptions: fc.oneof(fc.record({ type: fc.constantFrom('', 'container_t', 'spc_t'), user: fc.constantFrom('', 'u'), role: fc.constantFrom('', 'r') }, { requiredKeys: [] }), weird),
    windowsOptions: fc.oneof(fc.record({ hostProcess: bool }), weird),
  },
  { requiredKeys: [] },
);

const container = fc.record(
  {
    name: fc.oneof(fc.constantFrom('a', 'b', 'c'), weird),
    image: fc.constant('nginx'),
    securityContext: fc.oneof(securityContext, weird),
    ports: fc.oneof(fc.array(fc.record({ hostPort: fc.oneof(fc.constantFrom(0, 80), weird) }), { maxLength: 2 }), weird),
  },
  { requiredKeys: ['name'] },
);

const volume = fc.record({
  name: fc.constantFrom('v1', 'v2'),
  source: fc.constantFrom('emptyDir', 'hostPath', 'nfs', 'configMap', 'projected', 'image', 'none'),
});

const podSpec = fc
  .record(
    {
      hostNetwork: bool,
      hostPID: bool,
      hostIPC: bool,
      os: fc.oneof(fc.record({ name: fc.constantFrom('linux', 'windows') }), weird),
      securityContext: fc.oneof(
        fc.record(
          {
            runAsNonRoot: bool,
            runAsUser: fc.oneof(fc.constantFrom(0, 1000), weird),
            seccompProfile: fc.oneof(profile, weird),
            sysctls: fc.oneof(fc.array(fc.record({ name: fc.constantFrom('kernel.shm_rmid_forced', 'net.core.somaxconn', 'net.ipv4.tcp_rmem') }), { maxLength: 2 }), weird),
          },
          { requiredKeys: [] },
        ),
        weird,
      ),
      containers: fc.oneof(fc.array(container, { minLength: 1, maxLength: 3 }), weird),
      initContainers: maybe(fc.array(container, { maxLength: 2 })),
      ephemeralContainers: maybe(fc.array(container, { maxLength: 1 })),
      volumes: maybe(fc.array(volume, { maxLength: 3 })),
      runtimeClassName: maybe(fc.constantFrom('kata', 'runc')),
    },
    { requiredKeys: [] },
  )
  .map((spec) => ({ ...spec, volumes: spec.volumes?.map((v) => (v.source === 'none' ? { name: v.name } : { name: v.name, [v.source]: {} })) }));

const version = fc.oneof(fc.constant({ latest: true, minor: 0 }), fc.integer({ min: 0, max: 40 }).map((minor) => ({ latest: false, minor })));
const annotations = fc.dictionary(
  fc.constantFrom('container.apparmor.security.beta.kubernetes.io/a', 'seccomp.security.alpha.kubernetes.io/pod', 'other'),
  fc.constantFrom('unconfined', 'runtime/default', 'localhost/x', ''),
);

/**
 * Windows pods are left out of the level-ordering properties: upstream exempts them from the restricted seccomp and
 * capabilities checks, which replace the baseline ones, relying on pod validation to reject those Linux-only fields
 * on Windows pods; a random (unvalidated) Windows pod can therefore pass restricted and fail baseline upstream too.
 */
const isWindows = (spec: { os?: unknown }): boolean => (spec.os as { name?: string } | null | undefined)?.name === 'windows';

describe('PodSecurity properties', () => {
  it('a pod that passes restricted also passes baseline (same version)', () => {
    fc.assert(
      fc.property(podSpec, annotations, version, (spec, ann, v) => {
        fc.pre(!isWindows(spec));
        const meta = { annotations: ann };
        const restricted = evaluatePod({ level: 'restricted', version: v }, meta, spec);
        if (restricted.allowed) assert.ok(evaluatePod({ level: 'baseline', version: v }, meta, spec).allowed);
        assert.ok(evaluatePod({ level: 'privileged', version: v }, meta, spec).allowed);
      }),
      { numRuns: 400 },
    );
  });

  it('every baseline violation is also a restricted violation (by reason, modulo overridden checks)', () => {
    const replaced: Record<string, string> = { 'hostPath volumes': 'restricted volume types', 'non-default capabilities': 'unrestricted capabilities' };
    fc.assert(
      fc.property(podSpec, version, (spec, v) => {
        fc.pre(!isWindows(spec));
        const lv = (level: LevelVersion['level']): LevelVersion => ({ level, version: v });
        const restricted = new Set(evaluatePod(lv('restricted'), {}, spec).reasons);
        for (const reason of evaluatePod(lv('baseline'), {}, spec).reasons) {
          assert.ok(restricted.has(reason) || restricted.has(replaced[reason] ?? reason), `${reason} missing at restricted`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the plugin throws nothing but StatusError, whatever the pod', async () => {
    const plugin = createPodSecurityPlugin({ exemptions: { runtimeClasses: ['kata'] } });
    const levels = fc.constantFrom('privileged', 'baseline', 'restricted', 'bogus');
    await fc.assert(
      fc.asyncProperty(podSpec, annotations, levels, levels, fc.constantFrom('latest', 'v1.20', 'v1.32', 'nope'), async (spec, ann, enforce, warn, v) => {
        const reader = new FakeReader().add('', 'namespaces', namespace('ns', { 'pod-security.kubernetes.io/enforce': enforce, 'pod-security.kubernetes.io/warn': warn, 'pod-security.kubernetes.io/enforce-version': v }));
        const pod: StoredObject = { metadata: { name: 'p', namespace: 'ns', annotations: ann }, spec };
        const a = attrs({ resource: 'pods', object: pod });
        try {
          await plugin.validate(a, context(reader));
        } catch (e) {
          assert.ok(isStatusError(e), `non-Status error: ${String(e)}`);
          assert.equal(e.code, 403);
        }
        const deploy = attrs({ resource: 'apps/deployments', object: { metadata: { name: 'd', namespace: 'ns' }, spec: { template: { metadata: { annotations: ann }, spec } } } });
        await plugin.validate(deploy, context(reader));
      }),
      { numRuns: 300 },
    );
  });
});
