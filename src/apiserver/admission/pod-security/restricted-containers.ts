/**
 * Restricted checks on container hardening (policy/check_allowPrivilegeEscalation.go,
 * check_capabilities_restricted.go, check_seccompProfile_restricted.go): allowPrivilegeEscalation=false, drop ALL and
 * add at most NET_BIND_SERVICE, and a RuntimeDefault/Localhost seccomp profile on the pod or every container. From
 * policy 1.25 Windows pods (spec.os.name=windows) are exempt from all three. The capability and seccomp checks
 * replace their baseline counterparts at restricted level.
 */
import { CAPABILITIES_BASELINE_ID, capabilityList } from './baseline-privilege';
import { SECCOMP_BASELINE_ID, validSeccomp } from './baseline-profiles';
import {
  ALLOWED,
  allContainers,
  containerName,
  containersPhrase,
  forbid,
  isWindowsPod,
  joinQuote,
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

function windowsExempt(check: CheckPodFn): CheckPodFn {
  return (meta, spec) => (isWindowsPod(spec) ? ALLOWED : check(meta, spec));
}

function allowPrivilegeEscalation(_meta: Obj, spec: Obj): CheckResult {
  const bad = allContainers(spec)
    .filter((c) => securityContext(c)?.allowPrivilegeEscalation !== false)
    .map(containerName);
  return bad.length ? forbid('allowPrivilegeEscalation != false', `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`) : ALLOWED;
}

function capabilitiesRestricted(_meta: Obj, spec: Obj): CheckResult {
  const missingDropAll: string[] = [];
  const adding: string[] = [];
  const forbiddenCaps: string[] = [];
  for (const c of allContainers(spec)) {
    const caps = optObj(securityContext(c)?.capabilities);
    if (!caps) {
      missingDropAll.push(containerName(c));
      continue;
    }
    if (!capabilityList(caps.drop).includes('ALL')) missingDropAll.push(containerName(c));
    const extra = capabilityList(caps.add).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (extra.length) {
      adding.push(containerName(c));
      forbiddenCaps.push(...extra);
    }
  }
  const details: string[] = [];
  if (missingDropAll.length) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length) details.push(`${containersPhrase(adding)} must not include ${joinQuote(setList(forbiddenCaps))} in securityContext.capabilities.add`);
  return details.length ? forbid('unrestricted capabilities', details.join('; ')) : ALLOWED;
}

function seccompProfileRestricted(_meta: Obj, spec: Obj): CheckResult {
  const setters: string[] = [];
  const values: string[] = [];
  let podSet = false;
  const podProfile = optObj(podSecurityContext(spec)?.seccompProfile);
  if (podProfile) {
    const t = str(podProfile.type);
    if (validSeccomp(t)) podSet = true;
    else {
      setters.push('pod');
      values.push(t);
    }
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of allContainers(spec)) {
    const profile = optObj(securityContext(c)?.seccompProfile);
    if (profile) {
      const t = str(profile.type);
      if (!validSeccomp(t)) {
        explicit.push(containerName(c));
        values.push(t);
      }
    } else if (!podSet) {
      implicit.push(containerName(c));
    }
  }
  if (explicit.length) setters.push(containersPhrase(explicit));
  if (setters.length) return forbid('seccompProfile', `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(setList(values))}`);
  if (implicit.length) return forbid('seccompProfile', `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
  return ALLOWED;
}

export const restrictedContainerChecks: Check[] = [
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [
      { minimumVersion: 8, checkPod: allowPrivilegeEscalation },
      { minimumVersion: 25, checkPod: windowsExempt(allowPrivilegeEscalation) },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { minimumVersion: 22, checkPod: capabilitiesRestricted, overrides: [CAPABILITIES_BASELINE_ID] },
      { minimumVersion: 25, checkPod: windowsExempt(capabilitiesRestricted), overrides: [CAPABILITIES_BASELINE_ID] },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { minimumVersion: 19, checkPod: seccompProfileRestricted, overrides: [SECCOMP_BASELINE_ID] },
      { minimumVersion: 25, checkPod: windowsExempt(seccompProfileRestricted), overrides: [SECCOMP_BASELINE_ID] },
    ],
  },
];
