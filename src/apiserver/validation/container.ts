/**
 * Containers (validateContainers / validateInitContainers / validateContainerCommon): names, image, termination
 * message policy, ports, env, volume mounts and devices, pull policy, resources, security context, probes and
 * lifecycle, and host-port conflicts.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { bool, child, index, objs, optNum, optObj, str, strs, type Obj } from './access';
import { validateEnv, validateEnvFrom } from './env';
import { each, isDNS1123Label, isValidPortName, isValidPortNum, isValidUserOrGroupID } from './formats';
import { validateLifecycle, validateProbeOf, type ProbeKind } from './probes';
import { validateResourceRequirements } from './resources';
import { validateLocalDescendingPath, validatePathNoBacksteps } from './volumes';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROBES: ProbeKind[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];

export interface ContainerContext {
  /** Valid pod volumes by name. */
  volumes: Map<string, Obj>;
  claimNames: Set<string>;
  gracePeriod: number | undefined;
  /** spec.securityContext.hostUsers (true unless set to false). */
  hostUsers: boolean;
}

export function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(ports).forEach((port, i) => {
    const p = index(path, i);
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...each(child(p, 'name'), name, msgs));
      else if (names.has(name)) errs.push(fieldErr.duplicate(child(p, 'name'), name));
      else names.add(name);
    }
    const cp = optNum(port.containerPort) ?? 0;
    if (cp === 0) errs.push(fieldErr.required(child(p, 'containerPort')));
    else errs.push(...each(child(p, 'containerPort'), cp, isValidPortNum(cp)));
    const hp = optNum(port.hostPort) ?? 0;
    if (hp !== 0) errs.push(...each(child(p, 'hostPort'), hp, isValidPortNum(hp)));
    const proto = str(port.protocol);
    if (!proto) errs.push(fieldErr.required(child(p, 'protocol')));
    else if (!PROTOCOLS.includes(proto)) errs.push(fieldErr.notSupported(child(p, 'protocol'), proto, PROTOCOLS));
  });
  return errs;
}

