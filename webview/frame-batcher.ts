/**
 * Coalesces DOM work: however many messages arrive, `flush` runs once per animation frame, and at the latest
 * `maxDelayMs` (100 ms) after the first request (animation frames are throttled in hidden or background views).
 */
export class FrameBatcher {
  private scheduled = false;

  constructor(
    private readonly flush: () => void,
    private readonly maxDelayMs = 100,
  ) {}

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      this.scheduled = false;
      this.flush();
    };
    requestAnimationFrame(run);
    setTimeout(run, this.maxDelayMs);
  }
}
