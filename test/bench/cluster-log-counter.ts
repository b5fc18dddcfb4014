/**
 * The cluster benchmark's logger: nothing is printed, but warnings and errors are counted by component (node names
 * folded: `kubelet kubelab-worker17` → `kubelet ·`) and message shape (quoted text and numbers folded), so a run can
 * say e.g. how many events the recorders dropped. `report(label)` prints the counts since the last report.
 */
import { createLogger, type LogRecord, type Logger } from '../../src/base/logger';
import { progress } from './util';

/** A message's shape: quoted parts, numbers and worker names folded, at most 110 characters. */
export function messageShape(message: string): string {
  return message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/kubelab-worker\d*/g, '·')
    .replace(/\d+/g, 'N')
    .slice(0, 110);
}

export class LogCounter {
  readonly logger: Logger;
  private counts = new Map<string, number>();

  constructor() {
    this.logger = createLogger((r: LogRecord) => {
      const k = `${r.level} [${r.component.replace(/kubelab-worker\d*/g, '·')}] ${messageShape(r.message)}`;
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    }, 'warn');
  }

  /** Prints and clears the counts gathered since the last report. */
  report(label: string, top = 12): void {
    const all = [...this.counts].sort((a, b) => b[1] - a[1]);
    this.counts = new Map();
    const total = all.reduce((s, [, v]) => s + v, 0);
    if (!total) {
      progress(`log warnings/errors during ${label}: none`);
      return;
    }
    progress(`log warnings/errors during ${label}: ${total}; most frequent:`);
    for (const [k, v] of all.slice(0, top)) progress(`  ${String(v).padStart(8)}  ${k}`);
  }
}
