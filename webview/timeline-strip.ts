/**
 * The timeline strip above the tables: the latest Deployment's chain Deployment → ReplicaSet → Pod → Scheduled →
 * Pulled → Started, each step with its offset from the Deployment's creation; steps not reached yet are dimmed.
 * Clicking a step that names an object reveals it.
 */
import type { ObjectRef, TimelineView } from '../src/ui/events/protocol';

export class TimelineStrip {
  readonly element: HTMLDivElement;

  constructor(private readonly onReveal: (ref: ObjectRef) => void) {
    this.element = document.createElement('div');
    this.element.className = 'timeline';
    this.element.setAttribute('aria-label', 'Latest Deployment timeline');
    this.element.hidden = true;
  }

  render(timeline: TimelineView | undefined): void {
    const el = this.element;
    el.hidden = timeline === undefined;
    if (!timeline) {
      el.replaceChildren();
      return;
    }
    const title = document.createElement('span');
    title.className = 'title';
    const d = timeline.deployment;
    title.textContent = `Latest Deployment ${d.namespace}/${d.name}:`;
    const parts: HTMLElement[] = [title];
    timeline.steps.forEach((s, i) => {
      if (i > 0) {
        const arrow = document.createElement('span');
        arrow.className = 'arrow';
        arrow.textContent = '→';
        parts.push(arrow);
      }
      const step = document.createElement('span');
      const ref = s.ref;
      step.className = `step${s.done ? ' done' : ''}${ref ? ' link' : ''}`;
      step.textContent = s.step;
      step.title = s.done ? `${s.reason}: ${s.detail}` : `${s.step}: not yet`;
      if (s.at) {
        const at = document.createElement('span');
        at.className = 'at';
        at.textContent = s.at;
        step.appendChild(at);
      }
      if (ref) step.addEventListener('click', () => this.onReveal(ref));
      parts.push(step);
    });
    el.replaceChildren(...parts);
  }
}
