/** The ProxyMode conformance suite for the iptables mode. */
import { IptablesMode } from '../../src/proxy/iptables';
import { proxyModeConformance } from './proxy-mode.conformance';

proxyModeConformance('iptables', async (node) => new IptablesMode(node));
