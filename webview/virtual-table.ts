/**
 * A virtualized table with fixed row height: only the rows of the window the host sent exist in the DOM (a small
 * pool of row elements is reused); a sizer as tall as all rows gives the scrollbar its true range. The table
 * reports its viewport (scroll position, height, whether it sticks to the newest rows) at most once per animation
 * frame; the host answers with the matching window. Cells are text only (textContent), never HTML.
 */
import { ROW_HEIGHT_PX, type ObjectRef, type RowWindow } from '../src/ui/events/protocol';

export interface Column<Row> {
  title: string;
  /** A CSS grid track: "90px", "minmax(240px, 1fr)". */
  width: string;
  /** The minimum width it needs, for the horizontal scroll range. */
  minPx: number;
  className: string;
  text(row: Row): string;
  /** Extra class for this cell (status colours). */
  tone?(row: Row): string | undefined;
  /** Makes the cell a link to the object. */
  ref?(row: Row): ObjectRef | undefined;
}

export interface Viewport {
  scrollTop: number;
  height: number;
  follow: boolean;
}

export interface VirtualTableOptions<Row> {
  columns: Column<Row>[];
  /** Whether the table may stick to the bottom (the event stream does, the sorted pods table does not). */
  followable: boolean;
  emptyText: string;
  rowClass?(row: Row): string | undefined;
  onViewport(vp: Viewport): void;
  onLink(row: Row, ref: ObjectRef, event: MouseEvent): void;
}

export class VirtualTable<Row extends { key: string }> {
  readonly element: HTMLDivElement;
  private readonly sizer: HTMLDivElement;
  private readonly rowsEl: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private readonly pool: HTMLDivElement[] = [];
  private window: RowWindow<Row> = { total: 0, first: 0, rows: [] };
  private follow: boolean;
  private frame = 0;
  private lastSent = '';
  private restoring: number | undefined;
  private lastScrollTop = 0;
  private shown = false;

  constructor(
    private readonly opts: VirtualTableOptions<Row>,
    initial: { scrollTop: number; follow: boolean },
  ) {
    this.follow = opts.followable && initial.follow;
    this.restoring = initial.scrollTop;
    const el = (this.element = document.createElement('div'));
    el.className = 'vt';
    el.style.setProperty('--vt-columns', opts.columns.map((c) => c.width).join(' '));
    el.style.setProperty('--vt-min-width', `${opts.columns.reduce((n, c) => n + c.minPx, 0)}px`);
    const head = document.createElement('div');
    head.className = 'head';
    head.setAttribute('role', 'row');
    for (const c of opts.columns) {
      const h = document.createElement('div');
      h.className = `cell ${c.className}`;
      h.setAttribute('role', 'columnheader');
      h.textContent = c.title;
      head.appendChild(h);
    }
    this.sizer = document.createElement('div');
    this.sizer.className = 'sizer';
    this.rowsEl = document.createElement('div');
    this.rowsEl.className = 'rows';
    this.rowsEl.setAttribute('role', 'rowgroup');
    this.empty = document.createElement('div');
    this.empty.className = 'empty';
    this.empty.textContent = opts.emptyText;
    this.sizer.append(this.rowsEl);
    el.setAttribute('role', 'table');
    el.append(head, this.sizer, this.empty);
    el.addEventListener(
      'scroll',
      () => {
        // Decided at once, not in the next frame: a window arriving before then must not snap a user who just
        // scrolled up back to the bottom.
        if (this.element.clientHeight > 0) this.lastScrollTop = this.element.scrollTop;
        this.updateFollow();
        this.scheduleViewport();
      },
      { passive: true },
    );
    el.addEventListener('click', (e) => this.onClick(e));
    new ResizeObserver(() => {
      // A hidden tab loses its scroll position (display: none); put it back when shown again.
      const shown = el.clientHeight > 0;
      if (shown && !this.shown) {
        el.scrollTop = this.follow ? el.scrollHeight : this.lastScrollTop;
        this.lastSent = '';
      }
      this.shown = shown;
      this.scheduleViewport();
    }).observe(el);
  }

