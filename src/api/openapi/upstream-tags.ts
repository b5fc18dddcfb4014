/**
 * Input of the definitions generator (.ci/gen-openapi.ts), not used at run time: what the `kubernetes-types` .d.ts
 * files cannot say about the upstream Go types, researched from k8s.io/api and k8s.io/apimachinery (v1.30 struct tags
 * `patchStrategy`/`patchMergeKey`, markers `+listType`, `+listMapKey`, `+mapType`, `+structType`, `+default`, Go field
 * types). The generator fails when an entry names a definition or field that does not exist.
 *
 * Field rules are space-separated tokens:
 *   `merge:key`, `merge,retainKeys:key`, `merge` (no key), `retainKeys`, `replace` → x-kubernetes-patch-strategy (+ key)
 *   `map:k1,k2` → x-kubernetes-list-type map with list-map-keys; `set`; `atomic` → x-kubernetes-list-type
 *   `mapType:atomic` → x-kubernetes-map-type on a map field
 * Array fields with no rule get `x-kubernetes-list-type: atomic`, as upstream marks them since v1.30.
 * Definition keys are upstream names without the `io.k8s.api.` prefix; `meta.v1.` and `apiextensions.v1.` expand to
 * the apimachinery and apiextensions-apiserver packages.
 */

const CONDITIONS = { conditions: 'merge:type map:type' };
const CONTAINER = {
  ports: 'merge:containerPort map:containerPort,protocol',
  env: 'merge:name map:name',
  volumeMounts: 'merge:mountPath map:mountPath',
  volumeDevices: 'merge:devicePath map:devicePath',
};
const WEBHOOK = { matchConditions: 'merge:name map:name' };

export const FIELD_RULES: Record<string, Record<string, string>> = {
  'meta.v1.ObjectMeta': { finalizers: 'merge set', ownerReferences: 'merge:uid map:uid' },

  'core.v1.PodSpec': {
    volumes: 'merge,retainKeys:name map:name',
    initContainers: 'merge:name map:name',
    containers: 'merge:name map:name',
    ephemeralContainers: 'merge:name map:name',
    imagePullSecrets: 'merge:name map:name',
    hostAliases: 'merge:ip map:ip',
    topologySpreadConstraints: 'merge:topologyKey map:topologyKey,whenUnsatisfiable',
    schedulingGates: 'merge:name map:name',
    resourceClaims: 'merge,retainKeys:name map:name',
    nodeSelector: 'mapType:atomic',
  },
  'core.v1.Container': CONTAINER,
  'core.v1.EphemeralContainer': CONTAINER,
  'core.v1.ResourceRequirements': { claims: 'map:name' },
  'core.v1.PodStatus': {
    ...CONDITIONS,
    podIPs: 'merge:ip map:ip',
    hostIPs: 'merge:ip atomic',
    resourceClaimStatuses: 'merge,retainKeys:name map:name',
  },
  'core.v1.ServiceSpec': { ports: 'merge:port map:port,protocol', selector: 'mapType:atomic' },
  'core.v1.ServiceStatus': CONDITIONS,
  'core.v1.ServiceAccount': { secrets: 'merge:name map:name' },
  'core.v1.NodeSpec': { podCIDRs: 'merge set' },
  'core.v1.NodeStatus': { ...CONDITIONS, addresses: 'merge:type map:type' },
  'core.v1.NamespaceStatus': CONDITIONS,
  'core.v1.PersistentVolumeClaimStatus': CONDITIONS,
  'core.v1.ReplicationControllerSpec': { selector: 'mapType:atomic' },
  'core.v1.ReplicationControllerStatus': CONDITIONS,
  'core.v1.ComponentStatus': CONDITIONS,

  'apps.v1.DeploymentSpec': { strategy: 'retainKeys' },
  'apps.v1.DeploymentStatus': CONDITIONS,
  'apps.v1.ReplicaSetStatus': CONDITIONS,
  'apps.v1.StatefulSetStatus': CONDITIONS,
  'apps.v1.DaemonSetStatus': CONDITIONS,

  'batch.v1.JobStatus': { conditions: 'merge:type atomic' },
  'batch.v1.UncountedTerminatedPods': { succeeded: 'set', failed: 'set' },
  'batch.v1.PodFailurePolicyOnExitCodesRequirement': { values: 'set' },

  'policy.v1.PodDisruptionBudgetSpec': { selector: 'replace' },
  'policy.v1.PodDisruptionBudgetStatus': CONDITIONS,
  'autoscaling.v2.HorizontalPodAutoscalerStatus': CONDITIONS,
  'discovery.v1.Endpoint': { addresses: 'set' },
  'storage.v1.CSINodeSpec': { drivers: 'merge:name map:name' },
  'storage.v1.CSIDriverSpec': { volumeLifecycleModes: 'set' },
  'certificates.v1.CertificateSigningRequestStatus': { conditions: 'map:type' },
  'flowcontrol.v1.FlowSchemaStatus': CONDITIONS,
  'flowcontrol.v1.PriorityLevelConfigurationStatus': CONDITIONS,
  'admissionregistration.v1.ValidatingWebhookConfiguration': { webhooks: 'merge:name map:name' },
  'admissionregistration.v1.MutatingWebhookConfiguration': { webhooks: 'merge:name map:name' },
  'admissionregistration.v1.ValidatingWebhook': WEBHOOK,
  'admissionregistration.v1.MutatingWebhook': WEBHOOK,
  'admissionregistration.v1.ValidatingAdmissionPolicySpec': WEBHOOK,
  'admissionregistration.v1.ValidatingAdmissionPolicyStatus': { conditions: 'map:type' },
  'admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec': { validationActions: 'set' },
  'resource.v1alpha2.ResourceClaimStatus': { reservedFor: 'merge:uid map:uid' },
  'apiextensions.v1.CustomResourceDefinitionStatus': { conditions: 'map:type' },
};

