/**
 * Baseline checks on host access (policy/check_hostNamespaces.go, check_hostPathVolumes.go, check_hostPorts.go,
 * check_windowsHostProcess.go): no host namespaces, no hostPath volumes, no host ports, no Windows HostProcess.
 * Reasons and details are upstream's words.
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
  pluralize,
  podSecurityContext,
  securityContext,
  setList,
  str,
  type Check,
  type CheckResult,
  type Obj,
} from './check';

function hostNamespaces(_meta: Obj, spec: Obj): CheckResult {
  const bad: string[] = [];
  if (spec.hostNetwork === true) bad.push('hostNetwork=true');
  if (spec.hostPID === true) bad.push('hostPID=true');
  if (spec.hostIPC === true) bad.push('hostIPC=true');
  return bad.length ? forbid('host namespaces', bad.join(', ')) : ALLOWED;
}

function hostPathVolumes(_meta: Obj, spec: Obj): CheckResult {
  const names = objs(spec.volumes)
    .filter((v) => optObj(v.hostPath) !== undefined)
    .map((v) => str(v.name));
  return names.length ? forbid('hostPath volumes', `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`) : ALLOWED;
}

function hostPorts(_meta: Obj, spec: Obj): CheckResult {
  const badContainers: string[] = [];
  const ports: string[] = [];
  for (const c of allContainers(spec)) {
    let bad = false;
    for (const p of objs(c.ports)) {
      const hostPort = typeof p.hostPort === 'number' ? p.hostPort : 0;
      if (hostPort !== 0) {
        bad = true;
        ports.push(String(hostPort));
      }
    }
    if (bad) badContainers.push(containerName(c));
  }
  if (!badContainers.length) return ALLOWED;
  const list = setList(ports);
  const n = badContainers.length;
  return forbid(
    'hostPort',
    `${containersPhrase(badContainers)} ${pluralize('uses', 'use', n)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
  );
}

function hostProcessSet(sc: Obj | undefined): boolean {
  return optObj(sc?.windowsOptions)?.hostProcess === true;
}

function windowsHostProcess(_meta: Obj, spec: Obj): CheckResult {
  const badContainers = allContainers(spec)
    .filter((c) => hostProcessSet(securityContext(c)))
    .map(containerName);
  const setters: string[] = [];
  if (hostProcessSet(podSecurityContext(spec))) setters.push('pod');
  if (badContainers.length) setters.push(containersPhrase(badContainers));
  return setters.length ? forbid('hostProcess', `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`) : ALLOWED;
}

export const HOST_PATH_VOLUMES_ID = 'hostPathVolumes';

export const hostChecks: Check[] = [
  { id: 'hostNamespaces', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: hostNamespaces }] },
  { id: HOST_PATH_VOLUMES_ID, level: 'baseline', versions: [{ minimumVersion: 0, checkPod: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: hostPorts }] },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: windowsHostProcess }] },
];
