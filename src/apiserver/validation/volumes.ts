/**
 * Pod volumes (ValidateVolumes / validateVolumeSource): names, exactly one source, and the checks of the sources
 * people use (emptyDir, hostPath, secret, configMap, persistentVolumeClaim, nfs, downwardAPI, projected, csi,
 * ephemeral, gitRepo). Other sources are counted for the one-source rule but not checked further.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { tryParseQuantity } from '../../api/quantity';
import { child, index, objs, optNum, optObj, str, type Obj } from './access';
import { each, isDNS1123Label, nameIsDNSSubdomain } from './formats';
import { validateTemplateObjectMeta } from './meta';
import { VOLUME_FIELD_PATHS, validateObjectFieldSelector, validateResourceFieldSelector } from './env';
import { validatePersistentVolumeClaimSpec } from './persistent-volume';

export const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

/** Source keys in upstream's order, with the path segment its "more than 1 volume type" error names. */
const SOURCES: [string, string][] = [
  ['emptyDir', 'emptyDir'], ['hostPath', 'hostPath'], ['gitRepo', 'gitRepo'], ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'], ['secret', 'secret'], ['nfs', 'nfs'], ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'], ['flocker', 'flocker'], ['persistentVolumeClaim', 'persistentVolumeClaim'], ['rbd', 'rbd'],
  ['cinder', 'cinder'], ['cephfs', 'cephFS'], ['quobyte', 'quobyte'], ['downwardAPI', 'downwarAPI'], ['fc', 'fc'],
  ['flexVolume', 'flexVolume'], ['configMap', 'configMap'], ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'], ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'], ['projected', 'projected'], ['scaleIO', 'scaleIO'], ['csi', 'csi'], ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

export function validatePathNoBacksteps(p: string, path: string): FieldError[] {
  return p.replace(/\\/g, '/').split('/').includes('..') ? [fieldErr.invalid(path, p, "must not contain '..'")] : [];
}

export function validateLocalDescendingPath(p: string, path: string): FieldError[] {
  const errs = p.startsWith('/') ? [fieldErr.invalid(path, p, 'must be a relative path')] : [];
  return [...errs, ...validatePathNoBacksteps(p, path)];
}

export function validateLocalNonReservedPath(p: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(p, path);
  if (p.startsWith('..') && !p.startsWith('../')) errs.push(fieldErr.invalid(path, p, "must not start with '..'"));
  return errs;
}

function fileMode(v: unknown, path: string): FieldError[] {
  const m = optNum(v);
  return m !== undefined && (m > 0o777 || m < 0) ? [fieldErr.invalid(path, m, FILE_MODE_ERROR)] : [];
}

function keyToPath(kp: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(kp.key)) errs.push(fieldErr.required(child(path, 'key')));
  if (!str(kp.path)) errs.push(fieldErr.required(child(path, 'path')));
  errs.push(...validateLocalNonReservedPath(str(kp.path), child(path, 'path')), ...fileMode(kp.mode, child(path, 'mode')));
  return errs;
}

function items(src: Obj, path: string): FieldError[] {
  return objs(src.items).flatMap((kp, i) => keyToPath(kp, index(child(path, 'items'), i)));
}

