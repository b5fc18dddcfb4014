/**
 * The objects the ingress add-on installs (`ingressManifests()`), applied by the composition root like any manifest:
 * - IngressClass `kubelab` (spec.controller `kubelab.dev/ingress-controller`), annotated
 *   `ingressclass.kubernetes.io/is-default-class: "true"`, so the DefaultIngressClass admission plugin gives it to
 *   class-less Ingresses;
 * - ClusterRole + ClusterRoleBinding `system:kubelab:ingress-controller` for the user of the same name (the
 *   controller's in-process identity): read Ingresses, IngressClasses, Services and EndpointSlices, write
 *   `ingresses/status`, record Events;
 * - a Deployment `kubelab-ingress-controller` in kube-system (1 replica, image `kubelab/ingress-controller:v0.1.0`)
 *   that only makes the controller visible: its pod is simulated (label `kubelab.dev/simulated: "true"`), the real
 *   controller runs inside KubeLab and listens on the host's loopback.
 */
import type { KubeObject } from '../../api/object';
import {
  INGRESS_CLASS_NAME,
  INGRESS_CONTROLLER_DEPLOYMENT,
  INGRESS_CONTROLLER_IMAGE,
  INGRESS_CONTROLLER_NAME,
  INGRESS_CONTROLLER_NAMESPACE,
  INGRESS_CONTROLLER_USER,
} from './constants';
import { IS_DEFAULT_INGRESS_CLASS_ANNOTATION } from './routes';

export interface IngressManifestOptions {
  /** The controller's HTTP port on 127.0.0.1, shown in the Deployment's arguments when known. */
  port?: number;
}

const LABELS = {
  'app.kubernetes.io/name': INGRESS_CONTROLLER_DEPLOYMENT,
  'app.kubernetes.io/component': 'controller',
  'app.kubernetes.io/part-of': 'kubelab',
};

export function ingressClassManifest(): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: INGRESS_CLASS_NAME, labels: { ...LABELS }, annotations: { [IS_DEFAULT_INGRESS_CLASS_ANNOTATION]: 'true' } },
    spec: { controller: INGRESS_CONTROLLER_NAME },
  };
}

export function ingressRbacManifests(): KubeObject[] {
  const read = ['get', 'list', 'watch'];
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: INGRESS_CONTROLLER_USER.name, labels: { ...LABELS } },
      rules: [
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: read },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update', 'patch'] },
        { apiGroups: [''], resources: ['services'], verbs: read },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: read },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: INGRESS_CONTROLLER_USER.name, labels: { ...LABELS } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: INGRESS_CONTROLLER_USER.name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: INGRESS_CONTROLLER_USER.name }],
    },
  ];
}

export function ingressDeploymentManifest(o: IngressManifestOptions = {}): KubeObject {
  const selector = { 'app.kubernetes.io/name': INGRESS_CONTROLLER_DEPLOYMENT };
  const args = [`--ingress-class=${INGRESS_CLASS_NAME}`, `--controller-class=${INGRESS_CONTROLLER_NAME}`];
  if (o.port) args.push(`--http-address=127.0.0.1:${o.port}`);
  const labels = { ...LABELS, 'kubelab.dev/simulated': 'true' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: INGRESS_CONTROLLER_DEPLOYMENT,
      namespace: INGRESS_CONTROLLER_NAMESPACE,
      labels,
      annotations: { 'kubernetes.io/description': 'Simulated: KubeLab runs the ingress controller itself and serves HTTP on the host loopback; this Deployment only makes it visible.' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'controller',
              image: INGRESS_CONTROLLER_IMAGE,
              args,
              ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
              resources: { requests: { cpu: '100m', memory: '90Mi' } },
            },
          ],
        },
      },
    },
  };
}

/** Everything the add-on installs: the IngressClass, its RBAC and the visible Deployment. */
export function ingressManifests(o: IngressManifestOptions = {}): KubeObject[] {
  return [ingressClassManifest(), ...ingressRbacManifests(), ingressDeploymentManifest(o)];
}
