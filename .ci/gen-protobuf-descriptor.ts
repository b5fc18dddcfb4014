/**
 * Generates src/api/protobuf/descriptor.json: the protobuf wire descriptor of every message reachable from the kinds
 * KubeLab serves (plus Binding, Eviction, DeleteOptions, Scale, TokenRequest, autoscaling/v1 HPA), with per field
 * what a decoder needs to rebuild the exact JSON a Go JSON client would have sent: number, JSON name, proto type,
 * and the Go facts pointer / repeated / map / omitempty / inline.
 *
 * Sources, both read from Go binaries the machine ships (gcloud SDK):
 * - the wire structure (message names, field numbers, proto types, repeated, map entries) from the
 *   FileDescriptorProtos gogo-protobuf's generated code registers (.ci/protobuf/file-descriptors.ts). Struct tags are
 *   NOT trusted for it: upstream has stale wire types and labels in a few (core/v1 *VolumeSource.DefaultMode says
 *   `bytes`, ServiceAccountTokenProjection.Audience says `rep`);
 * - the JSON side from Go's runtime type descriptors, the data encoding/json itself uses (.ci/protobuf/go-types.ts).
 * kubectl 1.32 for everything but apiextensions.k8s.io/v1, which kubectl does not link: that comes from anthoscli
 * (apiextensions-apiserver v0.24) plus the fields added in 1.25–1.32 (.ci/protobuf/apiextensions.ts, researched).
 * Every Go field must match a proto field and vice versa, or the script fails. Deterministic.
 *
 *   npx tsx .ci/gen-protobuf-descriptor.ts [kubectl-1.32] [anthoscli]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APIEXTENSIONS_ADDED } from './protobuf/apiextensions';
import { embeddedMessages } from './protobuf/file-descriptors';
import { GoBinary, type GoType } from './protobuf/go-types';
import { APIEXTENSIONS, Walker, fail, type FieldEntry } from './protobuf/walk';

const ROOT = path.resolve(__dirname, '..');
export const DESCRIPTOR_FILE = path.join(ROOT, 'src/api/protobuf/descriptor.json');
export const KUBECTL_132 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
export const ANTHOSCLI = '/usr/lib/google-cloud-sdk/bin/anthoscli';

/** apiVersion → kinds a client may send as a request body. */
const ROOTS: Record<string, string[]> = {
  v1: ['Namespace', 'Pod', 'Service', 'Endpoints', 'Node', 'Event', 'ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolume', 'PersistentVolumeClaim', 'LimitRange', 'ResourceQuota', 'ReplicationController', 'PodTemplate', 'ComponentStatus', 'Binding'],
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ControllerRevision'],
  'autoscaling/v1': ['Scale', 'HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'batch/v1': ['Job', 'CronJob'],
  'coordination.k8s.io/v1': ['Lease'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'events.k8s.io/v1': ['Event'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass'],
  'policy/v1': ['PodDisruptionBudget', 'Eviction'],
  'rbac.authorization.k8s.io/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'storage.k8s.io/v1': ['StorageClass'],
  'authentication.k8s.io/v1': ['TokenRequest', 'TokenReview', 'SelfSubjectReview'],
  'authorization.k8s.io/v1': ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview'],
};

/** Kinds registered in every group version (metav1.AddToGroupVersion); keyed `*\/Kind`. */
const META_KINDS = ['DeleteOptions'];

function rootStruct(structs: Map<string, GoType>, pkg: string, kind: string): GoType {
  return structs.get(`${pkg}.${kind}`) ?? fail(`${pkg}.${kind}`, 'no such Go struct');
}

/** `apps/v1` → `k8s.io/api/apps/v1`; `rbac.authorization.k8s.io/v1` → `k8s.io/api/rbac/v1`; `v1` → core/v1. */
function apiPackage(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  return `k8s.io/api/${group.split('.')[0]}/${version}`;
}

const byName = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

/** The descriptor file's exact text (one message per line) and the generator's notes. */
export function generateDescriptor(kubectlFile = KUBECTL_132, anthosFile = ANTHOSCLI): { text: string; notes: string[] } {
  const messages = new Map<string, FieldEntry[]>();
  const kinds: Record<string, string> = {};
  const k8s = new Walker(messages, embeddedMessages(kubectlFile).messages);
  const structs = new GoBinary(kubectlFile).namedStructs((p) => p.startsWith('k8s.io/api/') || p.startsWith('k8s.io/apimachinery/'));
  for (const [apiVersion, list] of Object.entries(ROOTS)) {
    for (const kind of list) kinds[`${apiVersion}/${kind}`] = k8s.walk(rootStruct(structs, apiPackage(apiVersion), kind));
  }
  for (const kind of META_KINDS) kinds[`*/${kind}`] = k8s.walk(rootStruct(structs, 'k8s.io/apimachinery/pkg/apis/meta/v1', kind));

  const ext = new Walker(messages, embeddedMessages(anthosFile).messages, APIEXTENSIONS_ADDED.fields);
  const extStructs = new GoBinary(anthosFile).namedStructs((p) => p === APIEXTENSIONS);
  kinds['apiextensions.k8s.io/v1/CustomResourceDefinition'] = ext.walk(rootStruct(extStructs, APIEXTENSIONS, 'CustomResourceDefinition'));
  for (const [name, fields] of Object.entries(APIEXTENSIONS_ADDED.messages)) {
    if (messages.has(name)) fail(name, 'already in the binary');
    messages.set(name, fields);
  }

  const comment =
    'Generated by .ci/gen-protobuf-descriptor.ts from the Go API types and registered proto descriptors of kubectl 1.32 (apiextensions: anthoscli + 1.25-1.32 additions). ' +
    'Field: [number, json name ("" = inline), type, flags p=pointer r=repeated o=omitempty i=inline x=json:"-", Go name if not the capitalised json name]; fields in Go struct order.';
  const lines = [
    '{',
    `  "comment": ${JSON.stringify(comment)},`,
    `  "kinds": ${JSON.stringify(Object.fromEntries(Object.entries(kinds).sort(byName)))},`,
    '  "messages": {',
    [...messages.entries()]
      .sort(byName)
      .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join(',\n'),
    '  }',
    '}',
    '',
  ];
  return { text: lines.join('\n'), notes: [...k8s.notes, ...ext.notes] };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const { text, notes } = generateDescriptor(process.argv[2], process.argv[3]);
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  fs.writeFileSync(DESCRIPTOR_FILE, text);
  process.stdout.write(`wrote ${path.relative(ROOT, DESCRIPTOR_FILE)} (${text.length} bytes)\n`);
}