/** Types marked `+structType=atomic` (x-kubernetes-map-type: atomic on the definition). */
export const ATOMIC_STRUCTS: string[] = [
  'meta.v1.LabelSelector',
  'meta.v1.OwnerReference',
  'core.v1.ObjectReference',
  'core.v1.LocalObjectReference',
  'core.v1.TypedLocalObjectReference',
  'core.v1.SecretReference',
  'core.v1.NodeSelector',
  'core.v1.NodeSelectorTerm',
  'core.v1.TopologySelectorTerm',
  'core.v1.ConfigMapKeySelector',
  'core.v1.SecretKeySelector',
  'core.v1.ObjectFieldSelector',
  'core.v1.ResourceFieldSelector',
  'core.v1.EndpointAddress',
  'core.v1.EndpointPort',
  'discovery.v1.EndpointPort',
];

/** `+default=` values that server-side apply needs (list-map keys that may be omitted). */
export const FIELD_DEFAULTS: Record<string, Record<string, unknown>> = {
  'core.v1.ContainerPort': { protocol: 'TCP' },
  'core.v1.ServicePort': { protocol: 'TCP' },
};

/**
 * Go struct fields that are not pointers, below the top level: upstream's OpenAPI v3 gives each `default: {}` (as it
 * does every top-level kind's `metadata`, `spec` and `status`, which the generator adds by rule). The field manager's
 * zero object has them present, so a created object's entry lists their fields without a `"."` of their own
 * (`f:spec: {f:containers: …}`, `f:template: {f:metadata: …, f:spec: …}`), as upstream's does.
 */
