/**
 * Baseline checks on security profiles (policy/check_appArmorProfile.go, check_seLinuxOptions.go,
 * check_seccompProfile_baseline.go): AppArmor and seccomp only RuntimeDefault/Localhost when set (the seccomp
 * check reads the alpha annotations before policy 1.19), SELinux only container types and no user/role
 * (container_engine_t allowed from 1.31).
 */
import { goQuote } from '../../../api/selectors/go-format';
import {
  ALLOWED,
  allContainers,
  containerName,
  containersPhrase,
  forbid,
  joinQuote,
  optObj,
  pluralize,
  podSecurityContext,
  securityContext,
  setList,
  str,
  stringMap,
  type Check,
  type CheckPodFn,
  type CheckResult,
  type Obj,
} from './check';

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAppArmorAnnotation(v: string): boolean {
  return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}

function badProfileType(sc: Obj | undefined, field: string, valid: (t: string) => boolean): string | undefined {
  const profile = optObj(sc?.[field]);
  if (!profile) return undefined;
  const t = str(profile.type);
  return valid(t) ? undefined : t;
}

const validAppArmor = (t: string): boolean => t === 'RuntimeDefault' || t === 'Localhost';
const validSeccomp = (t: string): boolean => t === 'Localhost' || t === 'RuntimeDefault';

/** Pod then containers that set `<field>.type` to a bad value: the setters phrase parts and the bad values. */
export function explicitBadSetters(spec: Obj, field: string, valid: (t: string) => boolean): { setters: string[]; values: string[] } {
  const setters: string[] = [];
  const values: string[] = [];
  const podBad = badProfileType(podSecurityContext(spec), field, valid);
  if (podBad !== undefined) {
    setters.push('pod');
    values.push(podBad);
  }
  const containers: string[] = [];
  for (const c of allContainers(spec)) {
    const bad = badProfileType(securityContext(c), field, valid);
    if (bad === undefined) continue;
    containers.push(containerName(c));
    values.push(bad);
  }
  if (containers.length) setters.push(containersPhrase(containers));
  return { setters, values };
}

function appArmorProfile(meta: Obj, spec: Obj): CheckResult {
  const { setters, values } = explicitBadSetters(spec, 'appArmorProfile', validAppArmor);
  const badValues = setList(values);
  const annotations: string[] = [];
  for (const [k, v] of Object.entries(stringMap(meta.annotations))) {
    if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAppArmorAnnotation(v)) annotations.push(`${k}=${goQuote(v)}`);
  }
  if (annotations.length) {
    badValues.push(...setList(annotations));
    setters.push(pluralize('annotation', 'annotations', annotations.length));
  }
  if (!setters.length) return ALLOWED;
  return forbid(
    pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', badValues.length),
    `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(badValues)}`,
  );
}

const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];

function seLinuxOptions(allowedTypes: string[]): CheckPodFn {
  const allowed = new Set(allowedTypes);
  return (_meta, spec) => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const valid = (sc: Obj | undefined): boolean => {
      const opts = optObj(sc?.seLinuxOptions);
      if (!opts) return true;
      let ok = true;
      const t = str(opts.type);
      if (!allowed.has(t)) {
        ok = false;
        badTypes.push(t);
      }
      if (str(opts.user)) {
        ok = false;
        setUser = true;
      }
      if (str(opts.role)) {
        ok = false;
        setRole = true;
      }
      return ok;
    };
    const setters: string[] = [];
    if (!valid(podSecurityContext(spec))) setters.push('pod');
    const bad = allContainers(spec)
      .filter((c) => !valid(securityContext(c)))
      .map(containerName);
    if (bad.length) setters.push(containersPhrase(bad));
    if (!setters.length) return ALLOWED;
    const data: string[] = [];
    const types = setList(badTypes);
    if (types.length) data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return forbid('seLinuxOptions', `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`);
  };
}

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function validSeccompAnnotation(v: string): boolean {
  return v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
}

/** Policy 1.0-1.18: the alpha seccomp annotations. */
function seccompProfileBaseline1_0(meta: Obj, spec: Obj): CheckResult {
  const annotations = stringMap(meta.annotations);
  const bad: string[] = [];
  const check = (key: string): void => {
    if (key in annotations && !validSeccompAnnotation(annotations[key])) bad.push(`${key}=${goQuote(annotations[key])}`);
  };
  check(SECCOMP_POD_ANNOTATION);
  for (const c of allContainers(spec)) check(SECCOMP_CONTAINER_ANNOTATION_PREFIX + containerName(c));
  const list = setList(bad);
  return list.length ? forbid('seccompProfile', `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}`) : ALLOWED;
}

/** Policy 1.19+: securityContext.seccompProfile.type, when set, must be RuntimeDefault or Localhost. */
function seccompProfileBaseline1_19(_meta: Obj, spec: Obj): CheckResult {
  const { setters, values } = explicitBadSetters(spec, 'seccompProfile', validSeccomp);
  if (!setters.length) return ALLOWED;
  return forbid('seccompProfile', `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(setList(values))}`);
}

export { validSeccomp };
export const SECCOMP_BASELINE_ID = 'seccompProfile_baseline';

export const profileChecks: Check[] = [
  { id: 'appArmorProfile', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: appArmorProfile }] },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { minimumVersion: 0, checkPod: seLinuxOptions(SELINUX_TYPES_1_0) },
      { minimumVersion: 31, checkPod: seLinuxOptions(SELINUX_TYPES_1_31) },
    ],
  },
  {
    id: SECCOMP_BASELINE_ID,
    level: 'baseline',
    versions: [
      { minimumVersion: 0, checkPod: seccompProfileBaseline1_0 },
      { minimumVersion: 19, checkPod: seccompProfileBaseline1_19 },
    ],
  },
];
