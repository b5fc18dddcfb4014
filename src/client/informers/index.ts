export * from './indexer';
export * from './informer';
export * from './lister';
export * from './factory';
