/** The ingress add-on: routing table, controller, its status loop and the manifests it installs. */
export * from './backends';
export * from './constants';
export * from './controller';
export * from './error-pages';
export * from './http-forward';
export * from './manifests';
export * from './routes';
export * from './status';
export * from './upgrade-forward';
