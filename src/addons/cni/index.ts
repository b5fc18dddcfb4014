/** The CNI part of the add-ons: IPv4 CIDR arithmetic and the host-local pod address allocator. */
export * from './cidr';
export * from './host-local';
export * from './pod-network';
export * from './plugin';