  /** Shows a window of rows (row `first + i` at its own offset). */
  setWindow(win: RowWindow<Row>): void {
    this.window = win;
    this.sizer.style.height = `${win.total * ROW_HEIGHT_PX}px`;
    this.empty.hidden = win.total > 0;
    if (this.restoring !== undefined && win.total > 0) {
      if (!this.follow) this.element.scrollTop = this.lastScrollTop = this.restoring;
      this.restoring = undefined;
    }
    if (this.follow) this.element.scrollTop = this.element.scrollHeight;
    this.rowsEl.style.transform = `translateY(${win.first * ROW_HEIGHT_PX}px)`;
    this.renderRows();
    this.scheduleViewport();
  }

  /** The current scroll state, for vscode.setState. */
  scrollState(): { scrollTop: number; follow: boolean } {
    return { scrollTop: this.element.clientHeight > 0 ? this.element.scrollTop : this.lastScrollTop, follow: this.follow };
  }

  /** Reports the viewport now (e.g. when the table becomes visible). */
  reportViewport(force = false): void {
    if (force) this.lastSent = '';
    this.scheduleViewport();
  }

  private renderRows(): void {
    const rows = this.window.rows;
    while (this.pool.length < rows.length) this.pool.push(this.makeRow());
    for (let i = 0; i < this.pool.length; i++) {
      const el = this.pool[i]!;
      const row = rows[i];
      if (!row) {
        if (el.parentNode) el.remove();
        continue;
      }
      if (!el.parentNode) this.rowsEl.appendChild(el);
      this.fillRow(el, row, this.window.first + i);
    }
  }

  private makeRow(): HTMLDivElement {
    const el = document.createElement('div');
    el.setAttribute('role', 'row');
    for (const c of this.opts.columns) {
      const cell = document.createElement('div');
      cell.setAttribute('role', 'cell');
      cell.className = `cell ${c.className}`;
      el.appendChild(cell);
    }
    return el;
  }

  private fillRow(el: HTMLDivElement, row: Row, index: number): void {
    el.className = `row ${this.opts.rowClass?.(row) ?? ''}`;
    el.dataset.index = String(index);
    const cols = this.opts.columns;
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j]!;
      const cell = el.children[j] as HTMLDivElement;
      const text = c.text(row);
      if (cell.textContent !== text) cell.textContent = text;
      cell.title = text;
      const linked = c.ref?.(row) !== undefined;
      cell.className = `cell ${c.className}${c.tone ? ` ${c.tone(row) ?? ''}` : ''}${linked ? ' link' : ''}`;
    }
  }

  private onClick(e: MouseEvent): void {
    const cell = (e.target as HTMLElement | null)?.closest('.cell.link');
    const rowEl = cell?.parentElement;
    if (!cell || !rowEl || rowEl.dataset.index === undefined) return;
    const row = this.window.rows[Number(rowEl.dataset.index) - this.window.first];
    const col = this.opts.columns[Array.prototype.indexOf.call(rowEl.children, cell)];
    const ref = row && col?.ref?.(row);
    if (row && ref) this.opts.onLink(row, ref, e);
  }

  private updateFollow(): void {
    const el = this.element;
    if (this.opts.followable && el.clientHeight > 0) this.follow = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT_PX / 2;
  }

  private scheduleViewport(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const el = this.element;
      if (el.clientHeight === 0) return; // hidden tab
      const height = Math.max(0, el.clientHeight - ROW_HEIGHT_PX);
      const vp: Viewport = { scrollTop: Math.round(el.scrollTop), height: Math.round(height), follow: this.follow };
      const key = `${vp.scrollTop}/${vp.height}/${vp.follow}`;
      if (key === this.lastSent) return;
      this.lastSent = key;
      this.opts.onViewport(vp);
    });
  }
}
