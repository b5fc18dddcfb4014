/**
 * Names the ingress add-on is known by: its IngressClass, the `spec.controller` value that class names, the API
 * identity the controller runs as (bound by the RBAC in manifests.ts), and where its visible Deployment lives.
 */

/** The IngressClass KubeLab's controller implements (annotated as the cluster default). */
export const INGRESS_CLASS_NAME = 'kubelab';

/** IngressClass `spec.controller`: a domain-prefixed path, as the API requires. */
export const INGRESS_CONTROLLER_NAME = 'kubelab.dev/ingress-controller';

/** The user the controller authenticates as (in process), bound to the ClusterRole of the same name. */
export const INGRESS_CONTROLLER_USER = { name: 'system:kubelab:ingress-controller', groups: ['system:authenticated'] };

export const INGRESS_CONTROLLER_DEPLOYMENT = 'kubelab-ingress-controller';
export const INGRESS_CONTROLLER_NAMESPACE = 'kube-system';
export const INGRESS_CONTROLLER_IMAGE = 'kubelab/ingress-controller:v0.1.0';
