/** The node IPAM controller (upstream pkg/controller/nodeipam, range allocator). */
export * from './node-ipam-controller';
export * from './cidr-set';
