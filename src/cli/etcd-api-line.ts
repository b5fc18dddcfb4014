/**
 * The line the headless command prints at start when --etcd-grpc-port serves the embedded store's etcd API: where it
 * is, whether /registry/ is writable, and the etcdctl command that lists the keys (the article's listing), e.g.
 * `etcd API: http://127.0.0.1:2379 (read-only for /registry/; etcdctl --endpoints=http://127.0.0.1:2379 get /registry --prefix --keys-only)`.
 */
export function etcdApiLine(api: { url: string; allowRegistryWrites: boolean }): string {
  const access = api.allowRegistryWrites ? 'writable for /registry/ (--etcd-allow-registry-writes)' : 'read-only for /registry/';
  return `etcd API: ${api.url} (${access}; etcdctl --endpoints=${api.url} get /registry --prefix --keys-only)`;
}
