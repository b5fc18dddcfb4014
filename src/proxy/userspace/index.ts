/** kube-proxy's userspace mode: the mode, the shared loopback port table, and the load balancer (reused by ingress). */
export * from './host-ports';
export * from './load-balancer';
export * from './userspace-mode';
