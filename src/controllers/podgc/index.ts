/** The pod garbage collector (upstream pkg/controller/podgc). */
export * from './pod-gc-controller';
export * from './gc-rules';
