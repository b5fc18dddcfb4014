/**
 * A container's environment against upstream: $(VAR) expansion with the whole table of
 * third_party/forked/golang/expansion/expand_test.go (plus properties), and containerEnv against kubelet_pods.go
 * makeEnvironmentVariables / TestMakeEnvironmentVariables: envFrom with prefix and the override order, fieldRef
 * paths, configMapKeyRef / secretKeyRef (missing → the kubelet's error words, which become
 * CreateContainerConfigError), optional references, command/args expansion.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ContainerConfigError, containerEnv, expand, type EnvInput } from '../../../../src/kubelet/pod/container-env';

type Obj = Record<string, unknown>;

describe('expand: upstream expand_test.go doExpansionTest', () => {
  const vars = new Map([
    ['VAR_A', 'A'],
    ['VAR_B', 'B'],
    ['VAR_C', 'C'],
    ['VAR_REF', '$(VAR_A)'],
    ['VAR_EMPTY', ''],
  ]);
  const cases: [string, string, string][] = [
    ['whole string', '$(VAR_A)', 'A'],
    ['repeat', '$(VAR_A)-$(VAR_A)', 'A-A'],
    ['beginning', '$(VAR_A)-1', 'A-1'],
    ['middle', '___$(VAR_B)___', '___B___'],
    ['end', '___$(VAR_C)', '___C'],
    ['compound', '$(VAR_A)_$(VAR_B)_$(VAR_C)', 'A_B_C'],
    ['escape & expand', '$$(VAR_B)_$(VAR_A)', '$(VAR_B)_A'],
    ['compound escape', '$$(VAR_A)_$$(VAR_B)', '$(VAR_A)_$(VAR_B)'],
    ['mixed in escapes', 'f000-$$VAR_A', 'f000-$VAR_A'],
    ['backslash escape ignored', 'foo\\$(VAR_C)bar', 'foo\\Cbar'],
    ['backslash escape ignored (2)', 'foo\\\\$(VAR_C)bar', 'foo\\\\Cbar'],
    ['lots of backslashes', 'foo\\\\\\\\$(VAR_A)bar', 'foo\\\\\\\\Abar'],
    ['nested var references', '$(VAR_A$(VAR_B))', '$(VAR_A$(VAR_B))'],
    ['nested var references second type', '$(VAR_A$(VAR_B)', '$(VAR_A$(VAR_B)'],
    ['value is a reference', '$(VAR_REF)', '$(VAR_A)'],
    ['value is a reference x 2', '%%$(VAR_REF)--$(VAR_REF)%%', '%%$(VAR_A)--$(VAR_A)%%'],
    ['empty var', 'foo$(VAR_EMPTY)bar', 'foobar'],
    ['unterminated expression', 'foo$(VAR_Awhoops!', 'foo$(VAR_Awhoops!'],
    ['expression without operator', 'f00__(VAR_A)__', 'f00__(VAR_A)__'],
    ['shell special vars pass through', '$?_boo_$!', '$?_boo_$!'],
    ['bare operators are ignored', '$VAR_A', '$VAR_A'],
    ['undefined vars are passed through', '$(VAR_DNE)', '$(VAR_DNE)'],
    ['multiple (even) operators, var undefined', '$$$$$$(BIG_MONEY)', '$$$(BIG_MONEY)'],
    ['multiple (even) operators, var defined', '$$$$$$(VAR_A)', '$$$(VAR_A)'],
    ['multiple (odd) operators, var undefined', '$$$$$$$(GOOD_ODDS)', '$$$$(GOOD_ODDS)'],
    ['multiple (odd) operators, var defined', '$$$$$$$(VAR_A)', '$$$A'],
    ['missing open expression', '$VAR_A)', '$VAR_A)'],
    ['shell syntax ignored', '${VAR_A}', '${VAR_A}'],
    ['trailing incomplete expression not consumed', '$(VAR_B)_______$(A', 'B_______$(A'],
    ['trailing incomplete expression, no content, is not consumed', '$(VAR_C)_______$(', 'C_______$('],
    ['operator at end of input string is preserved', '$(VAR_A)foobarzab$', 'Afoobarzab$'],
    ['shell escaped incomplete expr', 'foo-\\$(VAR_A', 'foo-\\$(VAR_A'],
    ['lots of $( in middle', '--$($($($($--', '--$($($($($--'],
    ['lots of $( in beginning', '$($($($($--foo$(', '$($($($($--foo$('],
    ['lots of $( at end', 'foo0--$($($($(', 'foo0--$($($($('],
    ['escaped operators in variable names are not escaped', '$(foo$$var)', '$(foo$$var)'],
    ['newline not expanded', '\n', '\n'],
  ];
  for (const [name, input, want] of cases) it(`${name}: ${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => assert.equal(expand(input, vars), want));

  it('TestMapReference: each value expands against those declared before it', async () => {
    const { env } = await envOf({ env: [{ name: 'FOO', value: 'bar' }, { name: 'ZOO', value: '$(FOO)-1' }, { name: 'BLU', value: '$(ZOO)-2' }] });
    assert.deepEqual(env, { FOO: 'bar', ZOO: 'bar-1', BLU: 'bar-1-2' });
  });

  it('property: text without "$" is unchanged', () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes('$')), (s) => assert.equal(expand(s, vars), s)));
  });

  it('property: doubling every "$" escapes it (the original text comes back)', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('$', '(', ')', 'V', 'A', 'R', '_', 'x', ' ') }), (s) => assert.equal(expand(s.replaceAll('$', () => '$$'), vars), s)));
  });
});

const POD: Obj = {
  metadata: { name: 'dapi-test-pod-name', namespace: 'kube-system', uid: 'u-123', labels: { app: 'web', 'k8s.io/x': 'y' }, annotations: { note: 'hi' } },
  spec: { nodeName: 'node-name', serviceAccountName: 'special' },
};

interface Opts {
  env?: Obj[];
  envFrom?: Obj[];
  command?: string[];
  args?: string[];
  sources?: Record<string, Obj>;
  pod?: Obj;
}

/** containerEnv with sources keyed "ConfigMap/<name>" / "Secret/<name>" in the pod's namespace; env as an object. */
async function envOf(o: Opts) {
  const reads: string[] = [];
  const input: EnvInput = {
    pod: o.pod ?? POD,
    container: { env: o.env, envFrom: o.envFrom, command: o.command, args: o.args },
    podIP: '10.244.1.5',
    hostIP: '172.18.0.3',
    read: async (kind, ns, name) => {
      reads.push(`${kind}/${ns}/${name}`);
      return o.sources?.[`${kind}/${name}`];
    },
  };
  const r = await containerEnv(input);
  const names = r.env.map((e) => e.name);
  assert.equal(new Set(names).size, names.length, 'each name once');
  return { env: Object.fromEntries(r.env.map((e) => [e.name, e.value])), command: r.command, args: r.args, reads };
}

