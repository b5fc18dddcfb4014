/**
 * Loads etcd's v3 API definitions (rpc.proto, kv.proto, auth.proto as shipped in the etcd3 package) for the gRPC
 * server. The .proto files are found at runtime, in this order: the directory given, `etcd-proto/` beside this
 * module (where a bundle must copy them), then the etcd3 package's `proto/` folder. A missing file fails with an
 * error naming every place looked at. Loaded once per process.
 *
 * Decoding conventions (the handlers rely on them): field names as in the .proto (keepCase), int64 as decimal
 * strings, enums as their names, bytes as Buffer, default values filled in, oneofs named by a virtual field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const PROTO_FILES = ['rpc.proto', 'kv.proto', 'auth.proto'] as const;

/** The etcd services, as grpc-js service definitions. */
export interface EtcdServices {
  KV: grpc.ServiceDefinition;
  Watch: grpc.ServiceDefinition;
  Lease: grpc.ServiceDefinition;
  Cluster: grpc.ServiceDefinition;
  Maintenance: grpc.ServiceDefinition;
  Auth: grpc.ServiceDefinition;
}

export const SERVICE_NAMES = ['KV', 'Watch', 'Lease', 'Cluster', 'Maintenance', 'Auth'] as const;

const cache = new Map<string, EtcdServices>();

function etcd3ProtoDir(): string | undefined {
  try {
    return path.join(path.dirname(require.resolve('etcd3/package.json')), 'proto');
  } catch {
    return undefined;
  }
}

/** The first directory that holds all of etcd's .proto files; throws, listing the candidates, when none does. */
export function findProtoDir(dir?: string): string {
  const candidates = [dir, path.join(__dirname, 'etcd-proto'), etcd3ProtoDir()].filter((c): c is string => !!c);
  const found = candidates.find((c) => PROTO_FILES.every((f) => fs.existsSync(path.join(c, f))));
  if (!found) {
    throw new Error(
      `etcd's .proto files (${PROTO_FILES.join(', ')}) were not found; looked in: ${candidates.join(', ')}. ` +
        'Install the etcd3 package or copy node_modules/etcd3/proto/*.proto to an etcd-proto/ folder beside the bundle.',
    );
  }
  return found;
}

/** Load (once) the etcdserverpb services from the .proto files in `dir` (or the default places). */
export function loadEtcdServices(dir?: string): EtcdServices {
  const protoDir = findProtoDir(dir);
  const cached = cache.get(protoDir);
  if (cached) return cached;
  const definition = protoLoader.loadSync(path.join(protoDir, 'rpc.proto'), {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [protoDir],
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    etcdserverpb?: Record<string, { service?: grpc.ServiceDefinition }>;
  };
  const services = {} as EtcdServices;
  for (const name of SERVICE_NAMES) {
    const service = pkg.etcdserverpb?.[name]?.service;
    if (!service) throw new Error(`${path.join(protoDir, 'rpc.proto')} does not define the service etcdserverpb.${name}`);
    services[name] = service;
  }
  cache.set(protoDir, services);
  return services;
}
