/**
 * Pod and PodSpec defaults (pkg/apis/core/v1 defaults + the declarative ones): the PodSpec fields every template
 * gets (dnsPolicy, restartPolicy, securityContext, grace period, scheduler), volumes (emptyDir when no source,
 * file modes 420, hostPath type, token expiry), containers (pull policy, termination message, port protocol, probe
 * timings, HTTP handler path/scheme, downward-API apiVersion/divisor, resource rounding) and, for Pods only,
 * requests copied from limits, enableServiceLinks and host-network ports.
 */
import { defaultPullPolicy } from './image';
import { isPlainObject } from '../object';
import { ensure, isSet, list, roundResourceList, setDefault, setDefaultString, sub, templateMetadata, type Obj } from './util';
import { defaultPersistentVolumeClaimSpec } from './volumes';

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
];
const FILE_MODE = 420;

function fieldRef(o: Obj | undefined): void {
  const ref = o && sub(o, 'fieldRef');
  if (ref) setDefaultString(ref, 'apiVersion', 'v1');
  const res = o && sub(o, 'resourceFieldRef');
  if (res) setDefault(res, 'divisor', '0');
}

function defaultVolume(vol: Obj): void {
  if (!VOLUME_SOURCES.some((k) => isSet(vol[k]))) vol.emptyDir = {};
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = sub(vol, k);
    if (src) setDefault(src, 'defaultMode', FILE_MODE);
  }
  for (const item of list(sub(vol, 'downwardAPI') ?? {}, 'items')) fieldRef(item);
  for (const s of list(sub(vol, 'projected') ?? {}, 'sources')) {
    const token = sub(s, 'serviceAccountToken');
    if (token) setDefault(token, 'expirationSeconds', 3600);
    for (const item of list(sub(s, 'downwardAPI') ?? {}, 'items')) fieldRef(item);
  }
  const hostPath = sub(vol, 'hostPath');
  if (hostPath) setDefault(hostPath, 'type', '');
  const tmpl = sub(sub(vol, 'ephemeral') ?? {}, 'volumeClaimTemplate');
  if (tmpl) {
    templateMetadata(tmpl);
    defaultPersistentVolumeClaimSpec(ensure(tmpl, 'spec'));
  }
}

function defaultHandler(h: Obj | undefined): void {
  const http = h && sub(h, 'httpGet');
  if (http) {
    setDefaultString(http, 'path', '/');
    setDefaultString(http, 'scheme', 'HTTP');
  }
  const grpc = h && sub(h, 'grpc');
  if (grpc) setDefault(grpc, 'service', '');
}

function defaultProbe(p: Obj | undefined): void {
  if (!p) return;
  for (const [k, v] of [['timeoutSeconds', 1], ['periodSeconds', 10], ['successThreshold', 1], ['failureThreshold', 3]] as const)
    if (!p[k]) p[k] = v;
  defaultHandler(p);
}

export function defaultContainer(c: Obj): void {
  setDefaultString(c, 'imagePullPolicy', defaultPullPolicy(typeof c.image === 'string' ? c.image : ''));
  setDefaultString(c, 'terminationMessagePath', '/dev/termination-log');
  setDefaultString(c, 'terminationMessagePolicy', 'File');
  for (const port of list(c, 'ports')) setDefaultString(port, 'protocol', 'TCP');
  for (const env of list(c, 'env')) fieldRef(sub(env, 'valueFrom'));
  const resources = ensure(c, 'resources');
  roundResourceList(resources, 'limits');
  roundResourceList(resources, 'requests');
  for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(sub(c, k));
  const lifecycle = sub(c, 'lifecycle');
  if (lifecycle) for (const k of ['postStart', 'preStop']) defaultHandler(sub(lifecycle, k));
}

/** SetDefaults_PodSpec and everything nested in a PodSpec (applies to templates too). */
export function defaultPodSpec(spec: Obj): void {
  setDefaultString(spec, 'dnsPolicy', 'ClusterFirst');
  setDefaultString(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefaultString(spec, 'schedulerName', 'default-scheduler');
  for (const v of list(spec, 'volumes')) defaultVolume(v);
  for (const k of ['containers', 'initContainers', 'ephemeralContainers']) for (const c of list(spec, k)) defaultContainer(c);
  roundResourceList(spec, 'overhead');
}

/** A PodTemplateSpec (workloads, PodTemplate): metadata wire shape and PodSpec defaults. */
export function defaultPodTemplate(template: Obj | undefined): void {
  if (!template) return;
  templateMetadata(template);
  defaultPodSpec(ensure(template, 'spec'));
}

function requestsFromLimits(c: Obj): void {
  const resources = sub(c, 'resources');
  const limits = resources && sub(resources, 'limits');
  if (!resources || !limits) return;
  const requests = ensure(resources, 'requests');
  for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
}

/**
 * The status conditions' zero times as upstream's typed encoding writes them: null. lastProbeTime and
 * lastTransitionTime are non-pointer metav1.Time fields, which omitempty does not leave out, so a real cluster shows
 * `lastProbeTime: null` on every condition nobody probes (the kubelet's). A frozen condition or list (shared with the
 * stored object) is replaced by a copy; a frozen status is left as it is.
 */
function conditionTimesAsNull(pod: Obj): void {
  const status = sub(pod, 'status');
  if (!status || Object.isFrozen(status) || !Array.isArray(status.conditions)) return;
  let conds = status.conditions as unknown[];
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i];
    if (!isPlainObject(c) || (Object.hasOwn(c, 'lastProbeTime') && Object.hasOwn(c, 'lastTransitionTime'))) continue;
    const fixed: Obj = Object.isFrozen(c) ? { ...(c as Obj) } : (c as Obj);
    for (const k of ['lastProbeTime', 'lastTransitionTime']) if (!Object.hasOwn(fixed, k)) fixed[k] = null;
    if (fixed === c) continue;
    if (Object.isFrozen(conds)) status.conditions = conds = [...conds];
    conds[i] = fixed;
  }
}

/** SetDefaults_Pod, then the PodSpec defaults; the status conditions' zero times as null. */
export function defaultPod(pod: Obj): void {
  conditionTimesAsNull(pod);
  const spec = ensure(pod, 'spec');
  for (const k of ['containers', 'initContainers']) for (const c of list(spec, k)) requestsFromLimits(c);
  setDefault(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true)
    for (const k of ['containers', 'initContainers'])
      for (const c of list(spec, k)) for (const port of list(c, 'ports')) if (!port.hostPort) port.hostPort = port.containerPort;
  defaultPodSpec(spec);
}
