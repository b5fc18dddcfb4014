/** Pod validation (create, update, status), table-driven over defaulted pods with exact field paths and messages. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateStatusUpdate, validateUpdate } from '../../../../src/apiserver/validation';
import { POD_UPDATE_FORBIDDEN } from '../../../../src/apiserver/validation/pod-update';
import { MSG, POD, pod, stored, texts, variant, type Any } from './helpers';

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const c0 = 'spec.containers[0]';

describe('Pod create', () => {
  const cases: { name: string; edit: (p: Any) => void; want: string[] }[] = [
    { name: 'a defaulted pod is valid', edit: () => {}, want: [] },
    { name: 'containers required', edit: (p) => (p.spec.containers = []), want: ['spec.containers: Required value'] },
    { name: 'image required', edit: (p) => delete p.spec.containers[0].image, want: [`${c0}.image: Required value`] },
    { name: 'container name syntax', edit: (p) => (p.spec.containers[0].name = 'Nginx'), want: [`${c0}.name: Invalid value: "Nginx": ${LABEL_MSG}`] },
    {
      name: 'container names unique',
      edit: (p) => p.spec.containers.push({ name: 'nginx', image: 'x' }),
      want: ['spec.containers[1].name: Duplicate value: "nginx"'],
    },
    {
      name: 'port range',
      edit: (p) => (p.spec.containers[0].ports = [{ containerPort: 70000 }]),
      want: [`${c0}.ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`],
    },
    {
      name: 'port protocol enum',
      edit: (p) => (p.spec.containers[0].ports = [{ containerPort: 80, protocol: 'HTTP' }]),
      want: [`${c0}.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`],
    },
    {
      name: 'requests above limits',
      edit: (p) => (p.spec.containers[0].resources = { limits: { cpu: '1' }, requests: { cpu: '2', memory: '-1Mi' } }),
      want: [`${c0}.resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`, `${c0}.resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0`],
    },
    {
      name: 'unparsable quantity',
      edit: (p) => (p.spec.containers[0].resources = { limits: { cpu: 'abc' } }),
      want: ['limits', 'requests'].map(
        (k) => `${c0}.resources.${k}[cpu]: Invalid value: "abc": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      ),
    },
    {
      name: 'resource names',
      edit: (p) => (p.spec.containers[0].resources = { limits: { pods: '1', 'example.com/gpu': '1' }, requests: { 'example.com/gpu': '2' } }),
      want: [
        `${c0}.resources.limits[pods]: Invalid value: "pods": must be a standard resource for containers`,
        `${c0}.resources.requests: Invalid value: "2": must be equal to example.com/gpu limit of 1`,
        `${c0}.resources.requests[pods]: Invalid value: "pods": must be a standard resource for containers`,
      ],
    },
    {
      name: 'restartPolicy enum',
      edit: (p) => (p.spec.restartPolicy = 'Sometimes'),
      want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    },
    {
      name: 'volume mounts refer to volumes',
      edit: (p) => (p.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }]),
      want: [`${c0}.volumeMounts[0].name: Not found: "data"`],
    },
    {
      name: 'volume names unique and one source each',
      edit: (p) =>
        (p.spec.volumes = [
          { name: 'data', emptyDir: {}, hostPath: { path: '/x' } },
          { name: 'cfg', configMap: { name: 'c' } },
          { name: 'cfg', emptyDir: {} },
          { name: 'bad', configMap: { name: 'c', defaultMode: 1000 } },
          { name: 'bad', emptyDir: {} },
        ]),
      want: [
        'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
        'spec.volumes[2].name: Duplicate value: "cfg"',
        'spec.volumes[3].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive',
      ],
    },
    {
      name: 'env names and sources',
      edit: (p) =>
        (p.spec.containers[0].env = [
          { name: 'A=B', value: 'x' },
          { name: 'X', valueFrom: {} },
          { name: 'Y', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } },
        ]),
      want: [
        `${c0}.env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
        `${c0}.env[1].valueFrom: Invalid value: "": must specify one of: \`fieldRef\`, \`resourceFieldRef\`, \`configMapKeyRef\` or \`secretKeyRef\``,
        `${c0}.env[2].valueFrom.fieldRef.fieldPath: Invalid value: "spec.bogus": error converting fieldPath: field label not supported: spec.bogus`,
      ],
    },
    {
      name: 'probes',
      edit: (p) => {
        p.spec.containers[0].livenessProbe = { successThreshold: 2 };
        p.spec.containers[0].readinessProbe = { httpGet: { port: 'http-x-too-long-name' } };
      },
      want: [
        `${c0}.livenessProbe: Required value: must specify a handler type`,
        `${c0}.livenessProbe.successThreshold: Invalid value: 2: must be 1`,
        `${c0}.readinessProbe.httpGet.port: Invalid value: "http-x-too-long-name": must be no more than 15 characters`,
      ],
    },
    {
      name: 'init containers may not have probes unless restartable',
      edit: (p) => (p.spec.initContainers = [{ name: 'init', image: 'busybox', livenessProbe: { exec: { command: ['true'] } } }]),
      want: ['spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'],
    },
    {
      name: 'hostNetwork needs hostPort == containerPort in a Pod',
      edit: (p) => {
        p.spec.hostNetwork = true;
        p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 8080 }];
      },
      want: [`${c0}.ports[0].hostPort: Invalid value: 8080: must match \`containerPort\` when \`hostNetwork\` is true`],
    },
    { name: 'ephemeral containers not on create', edit: (p) => (p.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox' }]), want: ['spec.ephemeralContainers: Forbidden: cannot be set on create'] },
    {
      name: 'tolerations',
      edit: (p) => (p.spec.tolerations = [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', value: 'v', tolerationSeconds: 5, effect: 'NoSchedule' }]),
      want: [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
        "spec.tolerations[1].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
        "spec.tolerations[1].operator: Invalid value: core.Toleration{Key:\"k\", Operator:\"Exists\", Value:\"v\", Effect:\"NoSchedule\", TolerationSeconds:(*int64)(0xc000000000)}: value must be empty when `operator` is 'Exists'",
      ],
    },
    {
      name: 'pod name is a DNS-1123 subdomain',
      edit: (p) => (p.metadata.name = 'Web'),
      want: [`metadata.name: Invalid value: "Web": ${MSG.dnsSubdomain}`],
    },
    {
      name: 'Pods get requests defaulted from limits, so both are checked',
      edit: (p) => (p.spec.containers[0].resources = { limits: { cpu: '-1' } }),
      want: [`${c0}.resources.limits[cpu]: Invalid value: "-1": ${MSG.negative}`, `${c0}.resources.requests[cpu]: Invalid value: "-1": ${MSG.negative}`],
    },
    {
      name: 'port names need only be unique within a container',
      edit: (p) => {
        p.spec.containers[0].ports = [{ name: 'http', containerPort: 80 }];
        p.spec.containers.push({ name: 'side', image: 'x', ports: [{ name: 'http', containerPort: 81 }] });
      },
      want: [],
    },
    {
      name: 'host ports unique per protocol and host IP across containers',
      edit: (p) => {
        p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 8080 }];
        p.spec.containers.push({ name: 'side', image: 'x', ports: [{ containerPort: 81, hostPort: 8080 }] });
      },
      want: ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
    },
    {
      name: 'container restartPolicy: Always only, and only for init containers',
      edit: (p) => {
        p.spec.containers[0].restartPolicy = 'Always';
        p.spec.initContainers = [{ name: 'init', image: 'busybox', restartPolicy: 'OnFailure' }];
      },
      want: [`${c0}.restartPolicy: Forbidden: may not be set for non-init containers`, 'spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    },
    {
      name: 'toleration key, operator and value syntax',
      edit: (p) =>
        (p.spec.tolerations = [
          { key: 'bad key', operator: 'Exists' },
          { key: 'k', operator: 'In', value: 'x' },
          { key: 'k', operator: 'Equal', value: 'a b' },
        ]),
      want: [
        `spec.tolerations[0].key: Invalid value: "bad key": ${MSG.labelName}`,
        'spec.tolerations[1].operator: Unsupported value: "In": supported values: "Equal", "Exists"',
        `spec.tolerations[2].operator: Invalid value: "a b": ${MSG.labelValue}`,
      ],
    },
    {
      name: 'node selector requirements',
      edit: (p) =>
        (p.spec.affinity = {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'cpus', operator: 'Gt', values: ['1', '2'] }], matchFields: [{ key: 'metadata.labels', operator: 'In', values: ['n1'] }] }],
            },
          },
        }),
      want: [
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
        'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Invalid value: "metadata.labels": not a valid field selector key',
      ],
    },
    {
      name: 'matchLabelKeys may not repeat a labelSelector key (upstream reports it at the term index)',
      edit: (p) =>
        (p.spec.affinity = {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }, topologyKey: 'zone', matchLabelKeys: ['app'] },
            ],
          },
        }),
      want: ['spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0][0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector'],
    },
    {
      name: 'matchLabelKeys are label names',
      edit: (p) =>
        (p.spec.affinity = {
          podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'zone', mismatchLabelKeys: ['bad key'] }] },
        }),
      want: [`spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].mismatchLabelKeys[0]: Invalid value: "bad key": ${MSG.labelName}`],
    },
    {
      name: 'topology spread constraints',
      edit: (p) => (p.spec.topologySpreadConstraints = [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'Sometimes', matchLabelKeys: ['pod-template-hash'] }]),
      want: [
        'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
        'spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"',
        'spec.topologySpreadConstraints[0].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set',
      ],
    },
    {
      name: 'activeDeadlineSeconds range',
      edit: (p) => (p.spec.activeDeadlineSeconds = 0),
      want: ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(POD, variant(pod(), POD, c.edit))), c.want));

  it('does not mutate its input', () => {
    const p = variant(pod(), POD);
    const before = JSON.stringify(p);
    validateCreate(POD, p);
    assert.equal(JSON.stringify(p), before);
  });
});

describe('Pod update', () => {
  const old = stored(variant(pod(), POD));
  const upd = (edit: (p: Any) => void): string[] => {
    const n = JSON.parse(JSON.stringify(old));
    edit(n);
    return texts(validateUpdate(POD, n, old));
  };
  it('may change container images', () => assert.deepEqual(upd((p) => (p.spec.containers[0].image = 'nginx:1.28')), []));
  it('may not change other spec fields, with upstream message', () => {
    const errs = upd((p) => (p.spec.containers[0].command = ['sleep']));
    assert.equal(errs.length, 1);
    assert.ok(errs[0].startsWith(`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}\n`), errs[0]);
    assert.ok(errs[0].includes('command'), 'the diff names the changed field');
  });
  it('may not add containers', () =>
    assert.deepEqual(
      upd((p) => p.spec.containers.push({ name: 'b', image: 'b', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' })),
      ['spec.containers: Forbidden: pod updates may not add or remove containers'],
    ));
  it('activeDeadlineSeconds may only go down', () => {
    const o = stored(variant(pod(), POD, (p) => (p.spec.activeDeadlineSeconds = 10)));
    const n = JSON.parse(JSON.stringify(o));
    n.spec.activeDeadlineSeconds = 20;
    assert.deepEqual(texts(validateUpdate(POD, n, o)), ['spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value']);
  });
  it('tolerations may only be added', () => {
    const o = stored(variant(pod(), POD, (p) => (p.spec.tolerations = [{ key: 'a', operator: 'Exists' }])));
    const n = JSON.parse(JSON.stringify(o));
    n.spec.tolerations = [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }];
    assert.deepEqual(texts(validateUpdate(POD, n, o)), []);
    n.spec.tolerations = [{ key: 'b', operator: 'Exists' }];
    assert.deepEqual(texts(validateUpdate(POD, n, o)), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  });
  it('status updates may not move the pod to another node or revive terminated containers', () => {
    const o = stored(variant(pod(), POD, (p) => (p.spec.restartPolicy = 'Never')));
    o.status = { containerStatuses: [{ name: 'nginx', state: { terminated: { exitCode: 0 } } }] };
    const n = JSON.parse(JSON.stringify(o));
    n.spec.nodeName = 'node-1';
    n.status.containerStatuses[0].state = { running: {} };
    assert.deepEqual(texts(validateStatusUpdate(POD, n, o)), [
      'status.nodeName: Forbidden: may not be changed directly',
      'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
    ]);
  });
});

describe('Pod resources: hugepages', () => {
  it('accepts hugepages with memory and an exact multiple; refuses them alone', () => {
    const ok = variant(pod(), POD, (p) => (p.spec.containers[0].resources = { limits: { memory: '1Gi', 'hugepages-2Mi': '4Mi' } }));
    assert.deepEqual(validateCreate(POD, ok), []);
    const bad = variant(pod(), POD, (p) => (p.spec.containers[0].resources = { limits: { 'hugepages-2Mi': '3Mi' } }));
    assert.deepEqual(texts(validateCreate(POD, bad)), [
      'spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
      'spec.containers[0].resources.requests[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
      'spec.containers[0].resources: Forbidden: HugePages require cpu or memory',
    ]);
  });
});
