/**
 * The ProxyMode conformance suite for the userspace mode: each mode gets its own pod network and loopback port
 * table, so the nodePorts it binds on 127.0.0.1 are released when it is disposed.
 */
import { PodNetwork } from '../../src/addons/cni/pod-network';
import { HostPorts, UserspaceMode } from '../../src/proxy/userspace';
import { proxyModeConformance } from './proxy-mode.conformance';

proxyModeConformance('userspace', async (node) => new UserspaceMode(node, { network: new PodNetwork(), ports: new HostPorts() }));
