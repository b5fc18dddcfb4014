/**
 * The extension host's informers on the running cluster (admin identity over the worker's message-port transport):
 * one SharedInformerFactory per cluster run, shared by the Cluster tree and the event panel. Views subscribe with
 * `watch(resource, handlers)`; their handlers are re-attached to fresh informers whenever the cluster (re)starts, and
 * `onDidReset` tells them to forget what they showed when it stops.
 */
import * as vscode from 'vscode';
import { createLogger, type LogRecord } from '../base/logger';
import type { EventHandlers, ResourceRef, SharedInformerFactory as Factory } from '../client/informers';
import { SharedInformerFactory } from '../client/informers';
import type { ClusterHost } from './cluster-host';

interface Subscription {
  resource: ResourceRef;
  handlers: EventHandlers;
}

export class ClusterFeed implements vscode.Disposable {
  private factory: Factory | undefined;
  private readonly subs: Subscription[] = [];
  private readonly reset = new vscode.EventEmitter<void>();
  /** Fired when the cluster stopped (or restarted): views drop everything they show. */
  readonly onDidReset = this.reset.event;
  private readonly listener: vscode.Disposable;

  constructor(private readonly host: ClusterHost) {
    this.listener = host.onDidChangeState((s) => this.follow(s === 'running'));
    this.follow(host.current === 'running');
  }

  /** Adds handlers for one resource (cluster-wide); they see the current objects now and every change later. */
  watch(resource: ResourceRef, handlers: EventHandlers): void {
    const sub = { resource, handlers };
    this.subs.push(sub);
    this.factory?.informerFor(resource).addEventHandler(handlers);
  }

  /** The current objects of a resource this feed watches (empty when not running). */
  list(resource: ResourceRef): readonly Record<string, unknown>[] {
    return this.factory ? (this.factory.informerFor(resource).indexer.list() as Record<string, unknown>[]) : [];
  }

  private follow(running: boolean): void {
    if (this.factory) {
      this.factory.stop();
      this.factory = undefined;
      this.reset.fire();
    }
    const transport = running ? this.host.transport : undefined;
    if (!transport) return;
    const sink = (r: LogRecord) => {
      if (r.level === 'warn' || r.level === 'error') this.host.output[r.level](`[${r.component}] ${r.message}`);
    };
    // The extension host's event loop must stay free: informers hand it back every few milliseconds of work.
    const factory = new SharedInformerFactory({ transport, logger: createLogger(sink, 'warn', 'kubelab/vscode'), yieldAfterMs: 5 });
    for (const s of this.subs) factory.informerFor(s.resource).addEventHandler(s.handlers);
    factory.start();
    this.factory = factory;
  }

  dispose(): void {
    this.factory?.stop();
    this.factory = undefined;
    this.listener.dispose();
    this.reset.dispose();
  }
}
