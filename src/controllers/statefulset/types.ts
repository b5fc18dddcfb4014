/**
 * The shapes of the objects the StatefulSet controller reads and writes (apps/v1 StatefulSet, ControllerRevision,
 * core/v1 Pod and PersistentVolumeClaim), reduced to the fields it uses, plus upstream's label names. Objects from
 * listers are frozen and shared: these types describe them for reading; copy (structuredClone) before changing one.
 */
import type { ObjectMeta } from '../../api/object';
import type { V1LabelSelector } from '../../api/selectors/label-selector-object';

export const STATEFULSET_API_VERSION = 'apps/v1';
export const STATEFULSET_KIND = 'StatefulSet';
export const POD_API_VERSION = 'v1';
export const POD_KIND = 'Pod';

/** apps.StatefulSetPodNameLabel: the pod's own name, so a Service can select one member. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** apps.PodIndexLabel: the pod's ordinal (PodIndexLabel feature, on by default). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** apps.StatefulSetRevisionLabel: the name of the ControllerRevision the pod was built from. */
export const STATEFULSET_REVISION_LABEL = 'controller-revision-hash';

export const POLICY_RETAIN = 'Retain';
export const POLICY_DELETE = 'Delete';

type Open = { [field: string]: unknown };

export type Meta = ObjectMeta;

export type Volume = Open & { name: string; persistentVolumeClaim?: { claimName: string; readOnly?: boolean } };

export type PodTemplate = Open & { metadata?: Meta; spec?: Open & { volumes?: Volume[] } };

export type Condition = { type?: string; status?: string; lastTransitionTime?: string };

export type Pod = Open & {
  apiVersion?: string;
  kind?: string;
  metadata: Meta;
  spec?: Open & { volumes?: Volume[]; hostname?: string; subdomain?: string };
  status?: Open & { phase?: string; conditions?: Condition[] };
};

export type Claim = Open & { apiVersion?: string; kind?: string; metadata: Meta; spec?: Open };

export type RetentionPolicy = { whenDeleted?: string; whenScaled?: string };

export type StatefulSetSpec = Open & {
  replicas?: number;
  selector?: V1LabelSelector;
  template?: PodTemplate;
  volumeClaimTemplates?: Claim[];
  serviceName?: string;
  podManagementPolicy?: string;
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  persistentVolumeClaimRetentionPolicy?: RetentionPolicy;
  ordinals?: { start?: number };
};

export type StatefulSetStatus = Open & {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
};

export type StatefulSet = Open & {
  apiVersion?: string;
  kind?: string;
  metadata: Meta;
  spec: StatefulSetSpec;
  status?: StatefulSetStatus;
};

export type Revision = Open & { apiVersion?: string; kind?: string; metadata: Meta; data?: unknown; revision?: number };
