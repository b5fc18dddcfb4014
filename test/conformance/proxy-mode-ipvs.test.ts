/** The ProxyMode conformance suite for the ipvs mode (default scheduler, rr). */
import { IpvsMode } from '../../src/proxy/ipvs';
import { proxyModeConformance } from './proxy-mode.conformance';

proxyModeConformance('ipvs', async (node) => new IpvsMode(node));