async function envError(o: Opts): Promise<string> {
  try {
    await envOf(o);
  } catch (e) {
    assert.ok(e instanceof ContainerConfigError, `a ContainerConfigError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected an error');
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const CM = { data: { REPLACE_ME: 'FROM_CONFIG_MAP', DUPE_TEST: 'CONFIG_MAP' } };
const SECRET = { data: { REPLACE_ME: b64('FROM_SECRET'), DUPE_TEST: b64('SECRET') } };

describe('containerEnv (kubelet_pods.go makeEnvironmentVariables)', () => {
  it('downward API fieldRef paths', async () => {
    const field = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
    const { env } = await envOf({
      env: [
        field('POD_NAME', 'metadata.name'),
        field('POD_NAMESPACE', 'metadata.namespace'),
        field('POD_UID', 'metadata.uid'),
        field('POD_NODE_NAME', 'spec.nodeName'),
        field('POD_SERVICE_ACCOUNT_NAME', 'spec.serviceAccountName'),
        field('POD_IP', 'status.podIP'),
        field('POD_IPS', 'status.podIPs'),
        field('HOST_IP', 'status.hostIP'),
        field('HOST_IPS', 'status.hostIPs'),
        field('APP', "metadata.labels['app']"),
        field('DOTTED', "metadata.labels['k8s.io/x']"),
        field('NOTE', "metadata.annotations['note']"),
        field('MISSING_LABEL', "metadata.labels['nope']"),
      ],
    });
    assert.deepEqual(env, {
      POD_NAME: 'dapi-test-pod-name',
      POD_NAMESPACE: 'kube-system',
      POD_UID: 'u-123',
      POD_NODE_NAME: 'node-name',
      POD_SERVICE_ACCOUNT_NAME: 'special',
      POD_IP: '10.244.1.5',
      POD_IPS: '10.244.1.5',
      HOST_IP: '172.18.0.3',
      HOST_IPS: '172.18.0.3',
      APP: 'web',
      DOTTED: 'y',
      NOTE: 'hi',
      MISSING_LABEL: '',
    });
  });

  it('env expansion (the "env expansion" case): declared order, undefined and out-of-order references stay', async () => {
    const { env } = await envOf({
      env: [
        { name: 'TEST_LITERAL', value: 'test-test-test' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        { name: 'OUT_OF_ORDER_TEST', value: '$(OUT_OF_ORDER_TARGET)' },
        { name: 'OUT_OF_ORDER_TARGET', value: 'FOO' },
        { name: 'EMPTY_VAR' },
        { name: 'EMPTY_TEST', value: 'foo-$(EMPTY_VAR)' },
        { name: 'POD_NAME_TEST2', value: 'test2-$(POD_NAME)' },
        { name: 'POD_NAME_TEST3', value: '$(POD_NAME_TEST2)-3' },
        { name: 'LITERAL_TEST', value: 'literal-$(TEST_LITERAL)' },
        { name: 'TEST_UNDEFINED', value: '$(UNDEFINED_VAR)' },
      ],
    });
    assert.deepEqual(env, {
      TEST_LITERAL: 'test-test-test',
      POD_NAME: 'dapi-test-pod-name',
      OUT_OF_ORDER_TEST: '$(OUT_OF_ORDER_TARGET)',
      OUT_OF_ORDER_TARGET: 'FOO',
      EMPTY_VAR: '',
      EMPTY_TEST: 'foo-',
      POD_NAME_TEST2: 'test2-dapi-test-pod-name',
      POD_NAME_TEST3: 'test2-dapi-test-pod-name-3',
      LITERAL_TEST: 'literal-test-test-test',
      TEST_UNDEFINED: '$(UNDEFINED_VAR)',
    });
  });

  it('configmap envFrom: all keys, with and without prefix; env overrides and expands against them', async () => {
    const { env, reads } = await envOf({
      envFrom: [{ configMapRef: { name: 'test-config-map' } }, { prefix: 'p_', configMapRef: { name: 'test-config-map' } }],
      env: [
        { name: 'TEST_LITERAL', value: 'test-test-test' },
        { name: 'EXPANSION_TEST', value: '$(REPLACE_ME)' },
        { name: 'DUPE_TEST', value: 'ENV_VAR' },
      ],
      sources: { 'ConfigMap/test-config-map': CM },
    });
    assert.deepEqual(env, {
      TEST_LITERAL: 'test-test-test',
      REPLACE_ME: 'FROM_CONFIG_MAP',
      EXPANSION_TEST: 'FROM_CONFIG_MAP',
      DUPE_TEST: 'ENV_VAR',
      p_REPLACE_ME: 'FROM_CONFIG_MAP',
      p_DUPE_TEST: 'CONFIG_MAP',
    });
    assert.deepEqual(reads, ['ConfigMap/kube-system/test-config-map'], 'read once, in the pod\'s namespace');
  });

  it('secret envFrom: values are base64-decoded; a later envFrom overrides an earlier one', async () => {
    const { env } = await envOf({
      envFrom: [{ configMapRef: { name: 'cm' } }, { secretRef: { name: 'test-secret' } }, { prefix: 'p_', secretRef: { name: 'test-secret' } }],
      env: [{ name: 'EXPANSION_TEST', value: '$(REPLACE_ME)' }],
      sources: { 'ConfigMap/cm': CM, 'Secret/test-secret': SECRET },
    });
    assert.deepEqual(env, { REPLACE_ME: 'FROM_SECRET', DUPE_TEST: 'SECRET', p_REPLACE_ME: 'FROM_SECRET', p_DUPE_TEST: 'SECRET', EXPANSION_TEST: 'FROM_SECRET' });
  });

  it('configMapKeyRef and secretKeyRef', async () => {
    const { env } = await envOf({
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'REPLACE_ME' } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'DUPE_TEST' } } },
        { name: 'C', value: '$(A)/$(B)' },
      ],
      sources: { 'ConfigMap/cm': CM, 'Secret/s': SECRET },
    });
    assert.deepEqual(env, { A: 'FROM_CONFIG_MAP', B: 'SECRET', C: 'FROM_CONFIG_MAP/SECRET' });
  });

  const missing: [string, Opts, string][] = [
    ['configmap_missing (envFrom)', { envFrom: [{ configMapRef: { name: 'missing-config-map' } }] }, 'configmap "missing-config-map" not found'],
    ['secret_missing (envFrom)', { envFrom: [{ secretRef: { name: 'missing-secret' } }] }, 'secret "missing-secret" not found'],
    ['configMapKeyRef to a missing ConfigMap', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] }, 'configmap "cm" not found'],
    ['secretKeyRef to a missing Secret', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, 'secret "s" not found'],
    ['configMapKeyRef to a missing key', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'nope' } } }], sources: { 'ConfigMap/cm': CM } }, "couldn't find key nope in ConfigMap kube-system/cm"],
    ['secretKeyRef to a missing key', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'nope' } } }], sources: { 'Secret/s': SECRET } }, "couldn't find key nope in Secret kube-system/s"],
  ];
  for (const [name, o, want] of missing) it(`${name} → ${want}`, async () => assert.equal(await envError(o), want));

  it('optional references that are missing leave the variable out', async () => {
    const { env } = await envOf({
      envFrom: [{ configMapRef: { name: 'gone', optional: true } }, { secretRef: { name: 'gone', optional: true } }],
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k', optional: true } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'gone', key: 'k', optional: true } } },
        { name: 'C', valueFrom: { configMapKeyRef: { name: 'cm', key: 'absent', optional: true } } },
        { name: 'D', valueFrom: { secretKeyRef: { name: 's', key: 'absent', optional: true } } },
        { name: 'E', value: 'kept' },
      ],
      sources: { 'ConfigMap/cm': CM, 'Secret/s': SECRET },
    });
    assert.deepEqual(env, { E: 'kept' });
  });

  it('command and args expand against the final environment; $$ escapes; undefined stays', async () => {
    const r = await envOf({
      env: [{ name: 'MSG', value: 'hello' }, { name: 'N', value: '3' }],
      command: ['sh', '-c', 'echo $(MSG) $$(MSG) $(NOPE)'],
      args: ['$(N)'],
    });
    assert.deepEqual(r.command, ['sh', '-c', 'echo hello $(MSG) $(NOPE)']);
    assert.deepEqual(r.args, ['3']);
  });

  it('no command/args: left undefined (the image\'s own)', async () => {
    const r = await envOf({ env: [] });
    assert.equal(r.command, undefined);
    assert.equal(r.args, undefined);
  });

  it('an empty value with a valueFrom takes the valueFrom (upstream: `if runtimeVal != ""` … `else if ValueFrom`)', async () => {
    const { env } = await envOf({ env: [{ name: 'POD', value: '', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] });
    assert.deepEqual(env, { POD: 'dapi-test-pod-name' });
  });

  it('resourceFieldRef reads the container\'s limits with the divisor, rounded up (ExtractContainerResourceValue)', async () => {
    const input: EnvInput = {
      pod: POD,
      container: {
        env: [
          { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } },
          { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
          { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
          { name: 'CPU_M', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        ],
        resources: { limits: { memory: '64Mi', cpu: '500m' } },
      } as EnvInput['container'],
      podIP: '10.244.1.5',
      hostIP: '172.18.0.3',
      read: async () => undefined,
    };
    const r = await containerEnv(input);
    assert.deepEqual(Object.fromEntries(r.env.map((e) => [e.name, e.value])), { MEM: '67108864', MEM_MI: '64', CPU: '1', CPU_M: '500' });
  });
});
