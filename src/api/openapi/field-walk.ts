/**
 * One walk over an object along its compiled nodes (field-nodes.ts), collecting what upstream's decoders report:
 * - unknown fields, with paths as sigs.k8s.io/json and structural pruning print them (`spec.replicaz`,
 *   `spec.template.spec.containers[0].imagez`, map keys as `.key`), in document order;
 * - in Go mode, type errors worded as Go's encoding/json (`json: cannot unmarshal string into Go struct field
 *   DeploymentSpec.spec.replicas of type int32`), whose Go field path has no indices or map keys;
 * - optionally pruning: unknown keys are deleted from the object as they are found.
 * The walk allocates only when it reports; objects are never serialized.
 */
import { fieldErr, type FieldError } from '../field-errors';
import { isPlainObject } from '../object';
import { embeddedField, type FieldNode } from './field-nodes';
import { goValueError, jsonKind } from './go-decode';

export interface WalkOptions {
  /** Check Go decoding types (built-in kinds). */
  go: boolean;
  /** Delete unknown keys from the walked object. */
  prune: boolean;
}

export class FieldWalk {
  readonly unknownFields: string[] = [];
  readonly errors: FieldError[] = [];
  private readonly path: string[] = [];
  private readonly goFields: string[] = [];
  private goStruct = '';

  constructor(private readonly opts: WalkOptions) {}

  /** `spec`, `[0]`, `image` → `spec[0].image`. */
  pathString(extra?: string): string {
    let s = '';
    for (const seg of this.path) s = !s || seg.charCodeAt(0) === 91 /* [ */ ? s + seg : `${s}.${seg}`;
    if (extra !== undefined) s = s ? `${s}.${extra}` : extra;
    return s;
  }

  walk(n: FieldNode, value: unknown): void {
    if (value === null || value === undefined) return;
    switch (n.kind) {
      case 'any':
        return;
      case 'object':
        return this.object(n, value);
      case 'map':
        return this.map(n, value);
      case 'array':
        return this.array(n, value);
      default:
        if (this.opts.go) this.scalar(n, value);
    }
  }

  private object(n: FieldNode, value: unknown): void {
    if (!isPlainObject(value)) {
      if (this.opts.go) this.typeError(n, value);
      return;
    }
    const fields = n.fields;
    for (const key of Object.keys(value)) {
      const field = fields?.get(key) ?? (n.embedded ? embeddedField(key) : undefined);
      const child = field ?? n.elem;
      if (!child) {
        if (n.preserveUnknown) continue;
        this.unknownFields.push(this.pathString(key));
        if (this.opts.prune) delete value[key];
        continue;
      }
      this.path.push(key);
      if (field && this.opts.go) {
        const struct = this.goStruct;
        this.goStruct = n.goStruct;
        this.goFields.push(key);
        this.walk(child, value[key]);
        this.goFields.pop();
        this.goStruct = struct;
      } else this.walk(child, value[key]);
      this.path.pop();
    }
  }

  private map(n: FieldNode, value: unknown): void {
    if (!isPlainObject(value)) {
      if (this.opts.go) this.typeError(n, value);
      return;
    }
    const elem = n.elem!;
    if (elem.kind === 'any' || (!this.opts.go && elem.kind !== 'object' && elem.kind !== 'map' && elem.kind !== 'array')) return;
    for (const key of Object.keys(value)) {
      this.path.push(key);
      this.walk(elem, value[key]);
      this.path.pop();
    }
  }

  private array(n: FieldNode, value: unknown): void {
    if (!Array.isArray(value)) {
      if (this.opts.go) this.typeError(n, value);
      return;
    }
    const elem = n.elem!;
    if (elem.kind === 'any' || (!this.opts.go && elem.kind !== 'object' && elem.kind !== 'map' && elem.kind !== 'array')) return;
    for (let i = 0; i < value.length; i++) {
      this.path.push(`[${i}]`);
      this.walk(elem, value[i]);
      this.path.pop();
    }
  }

  private scalar(n: FieldNode, value: unknown): void {
    const err = goValueError(n, value);
    if (err) this.report(value, err.custom ? err.custom : this.goMessage(err.desc, err.goType));
  }

  private typeError(n: FieldNode, value: unknown): void {
    this.report(value, this.goMessage(jsonKind(value), n.goType));
  }

  private goMessage(desc: string, goType: string): string {
    return this.goStruct
      ? `json: cannot unmarshal ${desc} into Go struct field ${this.goStruct}.${this.goFields.join('.')} of type ${goType}`
      : `json: cannot unmarshal ${desc} into Go value of type ${goType}`;
  }

  private report(value: unknown, detail: string): void {
    this.errors.push(fieldErr.typeInvalid(this.pathString(), jsonKind(value), detail));
  }
}
