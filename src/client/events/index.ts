/** The event recorder (client-go tools/record): recorder, broadcaster, correlator and their parts. */
export * from './types';
export * from './recorder';
export * from './broadcaster';
export * from './correlator';
export * from './sink';
export * from './reference';
export * from './go-sprintf';
export { makeEvent, metaTime, eventName, NanoStamps } from './make-event';
export { eventKey, spamKey, aggregateKeyByReason, aggregateMessageByReason } from './keys';
