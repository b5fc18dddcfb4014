/**
 * The pod network addresses a runtime's running containers are attached at (shared by the sim and process
 * runtimes): per container, the detach functions of its `podIP:port` attachments on the PodNetwork.
 *
 * Contract: `set(containerId, detachers)` replaces (detaching first) what the container had; `detach(containerId)`
 * undoes it (idempotent); `detachAll()` on dispose. It holds no network itself.
 */
export class NetworkAttachments {
  private readonly attached = new Map<string, (() => void)[]>();

  set(containerId: string, detachers: (() => void)[]): void {
    this.detach(containerId);
    if (detachers.length) this.attached.set(containerId, detachers);
  }

  detach(containerId: string): void {
    const ds = this.attached.get(containerId);
    if (!ds) return;
    this.attached.delete(containerId);
    for (const d of ds) d();
  }

  detachAll(): void {
    for (const id of [...this.attached.keys()]) this.detach(id);
  }

  /** Ids of containers with attachments (tests). */
  containers(): string[] {
    return [...this.attached.keys()];
  }
}
