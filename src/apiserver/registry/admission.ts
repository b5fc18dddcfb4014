/**
 * How the generic registry runs admission: mutating plugins right after defaulting, then the registry's schema and
 * semantic validation, then validating plugins, all inside the write's retry loop (as upstream's GuaranteedUpdate
 * calls admission per attempt). Writes the API server makes for itself (bootstrap, controllers built in) carry the
 * `system:apiserver` identity, as upstream's loopback client does; they are admitted like any other.
 */
import type { StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin, Operation, ValidatingPlugin } from '../admission/types';
import type { UserInfo } from '../request';

export const APISERVER_USER: UserInfo = { name: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] };

export interface AdmissionPlugins {
  mutating: readonly MutatingPlugin[];
  validating: readonly ValidatingPlugin[];
}

export interface RegistryAdmission {
  /** Runs every mutating plugin that handles the request, in order. */
  mutate(a: AdmissionAttributes): Promise<void>;
  /** Runs every validating plugin that handles the request, in order (they must not mutate). */
  validate(a: AdmissionAttributes): Promise<void>;
}

export const noAdmission: RegistryAdmission = { mutate: async () => undefined, validate: async () => undefined };

export function registryAdmission(plugins: () => AdmissionPlugins, ctx: AdmissionContext): RegistryAdmission {
  return {
    async mutate(a) {
      for (const p of plugins().mutating) if (p.handles(a)) await p.admit(a, ctx);
    },
    async validate(a) {
      for (const p of plugins().validating) if (p.handles(a)) await p.validate(a, ctx);
    },
  };
}

export interface AttributeSource {
  user?: UserInfo;
  dryRun: boolean;
  warnings: string[];
}

export function attributes(
  operation: Operation,
  r: ResourceInfo,
  subresource: string,
  namespace: string,
  name: string,
  object: StoredObject | undefined,
  oldObject: Readonly<StoredObject> | undefined,
  src: AttributeSource,
): AdmissionAttributes {
  return {
    operation,
    resource: r,
    subresource,
    namespace: r.namespaced ? namespace : '',
    name,
    object,
    oldObject,
    user: src.user ?? APISERVER_USER,
    dryRun: src.dryRun,
    warnings: src.warnings,
    auditAnnotations: {},
  };
}
