/**
 * The Deployment controller's vocabulary (upstream pkg/controller/deployment/util constants): the apps/v1 shapes it
 * reads, the annotations it keeps on Deployments and ReplicaSets, the condition reasons and the label that tells a
 * Deployment's ReplicaSets apart (`pod-template-hash`). Objects from listers are frozen: copy before changing one.
 */
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';

export type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet, PodTemplateSpec };

export const CONTROLLER_NAME = 'deployment';
export const COMPONENT = 'deployment-controller';
export const SERVICE_ACCOUNT = 'deployment-controller';
export const DEPLOYMENT_KIND = 'Deployment';
export const APPS_V1 = 'apps/v1';

/** apps.DefaultDeploymentUniqueLabelKey. */
export const POD_TEMPLATE_HASH = 'pod-template-hash';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** apps.DeprecatedRollbackTo (extensions/v1beta1 only; never copied). */
export const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** The revision-history annotation is kept under this many characters (upstream maxRevHistoryLengthInChars). */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;

/** Condition reasons (deployment_util.go). */
export const Reason = {
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  FailedRSCreate: 'ReplicaSetCreateError',
  NewReplicaSet: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  PausedDeploy: 'DeploymentPaused',
  ResumedDeploy: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export const MAX_INT32 = 2147483647;

/** spec.replicas, 0 when absent (the API server defaults it to 1; a nil pointer only appears in hand-built objects). */
export function specReplicas(o: Deployment | ReplicaSet | undefined | null): number {
  return o?.spec?.replicas ?? 0;
}

export function annotationsOf(o: { metadata?: { annotations?: Record<string, string> } } | undefined | null): Record<string, string> {
  return o?.metadata?.annotations ?? {};
}

/** metav1.Time at `ms`: RFC 3339 in UTC with whole seconds, as the API serializes it. */
export function metaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
