/**
 * apps/v1 Deployment validation (create, update, status), table-driven with upstream's exact field paths and messages:
 * names and labels, the selector (strict, non-empty, matching the template, immutable), and the whole pod template
 * (containers, ports, resources, probes, tolerations, affinity, restartPolicy Always only).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateStatusUpdate, validateUpdate } from '../../../../src/apiserver/validation';
import { DEPLOYMENT, MSG, deployment, stored, texts, variant, type CreateCase } from './helpers';

const c0 = 'spec.template.spec.containers[0]';
const tspec = 'spec.template.spec';
const aff = `${tspec}.affinity`;

describe('Deployment create', () => {
  const cases: CreateCase[] = [
    { name: 'valid', edit: () => {}, want: [] },
    { name: 'name is a DNS-1123 subdomain', edit: (d) => (d.metadata.name = 'Web_1'), want: [`metadata.name: Invalid value: "Web_1": ${MSG.dnsSubdomain}`] },
    { name: 'label key syntax', edit: (d) => (d.metadata.labels = { 'bad key': 'x' }), want: [`metadata.labels: Invalid value: "bad key": ${MSG.labelName}`] },
    {
      name: 'template label values are at most 63 characters',
      edit: (d) => (d.spec.template.metadata.labels.v = 'x'.repeat(64)),
      want: [`spec.template.labels: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`],
    },
    {
      name: 'annotations total at most 256 KiB',
      edit: (d) => (d.metadata.annotations = { a: 'x'.repeat(200_000), b: 'y'.repeat(62_200) }),
      want: ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    },
    {
      name: 'selector must match template labels (exact upstream text)',
      edit: (d) => (d.spec.template.metadata.labels = { app: 'x' }),
      want: [`spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: ${MSG.mismatch}`],
    },
    {
      name: 'selector required (and then nothing matches)',
      edit: (d) => delete d.spec.selector,
      want: ['spec.selector: Required value', `spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ${MSG.mismatch}`],
    },
    {
      name: 'empty selector',
      edit: (d) => (d.spec.selector = {}),
      want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    },
    {
      name: 'selector values are strict label values (and the template is then not matched)',
      edit: (d) => (d.spec.selector = { matchLabels: { app: 'a b' } }),
      want: [
        `spec.selector.matchLabels: Invalid value: "a b": ${MSG.labelValue}`,
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"a b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: invalid label selector',
      ],
    },
    {
      name: 'selector Exists takes no values',
      edit: (d) => (d.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] }),
      want: [
        "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Exists", Values:[]string{"x"}}}}: invalid label selector',
      ],
    },
    { name: 'replicas non-negative', edit: (d) => (d.spec.replicas = -1), want: [`spec.replicas: Invalid value: -1: ${MSG.negative}`] },
    {
      name: 'maxSurge and maxUnavailable not both 0',
      edit: (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }),
      want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0'],
    },
    {
      name: 'bad percent and over 100%',
      edit: (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '5x', maxUnavailable: '150%' } }),
      want: [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"5x\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
      ],
    },
    {
      name: 'strategy type enum',
      edit: (d) => (d.spec.strategy = { type: 'BlueGreen' }),
      want: ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'],
    },
    {
      name: 'strategy type enum, with a rollingUpdate (a set pointer: Go prints an address, KubeLab a fixed one)',
      edit: (d) => (d.spec.strategy = { type: 'BlueGreen', rollingUpdate: { maxSurge: 1 } }),
      want: ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(0xc000000000)}: supported values: "Recreate", "RollingUpdate"'],
    },
    {
      name: 'Recreate has no rollingUpdate',
      edit: (d) => (d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }),
      want: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    },
    {
      name: 'progressDeadlineSeconds > minReadySeconds',
      edit: (d) => Object.assign(d.spec, { minReadySeconds: 10, progressDeadlineSeconds: 10 }),
      want: ['spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds'],
    },
    {
      name: 'template restartPolicy Always only',
      edit: (d) => (d.spec.template.spec.restartPolicy = 'Never'),
      want: [`${tspec}.restartPolicy: Unsupported value: "Never": supported values: "Always"`],
    },
    {
      name: 'activeDeadlineSeconds not supported in the template',
      edit: (d) => (d.spec.template.spec.activeDeadlineSeconds = 30),
      want: [`${tspec}.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported`],
    },
    { name: 'template containers validated', edit: (d) => delete d.spec.template.spec.containers[0].image, want: [`${c0}.image: Required value`] },
    {
      name: 'container port names unique',
      edit: (d) => (d.spec.template.spec.containers[0].ports = [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }]),
      want: [`${c0}.ports[1].name: Duplicate value: "http"`],
    },
    {
      name: 'container port name syntax (IANA service name)',
      edit: (d) => (d.spec.template.spec.containers[0].ports = [{ name: 'HTTP', containerPort: 80 }]),
      want: [
        `${c0}.ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
        `${c0}.ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)`,
      ],
    },
    {
      name: 'containerPort required, hostPort range',
      edit: (d) => (d.spec.template.spec.containers[0].ports = [{ hostPort: 70000 }]),
      want: [`${c0}.ports[0].containerPort: Required value`, `${c0}.ports[0].hostPort: Invalid value: 70000: ${MSG.portRange}`],
    },
    {
      name: 'memory request above its limit',
      edit: (d) => (d.spec.template.spec.containers[0].resources = { limits: { memory: '128Mi' }, requests: { memory: '256Mi' } }),
      want: [`${c0}.resources.requests: Invalid value: "256Mi": must be less than or equal to memory limit of 128Mi`],
    },
    {
      name: 'negative quantities (templates get no requests defaulted from limits; only Pods do)',
      edit: (d) => (d.spec.template.spec.containers[0].resources = { limits: { cpu: '-1' } }),
      want: [`${c0}.resources.limits[cpu]: Invalid value: "-1": ${MSG.negative}`],
    },
    {
      name: 'probe: one handler only',
      edit: (d) => (d.spec.template.spec.containers[0].livenessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 } }),
      want: [`${c0}.livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type`],
    },
    {
      name: 'probe: httpGet port and scheme, timings',
      edit: (d) => (d.spec.template.spec.containers[0].readinessProbe = { httpGet: { path: '/', port: 0, scheme: 'FTP' }, periodSeconds: -1 }),
      want: [
        `${c0}.readinessProbe.httpGet.port: Invalid value: 0: ${MSG.portRange}`,
        `${c0}.readinessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"`,
        `${c0}.readinessProbe.periodSeconds: Invalid value: -1: ${MSG.negative}`,
      ],
    },
    {
      name: 'probe: grpc port; startup successThreshold must be 1',
      edit: (d) => (d.spec.template.spec.containers[0].startupProbe = { grpc: { port: 70000 }, successThreshold: 2 }),
      want: [`${c0}.startupProbe.grpc.port: Invalid value: 70000: ${MSG.portRange}`, `${c0}.startupProbe.successThreshold: Invalid value: 2: must be 1`],
    },
    {
      name: 'probe: exec needs a command; readiness has no terminationGracePeriodSeconds',
      edit: (d) => {
        d.spec.template.spec.containers[0].livenessProbe = { exec: {} };
        d.spec.template.spec.containers[0].readinessProbe = { exec: { command: ['true'] }, terminationGracePeriodSeconds: 10 };
      },
      want: [`${c0}.livenessProbe.exec.command: Required value`, `${c0}.readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes`],
    },
    {
      name: 'toleration effect',
      edit: (d) => (d.spec.template.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'Never' }]),
      want: [`${tspec}.tolerations[0].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`],
    },
    {
      name: 'toleration: Exists takes no value (upstream prints the whole toleration)',
      edit: (d) => (d.spec.template.spec.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]),
      want: [
        `${tspec}.tolerations[0].operator: Invalid value: core.Toleration{Key:"k", Operator:"Exists", Value:"v", Effect:"", TolerationSeconds:(*int64)(nil)}: value must be empty when \`operator\` is 'Exists'`,
      ],
    },
    {
      name: 'node affinity needs a term',
      edit: (d) => (d.spec.template.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }),
      want: [`${aff}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term`],
    },
    {
      name: 'pod anti-affinity weight range',
      edit: (d) =>
        (d.spec.template.spec.affinity = {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } }],
          },
        }),
      want: [`${aff}.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100`],
    },
    {
      name: 'pod affinity topologyKey required (and then not a label name)',
      edit: (d) => (d.spec.template.spec.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } } }] } }),
      want: [
        `${aff}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty`,
        `${aff}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": name part must be non-empty`,
        `${aff}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": ${MSG.labelName}`,
      ],
    },
    {
      name: 'matchLabelKeys need a labelSelector',
      edit: (d) => (d.spec.template.spec.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', matchLabelKeys: ['pod-template-hash'] }] } }),
      want: [`${aff}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set`],
    },
    {
      name: 'matchLabelKeys and mismatchLabelKeys are disjoint',
      edit: (d) =>
        (d.spec.template.spec.affinity = {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'zone', matchLabelKeys: ['pod-template-hash'], mismatchLabelKeys: ['pod-template-hash'] },
            ],
          },
        }),
      want: [`${aff}.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys[0]: Invalid value: "pod-template-hash": exists in both matchLabelKeys and mismatchLabelKeys`],
    },
    {
      name: 'topology spread matchLabelKeys may not repeat selector keys',
      edit: (d) =>
        (d.spec.template.spec.topologySpreadConstraints = [
          { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, matchLabelKeys: ['app'] },
        ]),
      want: [`${tspec}.topologySpreadConstraints[0].matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector`],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(DEPLOYMENT, variant(deployment(), DEPLOYMENT, c.edit))), c.want));
});

describe('Deployment update and status', () => {
  const old = stored(variant(deployment(), DEPLOYMENT));
  const upd = (edit: (d: ReturnType<typeof deployment>) => void): string[] => {
    const n = JSON.parse(JSON.stringify(old));
    edit(n);
    return texts(validateUpdate(DEPLOYMENT, n, old));
  };
  it('selector is immutable (apps/v1), with upstream text', () =>
    assert.deepEqual(
      upd((n) => {
        n.spec.selector = { matchLabels: { app: 'web2' } };
        n.spec.template.metadata.labels = { app: 'web2' };
      }),
      ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'],
    ));
  it('template and replicas may change', () =>
    assert.deepEqual(
      upd((n) => {
        n.spec.replicas = 5;
        n.spec.template.spec.containers[0].image = 'nginx:2';
      }),
      [],
    ));
  it('the new spec is validated too', () => assert.deepEqual(upd((n) => (n.spec.template.spec.containers[0].name = 'Web')), [`${c0}.name: Invalid value: "Web": ${MSG.dnsLabel}`]));
  it('metadata.name is immutable', () => assert.deepEqual(upd((n) => (n.metadata.name = 'other')), ['metadata.name: Invalid value: "other": field is immutable']));
  it('status counters', () => {
    const n = JSON.parse(JSON.stringify(old));
    n.status = { replicas: 1, readyReplicas: 2, availableReplicas: 3, collisionCount: 1 };
    const o = { ...old, status: { collisionCount: 2 } };
    assert.deepEqual(texts(validateStatusUpdate(DEPLOYMENT, n, o)), [
      'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas',
      'status.collisionCount: Invalid value: 1: cannot be decremented',
    ]);
  });
});
