/**
 * Scenario 4: the event panel's Events table shows `Scheduled` and `Started` events for web's pods (after scenario 2).
 */
import { eventPanel, panelRowsAll, poll, runCommand } from '../harness/workbench';
import type { Scenario } from './scenario';

export const eventsPanel: Scenario = {
  name: '4-events-panel',
  title: 'the event panel shows Scheduled and Started events for the new pods',
  timeoutMs: 90_000,
  async run({ page, log }) {
    await runCommand(page, 'KubeLab: Open Event Panel');
    const frame = eventPanel(page);
    await frame.locator('#tab-events').click({ timeout: 30_000 });
    const seen = await poll(
      async () => {
        const rows = (await panelRowsAll(frame, 'events')).filter((r) => /web-/.test(r.object ?? ''));
        const reasons = new Set(rows.map((r) => r.reason));
        return reasons.has('Scheduled') && reasons.has('Started') ? [...reasons] : undefined;
      },
      'Scheduled and Started events of web-… pods in the Events table',
      60_000,
      1000,
    );
    log(`reasons for web pods: ${seen.join(', ')}`);
  },
};