function downwardFile(f: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(f.path)) errs.push(fieldErr.required(child(path, 'path')));
  errs.push(...validateLocalNonReservedPath(str(f.path), child(path, 'path')));
  const fieldRef = optObj(f.fieldRef);
  const resourceRef = optObj(f.resourceFieldRef);
  if (fieldRef) {
    errs.push(...validateObjectFieldSelector(fieldRef, VOLUME_FIELD_PATHS, child(path, 'fieldRef')));
    if (resourceRef) errs.push(fieldErr.invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (resourceRef) errs.push(...validateResourceFieldSelector(resourceRef, child(path, 'resourceFieldRef'), true));
  else errs.push(fieldErr.required(path, 'one of fieldRef and resourceFieldRef is required'));
  return [...errs, ...fileMode(f.mode, child(path, 'mode'))];
}

function projected(src: Obj, path: string): FieldError[] {
  const errs = fileMode(src.defaultMode, child(path, 'defaultMode'));
  const seen = new Set<string>();
  const claim = (p: string, shown: unknown): void => {
    if (!p) return;
    if (seen.has(p)) errs.push(fieldErr.invalid(path, shown, 'conflicting duplicate paths'));
    seen.add(p);
  };
  objs(src.sources).forEach((s, i) => {
    const sp = index(child(path, 'sources'), i);
    let n = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = optObj(s[kind]);
      if (!ref) continue;
      n++;
      if (!str(ref.name)) errs.push(fieldErr.required(child(sp, kind, 'name')));
      objs(ref.items).forEach((kp, j) => {
        errs.push(...keyToPath(kp, index(child(sp, kind, 'items'), j)));
        claim(str(kp.path), str(ref.name));
      });
    }
    const dapi = optObj(s.downwardAPI);
    if (dapi) {
      n++;
      for (const f of objs(dapi.items)) {
        errs.push(...downwardFile(f, child(sp, 'downwardAPI')));
        claim(str(f.path), str(f.path));
      }
    }
    const sat = optObj(s.serviceAccountToken);
    if (sat) {
      n++;
      const exp = optNum(sat.expirationSeconds) ?? 0;
      if (exp < 600) errs.push(fieldErr.invalid(child(sp, 'serviceAccountToken', 'expirationSeconds'), exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(fieldErr.invalid(child(sp, 'serviceAccountToken', 'expirationSeconds'), exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!str(sat.path)) errs.push(fieldErr.required(child(path, 'path')));
      else errs.push(...validateLocalNonReservedPath(str(sat.path), child(path, 'path')));
    }
    if (s.clusterTrustBundle) n++;
    if (n > 1) errs.push(fieldErr.forbidden(sp, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

function sourceErrors(kind: string, src: Obj, path: string, volName: string, podName: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'emptyDir': {
      const q = tryParseQuantity(src.sizeLimit);
      if (q && q.sign() < 0) errs.push(fieldErr.forbidden(child(path, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
      break;
    }
    case 'hostPath':
      if (!str(src.path)) return [fieldErr.required(child(path, 'path'))];
      errs.push(...validatePathNoBacksteps(str(src.path), child(path, 'path')));
      if (typeof src.type === 'string' && !HOST_PATH_TYPES.includes(src.type)) errs.push(fieldErr.notSupported(child(path, 'type'), src.type, HOST_PATH_TYPES));
      break;
    case 'gitRepo':
      if (!str(src.repository)) errs.push(fieldErr.required(child(path, 'repository')));
      errs.push(...validateLocalDescendingPath(str(src.directory), child(path, 'directory')));
      break;
    case 'secret':
      if (!str(src.secretName)) errs.push(fieldErr.required(child(path, 'secretName')));
      errs.push(...fileMode(src.defaultMode, child(path, 'defaultMode')), ...items(src, path));
      break;
    case 'configMap':
      if (!str(src.name)) errs.push(fieldErr.required(child(path, 'name')));
      errs.push(...fileMode(src.defaultMode, child(path, 'defaultMode')), ...items(src, path));
      break;
    case 'persistentVolumeClaim':
      if (!str(src.claimName)) errs.push(fieldErr.required(child(path, 'claimName')));
      break;
    case 'nfs':
      if (!str(src.server)) errs.push(fieldErr.required(child(path, 'server')));
      if (!str(src.path)) errs.push(fieldErr.required(child(path, 'path')));
      if (!str(src.path).startsWith('/')) errs.push(fieldErr.invalid(child(path, 'path'), str(src.path), 'must be an absolute path'));
      break;
    case 'downwardAPI':
      errs.push(...fileMode(src.defaultMode, child(path, 'defaultMode')));
      for (const f of objs(src.items)) errs.push(...downwardFile(f, path));
      break;
    case 'projected':
      errs.push(...projected(src, path));
      break;
    case 'csi': {
      const driver = str(src.driver);
      if (!driver) errs.push(fieldErr.required(child(path, 'driver')));
      if (Buffer.byteLength(driver) > 63) errs.push(fieldErr.tooLong(child(path, 'driver'), 63));
      errs.push(...each(child(path, 'driver'), driver, nameIsDNSSubdomain(driver.toLowerCase(), false)));
      break;
    }
    case 'ephemeral': {
      const tmpl = optObj(src.volumeClaimTemplate);
      if (!tmpl) errs.push(fieldErr.required(child(path, 'volumeClaimTemplate')));
      else
        errs.push(
          ...validateTemplateObjectMeta(tmpl.metadata, child(path, 'volumeClaimTemplate', 'metadata')),
          ...validatePersistentVolumeClaimSpec(tmpl.spec, child(path, 'volumeClaimTemplate', 'spec')),
        );
      if (podName && volName)
        errs.push(...each(child(path, 'name'), volName, nameIsDNSSubdomain(`${podName}-${volName}`, false).map((m) => `PVC name "${podName}-${volName}": ${m}`)));
      break;
    }
  }
  return errs;
}

function validateVolumeSource(vol: Obj, path: string, podName: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const [k, segment] of SOURCES) {
    const src = optObj(vol[k]);
    if (!src) continue;
    if (n > 0) {
      errs.push(fieldErr.forbidden(child(path, segment), 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    errs.push(...sourceErrors(k, src, child(path, k === 'cephfs' ? 'cephfs' : k), str(vol.name), podName));
  }
  if (n === 0) errs.push(fieldErr.required(path, 'must specify a volume type'));
  return errs;
}

/** ValidateVolumes: the valid volumes by name (for mounts), and the errors. */
export function validateVolumes(volumes: unknown, path: string, podName = ''): { volumes: Map<string, Obj>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const valid = new Map<string, Obj>();
  const names = new Set<string>();
  objs(volumes).forEach((vol, i) => {
    const p = index(path, i);
    const namePath = child(p, 'name');
    const name = str(vol.name);
    const el = validateVolumeSource(vol, p, podName);
    if (!name) el.push(fieldErr.required(namePath));
    else el.push(...each(namePath, name, isDNS1123Label(name)));
    if (names.has(name)) el.push(fieldErr.duplicate(namePath, name));
    if (el.length === 0) {
      names.add(name);
      valid.set(name, vol);
    } else errs.push(...el);
  });
  return { volumes: valid, errs };
}

