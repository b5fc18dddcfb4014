/**
 * Baseline checks on privilege (policy/check_privileged.go, check_capabilities_baseline.go, check_procMount.go,
 * check_sysctls.go): no privileged containers, only the default capability set added, the default /proc mount, and
 * only "safe" sysctls (the safe list grows at policy versions 1.27, 1.29 and 1.32).
 */
import {
  ALLOWED,
  allContainers,
  containerName,
  containersPhrase,
  forbid,
  joinQuote,
  objs,
  optObj,
  podSecurityContext,
  securityContext,
  setList,
  str,
  type Check,
  type CheckPodFn,
  type CheckResult,
  type Obj,
} from './check';

function privileged(_meta: Obj, spec: Obj): CheckResult {
  const bad = allContainers(spec)
    .filter((c) => securityContext(c)?.privileged === true)
    .map(containerName);
  return bad.length ? forbid('privileged', `${containersPhrase(bad)} must not set securityContext.privileged=true`) : ALLOWED;
}

const CAPABILITIES_ALLOWED_1_0 = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Capability names as listed (a non-string entry reads as ""). */
export function capabilityList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(str) : [];
}

function capabilitiesBaseline(_meta: Obj, spec: Obj): CheckResult {
  const bad: string[] = [];
  const caps: string[] = [];
  for (const c of allContainers(spec)) {
    const capabilities = optObj(securityContext(c)?.capabilities);
    if (!capabilities) continue;
    const extra = capabilityList(capabilities.add).filter((cap) => !CAPABILITIES_ALLOWED_1_0.has(cap));
    if (extra.length) {
      bad.push(containerName(c));
      caps.push(...extra);
    }
  }
  if (!bad.length) return ALLOWED;
  return forbid('non-default capabilities', `${containersPhrase(bad)} must not include ${joinQuote(setList(caps))} in securityContext.capabilities.add`);
}

function procMount(_meta: Obj, spec: Obj): CheckResult {
  const bad: string[] = [];
  const types: string[] = [];
  for (const c of allContainers(spec)) {
    const pm = securityContext(c)?.procMount;
    if (typeof pm !== 'string' || pm === 'Default') continue;
    bad.push(containerName(c));
    types.push(pm);
  }
  if (!bad.length) return ALLOWED;
  return forbid('procMount', `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(setList(types))}`);
}

const SYSCTLS_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];

function sysctls(allowedList: string[]): CheckPodFn {
  const allowed = new Set(allowedList);
  return (_meta, spec) => {
    const bad = objs(podSecurityContext(spec)?.sysctls)
      .map((s) => str(s.name))
      .filter((name) => !allowed.has(name));
    return bad.length ? forbid('forbidden sysctls', bad.join(', ')) : ALLOWED;
  };
}

export const CAPABILITIES_BASELINE_ID = 'capabilities_baseline';

export const privilegeChecks: Check[] = [
  { id: 'privileged', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: privileged }] },
  { id: CAPABILITIES_BASELINE_ID, level: 'baseline', versions: [{ minimumVersion: 0, checkPod: capabilitiesBaseline }] },
  { id: 'procMount', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: procMount }] },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { minimumVersion: 0, checkPod: sysctls(SYSCTLS_1_0) },
      { minimumVersion: 27, checkPod: sysctls(SYSCTLS_1_27) },
      { minimumVersion: 29, checkPod: sysctls(SYSCTLS_1_29) },
      { minimumVersion: 32, checkPod: sysctls(SYSCTLS_1_32) },
    ],
  },
];
