/** The controller framework: queue-driven controllers, API client, expectations, controller refs, pod control. */
export * from './api-client';
export * from './context';
export * from './controller';
export * from './controller-ref';
export * from './expectations';
export * from './pod-control';
export * from './pod-util';
export * from './resources';
export * from './slow-start';