function validateVolumeMounts(ctr: Obj, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const devicePaths = new Map(objs(ctr.volumeDevices).map((d) => [str(d.name), str(d.devicePath)]));
  const mountPoints = new Set<string>();
  const privileged = bool(optObj(ctr.securityContext)?.privileged);
  objs(ctr.volumeMounts).forEach((m, i) => {
    const p = index(path, i);
    const name = str(m.name);
    const mountPath = str(m.mountPath);
    if (!name) errs.push(fieldErr.required(child(p, 'name')));
    if (!ctx.volumes.has(name)) errs.push(fieldErr.notFound(child(p, 'name'), name));
    if (!mountPath) errs.push(fieldErr.required(child(p, 'mountPath')));
    if (mountPoints.has(mountPath)) errs.push(fieldErr.invalid(child(p, 'mountPath'), mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    if (devicePaths.has(name)) errs.push(fieldErr.invalid(child(p, 'name'), name, 'must not already exist in volumeDevices'));
    if ([...devicePaths.values()].includes(mountPath)) errs.push(fieldErr.invalid(child(p, 'mountPath'), mountPath, 'must not already exist as a path in volumeDevices'));
    const subPath = str(m.subPath);
    const subPathExpr = str(m.subPathExpr);
    if (subPath) errs.push(...validateLocalDescendingPath(subPath, child(path, 'subPath')));
    if (subPathExpr) {
      if (subPath) errs.push(fieldErr.invalid(child(p, 'subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(subPathExpr, child(path, 'subPathExpr')));
    }
    const prop = m.mountPropagation;
    if (typeof prop === 'string') {
      const supported = ['Bidirectional', 'HostToContainer', 'None'];
      if (!supported.includes(prop)) errs.push(fieldErr.notSupported(child(path, 'mountPropagation'), prop, supported));
      if (prop === 'Bidirectional' && !privileged) errs.push(fieldErr.forbidden(child(path, 'mountPropagation'), 'Bidirectional mount propagation is available only to privileged containers'));
    }
    const rro = m.recursiveReadOnly;
    if (typeof rro === 'string' && rro !== 'Disabled') {
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (!bool(m.readOnly)) errs.push(fieldErr.forbidden(child(path, 'recursiveReadOnly'), 'may only be specified when readOnly is true'));
        if (typeof prop === 'string' && prop !== 'None')
          errs.push(fieldErr.forbidden(child(path, 'recursiveReadOnly'), 'may only be specified when mountPropagation is None or not specified'));
      } else errs.push(fieldErr.notSupported(child(path, 'recursiveReadOnly'), rro, ['Disabled', 'Enabled', 'IfPossible']));
    }
  });
  return errs;
}

function validateVolumeDevices(ctr: Obj, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mounts = new Map(objs(ctr.volumeMounts).map((m) => [str(m.name), str(m.mountPath)]));
  const names = new Set<string>();
  const paths = new Set<string>();
  objs(ctr.volumeDevices).forEach((d, i) => {
    const p = index(path, i);
    const name = str(d.name);
    const devPath = str(d.devicePath);
    const vol = ctx.volumes.get(name);
    if (!name) errs.push(fieldErr.required(child(p, 'name')));
    if (names.has(name)) errs.push(fieldErr.invalid(child(p, 'name'), name, 'must be unique'));
    if (vol && !vol.persistentVolumeClaim && !vol.ephemeral)
      errs.push(fieldErr.invalid(child(p, 'name'), name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    if (!vol) errs.push(fieldErr.notFound(child(p, 'name'), name));
    if (!devPath) errs.push(fieldErr.required(child(p, 'devicePath')));
    if (paths.has(devPath)) errs.push(fieldErr.invalid(child(p, 'devicePath'), devPath, 'must be unique'));
    if (devPath && validatePathNoBacksteps(devPath, p).length) errs.push(fieldErr.invalid(child(p, 'devicePath'), devPath, "can not contain backsteps ('..')"));
    else paths.add(devPath);
    if (mounts.has(name)) errs.push(fieldErr.invalid(child(p, 'name'), name, 'must not already exist in volumeMounts'));
    if ([...mounts.values()].includes(devPath)) errs.push(fieldErr.invalid(child(p, 'devicePath'), devPath, 'must not already exist as a path in volumeMounts'));
    if (name) names.add(name);
  });
  return errs;
}

export function validateSeccompProfile(spIn: unknown, path: string): FieldError[] {
  const sp = optObj(spIn);
  if (!sp) return [];
  const errs: FieldError[] = [];
  const type = str(sp.type);
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  if (!type) errs.push(fieldErr.required(child(path, 'type'), 'type is required when seccompProfile is set'));
  else if (!types.includes(type)) errs.push(fieldErr.notSupported(child(path, 'type'), type, types));
  if (type === 'Localhost') {
    if (typeof sp.localhostProfile !== 'string') errs.push(fieldErr.required(child(path, 'localhostProfile'), 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(sp.localhostProfile, child(path, 'localhostProfile')));
  } else if (sp.localhostProfile !== undefined && sp.localhostProfile !== null) {
    errs.push(fieldErr.invalid(child(path, 'localhostProfile'), sp, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

function validateSecurityContext(scIn: unknown, path: string, hostUsers: boolean): FieldError[] {
  const sc = optObj(scIn);
  if (!sc) return [];
  const errs: FieldError[] = [];
  for (const f of ['runAsUser', 'runAsGroup']) {
    const v = optNum(sc[f]);
    if (v !== undefined) errs.push(...each(child(path, f), v, isValidUserOrGroupID(v)));
  }
  if (typeof sc.procMount === 'string') {
    if (sc.procMount !== 'Default' && sc.procMount !== 'Unmasked') errs.push(fieldErr.notSupported(child(path, 'procMount'), sc.procMount, ['Default', 'Unmasked']));
    if (sc.procMount === 'Unmasked' && hostUsers) errs.push(fieldErr.invalid(child(path, 'procMount'), sc.procMount, '`hostUsers` must be false to use `Unmasked`'));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(fieldErr.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if (strs(optObj(sc.capabilities)?.add).includes('CAP_SYS_ADMIN'))
      errs.push(fieldErr.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
  }
  return errs;
}

export function validateContainerCommon(ctr: Obj, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(ctr.name);
  if (!name) errs.push(fieldErr.required(child(path, 'name')));
  else errs.push(...each(child(path, 'name'), name, isDNS1123Label(name)));
  if (!str(ctr.image)) errs.push(fieldErr.required(child(path, 'image')));
  const tmp = str(ctr.terminationMessagePolicy);
  if (!tmp) errs.push(fieldErr.required(child(path, 'terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(fieldErr.notSupported(child(path, 'terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(
    ...validateContainerPorts(ctr.ports, child(path, 'ports')),
    ...validateEnv(ctr.env, child(path, 'env')),
    ...validateEnvFrom(ctr.envFrom, child(path, 'envFrom')),
    ...validateVolumeMounts(ctr, ctx, child(path, 'volumeMounts')),
    ...validateVolumeDevices(ctr, ctx, child(path, 'volumeDevices')),
  );
  const pull = str(ctr.imagePullPolicy);
  if (!pull) errs.push(fieldErr.required(child(path, 'imagePullPolicy')));
  else if (!PULL_POLICIES.includes(pull)) errs.push(fieldErr.notSupported(child(path, 'imagePullPolicy'), pull, PULL_POLICIES));
  errs.push(...validateResourceRequirements(ctr.resources, child(path, 'resources'), ctx.claimNames));
  errs.push(...validateSecurityContext(ctr.securityContext, child(path, 'securityContext'), ctx.hostUsers));
  return errs;
}

/** Host-port clashes; init containers are checked one at a time, so their paths always say [0] (as upstream). */
function hostPortConflicts(containers: Obj[], path: string): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    objs(c.ports).forEach((port, pi) => {
      const hp = optNum(port.hostPort) ?? 0;
      if (!hp) return;
      const k = `${str(port.protocol)}/${str(port.hostIP)}/${hp}`;
      const p = child(index(child(index(path, ci), 'ports'), pi), 'hostPort');
      if (seen.has(k)) errs.push(fieldErr.duplicate(p, k));
      else seen.add(k);
    });
  });
  return errs;
}

function probesAndLifecycle(ctr: Obj, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const lifecycle = optObj(ctr.lifecycle);
  if (lifecycle) errs.push(...validateLifecycle(lifecycle, child(path, 'lifecycle'), ctx.gracePeriod));
  for (const k of PROBES) errs.push(...validateProbeOf(k, ctr[k], child(path, k), ctx.gracePeriod));
  return errs;
}

export function validateContainers(list: unknown, ctx: ContainerContext, path: string): FieldError[] {
  const containers = objs(list);
  if (!containers.length) return [fieldErr.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, ctx, p));
    if (names.has(str(c.name))) errs.push(fieldErr.duplicate(child(p, 'name'), str(c.name)));
    else names.add(str(c.name));
    errs.push(...probesAndLifecycle(c, ctx, p));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) errs.push(fieldErr.forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  return [...errs, ...hostPortConflicts(containers, path)];
}

export function validateInitContainers(list: unknown, regular: unknown, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(objs(regular).map((c) => str(c.name)));
  objs(list).forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, ctx, p));
    let always = false;
    if (typeof c.restartPolicy === 'string') {
      if (c.restartPolicy !== 'Always') errs.push(fieldErr.notSupported(child(p, 'restartPolicy'), c.restartPolicy, ['Always']));
      always = c.restartPolicy === 'Always';
    }
    if (names.has(str(c.name))) errs.push(fieldErr.duplicate(child(p, 'name'), str(c.name)));
    else if (str(c.name)) names.add(str(c.name));
    errs.push(...hostPortConflicts([c], path));
    if (always) errs.push(...probesAndLifecycle(c, ctx, p));
    else
      for (const k of ['lifecycle', ...PROBES])
        if (c[k] !== undefined && c[k] !== null) errs.push(fieldErr.forbidden(child(p, k), 'may not be set for init containers without restartPolicy=Always'));
  });
  return errs;
}
