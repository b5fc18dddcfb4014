/** The cluster DNS add-on: the record model, the DNS server, the ClusterDns component and kubeadm's CoreDNS objects. */
export * from './answers';
export * from './cluster-dns';
export * from './manifests';
export * from './message';
export * from './model';
export * from './names';
export * from './records';
export * from './server';