export const STRUCT_FIELDS: Record<string, string[]> = {
  'core.v1.PodTemplateSpec': ['metadata', 'spec'],
  'core.v1.PodTemplate': ['template'],
  'core.v1.Container': ['resources'],
  'core.v1.EphemeralContainer': ['resources'],
  'core.v1.ContainerStatus': ['state', 'lastState'],
  'core.v1.PersistentVolumeClaimSpec': ['resources'],
  'core.v1.NodeStatus': ['daemonEndpoints', 'nodeInfo'],
  'core.v1.NodeDaemonEndpoints': ['kubeletEndpoint'],
  'core.v1.ServiceStatus': ['loadBalancer'],
  'core.v1.Event': ['involvedObject', 'source'],
  'core.v1.Binding': ['target'],
  'apps.v1.DeploymentSpec': ['template', 'strategy'],
  'apps.v1.ReplicaSetSpec': ['template'],
  'apps.v1.DaemonSetSpec': ['template', 'updateStrategy'],
  'apps.v1.StatefulSetSpec': ['template', 'updateStrategy'],
  'batch.v1.JobSpec': ['template'],
  'batch.v1.CronJobSpec': ['jobTemplate'],
  'batch.v1.JobTemplateSpec': ['metadata', 'spec'],
  'networking.v1.IngressStatus': ['loadBalancer'],
  'networking.v1.NetworkPolicySpec': ['podSelector'],
  'autoscaling.v1.HorizontalPodAutoscalerSpec': ['scaleTargetRef'],
  'autoscaling.v2.HorizontalPodAutoscalerSpec': ['scaleTargetRef'],
  'events.v1.Event': ['regarding', 'deprecatedSource'],
  'rbac.v1.RoleBinding': ['roleRef'],
  'rbac.v1.ClusterRoleBinding': ['roleRef'],
  'storage.v1.VolumeAttachmentSpec': ['source'],
  'apiextensions.v1.CustomResourceDefinitionSpec': ['names'],
  'apiextensions.v1.CustomResourceDefinitionStatus': ['acceptedNames'],
  'admissionregistration.v1.ValidatingWebhook': ['clientConfig'],
  'admissionregistration.v1.MutatingWebhook': ['clientConfig'],
  'authentication.v1.TokenReviewStatus': ['user'],
};

/** Go `int64` fields (every other integer is `int32`), by JSON name; `except` lists int32 fields of the same name. */
export const INT64_FIELDS = new Set([
  'generation',
  'observedGeneration',
  'deletionGracePeriodSeconds',
  'remainingItemCount',
  'gracePeriodSeconds',
  'activeDeadlineSeconds',
  'terminationGracePeriodSeconds',
  'startingDeadlineSeconds',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
  'supplementalGroups',
  'tolerationSeconds',
  'sizeBytes',
  'expirationSeconds',
  'revision',
  'maxItems',
  'maxLength',
  'maxProperties',
  'minItems',
  'minLength',
  'minProperties',
  'sinceSeconds',
  'tailLines',
  'limitBytes',
]);
export const INT32_EXCEPTIONS: Record<string, string[]> = { 'certificates.v1.CertificateSigningRequestSpec': ['expirationSeconds'] };

/** Go `float64` fields (JSON numbers that need not be integers). */
export const FLOAT_FIELDS: Record<string, string[]> = { 'apiextensions.v1.JSONSchemaProps': ['maximum', 'minimum', 'multipleOf'] };

/** Go `[]byte` fields (base64 strings, `format: byte`); for maps the rule applies to the values. */
export const BYTE_FIELDS: Record<string, string[]> = {
  'core.v1.Secret': ['data'],
  'core.v1.ConfigMap': ['binaryData'],
  'certificates.v1.CertificateSigningRequestSpec': ['request'],
  'certificates.v1.CertificateSigningRequestStatus': ['certificate'],
  'admissionregistration.v1.WebhookClientConfig': ['caBundle'],
  'apiextensions.v1.WebhookClientConfig': ['caBundle'],
};

