/**
 * Scenario 3: applying invalid.yaml (Deployment broken, `replicas: -1` on line 12) is refused by the API server with 422
 * (`spec.replicas: Invalid value: -1: must be greater than or equal to 0`), and KubeLab turns the cause into a
 * diagnostic (source KubeLab) on that line: the Problems panel lists it at line 12.
 */
import { poll, problems, runCommand } from '../harness/workbench';
import type { Scenario } from './scenario';

const LINE = 12;

export const invalidManifest: Scenario = {
  name: '3-invalid-manifest',
  title: 'a 422 from Apply becomes a diagnostic on the field line (Problems panel)',
  timeoutMs: 90_000,
  async run({ page, log }) {
    await runCommand(page, 'Go to File...');
    const input = page.locator('.quick-input-widget input');
    await input.fill('invalid.yaml');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'invalid.yaml' }).first().click();
    await page.locator('.editor-instance .monaco-editor').first().waitFor();
    await page.locator('.tab.active').filter({ hasText: 'invalid.yaml' }).waitFor({ timeout: 15_000 });
    await runCommand(page, 'KubeLab: Apply Manifest');
    const row = await poll(
      async () => (await problems(page)).find((r) => /replicas/.test(r) && /KubeLab/.test(r)),
      'a KubeLab problem about spec.replicas',
      45_000,
      1500,
    );
    log(`problem: ${row}`);
    const line = /(?:Ln|line)\s*(\d+)/i.exec(row);
    if (!line || Number(line[1]) !== LINE) throw new Error(`the diagnostic is not on line ${LINE}: ${row}`);
    if (!/greater than or equal to 0/.test(row)) throw new Error(`the diagnostic does not carry the API server's message: ${row}`);
    // The editor paints its decorations on its own schedule, possibly after the Problems panel lists the marker.
    await page
      .locator('.editor-instance .squiggly-error')
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => {
        throw new Error('no error squiggle in the editor');
      });
  },
};
