/**
 * Glue between promise-returning handlers and grpc-js: `unary` turns `(request) => Promise<response>` into a
 * grpc-js unary handler whose failures reach the client through toGrpcError; `withUnimplemented` completes a
 * service's implementation so every method it does not implement answers UNIMPLEMENTED with a message naming it.
 */
import type * as grpc from '@grpc/grpc-js';
import { toGrpcError, unimplemented } from './grpc-error';

type Handler = grpc.UntypedHandleCall;

/** A grpc-js unary handler for fn. */
export function unary<Req, Res>(fn: (request: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    let p: Promise<Res>;
    try {
      p = fn(call.request);
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (res) => callback(null, res),
      (e) => callback(toGrpcError(e)),
    );
  };
}

export const unimplementedMessage = (service: string, method: string): string =>
  `kubelab: etcdserverpb.${service}/${method} is not implemented by KubeLab's embedded etcd endpoint`;

function unimplementedHandler(service: string, method: string, def: grpc.MethodDefinition<unknown, unknown>): Handler {
  const err = () => unimplemented(unimplementedMessage(service, method));
  if (!def.responseStream) {
    return ((_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(err())) as Handler;
  }
  return ((call: grpc.ServerWritableStream<unknown, unknown>) => call.emit('error', err())) as Handler;
}

/** `implemented` plus an UNIMPLEMENTED handler for every other method of the service. */
export function withUnimplemented(
  serviceName: string,
  definition: grpc.ServiceDefinition,
  implemented: Record<string, Handler>,
): grpc.UntypedServiceImplementation {
  const out: grpc.UntypedServiceImplementation = {};
  for (const [method, def] of Object.entries(definition)) {
    out[method] = implemented[method] ?? unimplementedHandler(serviceName, method, def as grpc.MethodDefinition<unknown, unknown>);
  }
  for (const method of Object.keys(implemented)) {
    if (!(method in definition)) throw new Error(`etcdserverpb.${serviceName} has no method ${method}`);
  }
  return out;
}