/**
 * Fields whose JSON name has a dash, which `kubernetes-types` leaves out of JSONSchemaProps; descriptions as upstream.
 * `type` is the generator's shorthand: a JSON type, `string[]`, or `ref:<definition>[]` (x-kubernetes-validations,
 * which upstream merges by `rule`: patch strategy merge, list-type map).
 */
export const EXTRA_FIELDS: Record<string, Record<string, { type: string; description: string }>> = {
  'apiextensions.v1.JSONSchemaProps': {
    'x-kubernetes-embedded-resource': {
      type: 'boolean',
      description:
        'x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta. The type must be object. It is allowed to further restrict the embedded object. kind, apiVersion and metadata are validated automatically. x-kubernetes-preserve-unknown-fields is allowed to be true, but does not have to be if the object is fully specified (up to kind, apiVersion, metadata).',
    },
    'x-kubernetes-int-or-string': {
      type: 'boolean',
      description:
        'x-kubernetes-int-or-string specifies that this value is either an integer or a string. If this is true, an empty type is allowed and type as child of anyOf is permitted if following one of the following patterns:\n\n1) anyOf:\n   - type: integer\n   - type: string\n2) allOf:\n   - anyOf:\n     - type: integer\n     - type: string\n   - ... zero or more',
    },
    'x-kubernetes-list-map-keys': {
      type: 'string[]',
      description:
        'x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map.\n\nThis tag MUST only be used on lists that have the "x-kubernetes-list-type" extension set to "map". Also, the values specified for this attribute must be a scalar typed field of the child structure (no nesting is supported).\n\nThe properties specified must either be required or have a default value, to ensure those properties are present for all list items.',
    },
    'x-kubernetes-list-type': {
      type: 'string',
      description:
        'x-kubernetes-list-type annotates an array to further describe its topology. This extension must only be used on lists and may have 3 possible values:\n\n1) `atomic`: the list is treated as a single entity, like a scalar.\n     Atomic lists will be entirely replaced when updated. This extension\n     may be used on any type of list (struct, scalar, ...).\n2) `set`:\n     Sets are lists that must not have multiple items with the same value. Each\n     value must be a scalar, an object with x-kubernetes-map-type `atomic` or an\n     array with x-kubernetes-list-type `atomic`.\n3) `map`:\n     These lists are like maps in that their elements have a non-index key\n     used to identify them. Order is preserved upon merge. The map tag\n     must only be used on a list with elements of type object.\nDefaults to atomic for arrays.',
    },
    'x-kubernetes-map-type': {
      type: 'string',
      description:
        'x-kubernetes-map-type annotates an object to further describe its topology. This extension must only be used when type is object and may have 2 possible values:\n\n1) `granular`:\n     These maps are actual maps (key-value pairs) and each fields are independent\n     from each other (they can each be manipulated by separate actors). This is\n     the default behaviour for all maps.\n2) `atomic`: the list is treated as a single entity, like a scalar.\n     Atomic maps will be entirely replaced when updated.',
    },
    'x-kubernetes-preserve-unknown-fields': {
      type: 'boolean',
      description:
        'x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema. This affects fields recursively, but switches back to normal pruning behaviour if nested properties or additionalProperties are specified in the schema. This can either be true or undefined. False is forbidden.',
    },
    'x-kubernetes-validations': {
      type: 'ref:apiextensions.v1.ValidationRule[]',
      description: 'x-kubernetes-validations describes a list of validation rules written in the CEL expression language.',
    },
  },
};

/** Expands a table key (`core.v1.Pod`, `meta.v1.ObjectMeta`, `apiextensions.v1.JSON`) to the upstream definition name. */
export function upstreamName(key: string): string {
  if (key.startsWith('meta.v1.')) return `io.k8s.apimachinery.pkg.apis.${key}`;
  if (key.startsWith('apiextensions.v1.')) return `io.k8s.apiextensions-apiserver.pkg.apis.${key}`;
  return `io.k8s.api.${key}`;
}
