/**
 * Bookkeeping of the kubelet outages a scenario injects. NodeOutages records when
 * each node's kubelet was stopped (`stopped(node, atMs)`, after the CLI answered) and started again (`started`,
 * before the command is typed) and answers `down(node, atMs)`: stopped at that moment, with the first `slackMs` after
 * a stop not counted (watch events of what the kubelet did just before it stopped can arrive a little later).
 */
export class NodeOutages {
  private readonly spans = new Map<string, { from: number; to?: number }[]>();

  constructor(private readonly slackMs = 2000) {}

  stopped(node: string, atMs: number): void {
    const list = this.spans.get(node) ?? [];
    list.push({ from: atMs });
    this.spans.set(node, list);
  }

  started(node: string, atMs: number): void {
    const open = (this.spans.get(node) ?? []).find((s) => s.to === undefined);
    if (open) open.to = atMs;
  }

  down(node: string, atMs: number): boolean {
    return (this.spans.get(node) ?? []).some((s) => atMs >= s.from + this.slackMs && (s.to === undefined || atMs < s.to));
  }
}
