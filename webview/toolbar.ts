/**
 * The filter bar, built from webview-ui-toolkit components: namespace and kind dropdowns, a text filter, the
 * Warnings-only checkbox, the Pause/Resume button and a status line. It shows the settings it is given and reports
 * the user's changes through `onChange` (text input is debounced). Kind and Warnings-only concern events only and
 * are hidden on the Pods tab.
 */
import type { Button, Checkbox, Dropdown, TextField } from '@vscode/webview-ui-toolkit';
import type { FilterOptions, PanelSettings, PanelStatus } from '../src/ui/events/protocol';

const ALL = '';
const TEXT_DEBOUNCE_MS = 150;

function option(value: string, label: string, selected: boolean): HTMLElement {
  const o = document.createElement('vscode-option');
  o.setAttribute('value', value);
  if (selected) o.setAttribute('selected', '');
  o.textContent = label;
  return o;
}

export class Toolbar {
  readonly element: HTMLDivElement;
  private readonly namespace = document.createElement('vscode-dropdown') as Dropdown;
  private readonly kind = document.createElement('vscode-dropdown') as Dropdown;
  private readonly text = document.createElement('vscode-text-field') as TextField;
  private readonly warnings = document.createElement('vscode-checkbox') as Checkbox;
  private readonly pause = document.createElement('vscode-button') as Button;
  private readonly status = document.createElement('span');
  private settings: PanelSettings;
  private optionKeys = { namespaces: '\0', kinds: '\0' };
  private options: FilterOptions = { namespaces: [], kinds: [] };
  private textTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    initial: PanelSettings,
    private readonly onChange: (settings: PanelSettings) => void,
  ) {
    this.settings = initial;
    const el = (this.element = document.createElement('div'));
    el.className = 'toolbar';
    this.namespace.setAttribute('aria-label', 'Namespace');
    this.kind.setAttribute('aria-label', 'Kind of the involved object');
    this.text.setAttribute('placeholder', 'Filter text');
    this.text.setAttribute('aria-label', 'Filter text');
    this.warnings.textContent = 'Warnings only';
    this.pause.setAttribute('appearance', 'secondary');
    this.status.className = 'status';
    this.status.setAttribute('aria-live', 'polite');
    el.append(this.namespace, this.kind, this.text, this.warnings, this.pause, this.status);

    this.namespace.addEventListener('change', () => this.update({ namespace: this.namespace.value }));
    this.kind.addEventListener('change', () => this.update({ kind: this.kind.value }));
    this.warnings.addEventListener('change', () => this.update({ warningsOnly: this.warnings.checked }));
    this.text.addEventListener('input', () => {
      clearTimeout(this.textTimer);
      this.textTimer = setTimeout(() => this.update({ text: this.text.value }), TEXT_DEBOUNCE_MS);
    });
    this.pause.addEventListener('click', () => this.emit({ ...this.settings, paused: !this.settings.paused }));
    this.show(initial);
  }

  /** Shows settings that came from the host (or were restored). */
  show(settings: PanelSettings): void {
    this.settings = settings;
    const f = settings.filters;
    if (this.text.value !== f.text && document.activeElement !== this.text) this.text.value = f.text;
    this.warnings.checked = f.warningsOnly;
    this.pause.textContent = settings.paused ? 'Resume' : 'Pause';
    this.pause.title = settings.paused ? 'Show the updates received while paused' : 'Stop updating the tables';
    const eventsTab = settings.tab === 'events';
    this.kind.hidden = !eventsTab;
    this.warnings.hidden = !eventsTab;
    this.setOptions(this.options, true);
  }

  setOptions(options: FilterOptions, force = false): void {
    this.options = options;
    const f = this.settings.filters;
    this.fill(this.namespace, 'namespaces', 'All namespaces', options.namespaces, f.namespace, force);
    this.fill(this.kind, 'kinds', 'All kinds', options.kinds, f.kind, force);
  }

  setStatus(status: PanelStatus): void {
    const n = (x: number) => x.toLocaleString('en-US');
    let text = `${n(status.eventCount)} events · ${n(status.podCount)} pods`;
    if (status.paused) text = `Paused · ${n(status.buffered)} ${status.buffered === 1 ? 'update' : 'updates'} waiting · ${text}`;
    this.status.textContent = text;
    this.pause.textContent = status.paused ? (status.buffered > 0 ? `Resume (${n(status.buffered)})` : 'Resume') : 'Pause';
  }

  private fill(dd: Dropdown, which: 'namespaces' | 'kinds', allLabel: string, values: string[], selected: string, force: boolean): void {
    // The selected value stays a choice even when nothing currently carries it (a restored filter).
    const list = selected !== ALL && !values.includes(selected) ? [...values, selected].sort() : values;
    const key = `${selected}\n${list.join('\n')}`;
    if (!force && key === this.optionKeys[which]) return;
    if (key === this.optionKeys[which] && dd.value === selected) return;
    this.optionKeys[which] = key;
    dd.replaceChildren(option(ALL, allLabel, selected === ALL), ...list.map((v) => option(v, v, v === selected)));
    // The toolkit picks up new options on slotchange; set the value once it has.
    requestAnimationFrame(() => {
      if (dd.value !== selected) dd.value = selected;
    });
  }

  private update(change: Partial<PanelSettings['filters']>): void {
    const f = this.settings.filters;
    if (Object.entries(change).every(([k, v]) => f[k as keyof typeof f] === v)) return; // a programmatic echo
    this.emit({ ...this.settings, filters: { ...this.settings.filters, ...change } });
  }

  private emit(settings: PanelSettings): void {
    this.settings = settings;
    this.show(settings);
    this.onChange(settings);
  }
}
