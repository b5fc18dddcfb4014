/**
 * Restricted checks on volumes and users (policy/check_restrictedVolumes.go, check_runAsNonRoot.go,
 * check_runAsUser.go): only the inline volume types known to be safe (as of 1.32: no `image`), runAsNonRoot=true on
 * the pod or every container, and no runAsUser=0 (from policy 1.23). restrictedVolumes replaces the baseline
 * hostPathVolumes check at restricted level.
 */
import { HOST_PATH_VOLUMES_ID } from './baseline-host';
import {
  ALLOWED,
  allContainers,
  containerName,
  containersPhrase,
  forbid,
  joinQuote,
  objs,
  optObj,
  pluralize,
  podSecurityContext,
  securityContext,
  setList,
  str,
  type Check,
  type CheckResult,
  type Obj,
} from './check';

const ALLOWED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** Restricted sources in upstream's switch order; a volume with none of these reads as "unknown". */
const RESTRICTED_VOLUME_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

function restrictedVolumes(_meta: Obj, spec: Obj): CheckResult {
  const names: string[] = [];
  const types: string[] = [];
  for (const v of objs(spec.volumes)) {
    if (ALLOWED_VOLUME_SOURCES.some((k) => optObj(v[k]) !== undefined)) continue;
    names.push(str(v.name));
    types.push(RESTRICTED_VOLUME_SOURCES.find((k) => optObj(v[k]) !== undefined) ?? 'unknown');
  }
  if (!names.length) return ALLOWED;
  const list = setList(types);
  const n = names.length;
  return forbid(
    'restricted volume types',
    `${pluralize('volume', 'volumes', n)} ${joinQuote(names)} ${pluralize('uses', 'use', n)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
  );
}

function runAsNonRoot(_meta: Obj, spec: Obj): CheckResult {
  const setters: string[] = [];
  let podRunAsNonRoot = false;
  const podValue = podSecurityContext(spec)?.runAsNonRoot;
  if (podValue === false) setters.push('pod');
  else if (podValue === true) podRunAsNonRoot = true;
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of allContainers(spec)) {
    const v = securityContext(c)?.runAsNonRoot;
    if (typeof v === 'boolean') {
      if (!v) explicit.push(containerName(c));
    } else if (!podRunAsNonRoot) {
      implicit.push(containerName(c));
    }
  }
  if (explicit.length) setters.push(containersPhrase(explicit));
  if (setters.length) return forbid('runAsNonRoot != true', `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`);
  if (implicit.length) return forbid('runAsNonRoot != true', `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true`);
  return ALLOWED;
}

function runAsUser(_meta: Obj, spec: Obj): CheckResult {
  const setters: string[] = [];
  if (podSecurityContext(spec)?.runAsUser === 0) setters.push('pod');
  const bad = allContainers(spec)
    .filter((c) => securityContext(c)?.runAsUser === 0)
    .map(containerName);
  if (bad.length) setters.push(containersPhrase(bad));
  return setters.length ? forbid('runAsUser=0', `${setters.join(' and ')} must not set runAsUser=0`) : ALLOWED;
}

export const restrictedPodChecks: Check[] = [
  { id: 'restrictedVolumes', level: 'restricted', versions: [{ minimumVersion: 0, checkPod: restrictedVolumes, overrides: [HOST_PATH_VOLUMES_ID] }] },
  { id: 'runAsNonRoot', level: 'restricted', versions: [{ minimumVersion: 0, checkPod: runAsNonRoot }] },
  { id: 'runAsUser', level: 'restricted', versions: [{ minimumVersion: 23, checkPod: runAsUser }] },
];
