/**
 * `schemaResolver`: finds the schema of a kind by its `x-kubernetes-group-version-kind` and follows
 * `#/components/schemas/<name>` references (also when wrapped in a single-element `allOf`). `extra` schemas (custom
 * resources, keyed by any unique definition name) take precedence over built-ins for the same group/version/kind.
 * Without `extra` the resolver is one shared instance over the built-in definitions.
 */
import type { GroupVersionKind } from '../object';
import { definitions, refName } from './definitions';
import type { Schema, SchemaResolver } from './schema-types';

export interface NamedSchemaResolver extends SchemaResolver {
  /** The definition a `$ref` names, or undefined. */
  byName(name: string): Schema | undefined;
  /** The definition name behind a schema (its own `$ref` / single `allOf` ref), if any. */
  nameOf(schema: Schema): string | undefined;
}

const gvkKey = (g: GroupVersionKind): string => `${g.group}/${g.version}/${g.kind}`;

class Resolver implements NamedSchemaResolver {
  private index: Map<string, Schema> | undefined;

  constructor(private readonly extra: Record<string, Schema> | undefined) {}

  byName(name: string): Schema | undefined {
    return this.extra?.[name] ?? definitions()[name];
  }

  forKind(gvk: GroupVersionKind): Schema | undefined {
    if (!this.index) {
      const index = new Map<string, Schema>();
      const add = (defs: Record<string, Schema>): void => {
        for (const schema of Object.values(defs)) {
          for (const g of schema['x-kubernetes-group-version-kind'] ?? []) if (!index.has(gvkKey(g))) index.set(gvkKey(g), schema);
        }
      };
      if (this.extra) add(this.extra);
      add(definitions());
      this.index = index;
    }
    return this.index.get(gvkKey(gvk));
  }

  nameOf(schema: Schema): string | undefined {
    let s: Schema | undefined = schema;
    for (let i = 0; s && i < 32; i++) {
      const name = refName(s.$ref);
      if (name) return name;
      s = s.allOf?.length === 1 && !s.properties && !s.type ? s.allOf[0] : undefined;
    }
    return undefined;
  }

  resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; i < 32; i++) {
      const name = refName(s.$ref);
      if (name) {
        const target = this.byName(name);
        if (!target) return s;
        s = target;
      } else if (s.allOf?.length === 1 && !s.properties && !s.type) s = s.allOf[0];
      else return s;
    }
    return s;
  }
}

let shared: Resolver | undefined;

export function schemaResolver(extra?: Record<string, Schema>): NamedSchemaResolver {
  if (extra && Object.keys(extra).length) return new Resolver(extra);
  return (shared ??= new Resolver(undefined));
}
