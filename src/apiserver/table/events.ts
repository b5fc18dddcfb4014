/**
 * The Event table (printers.go printEvent), served for both core/v1 and events.k8s.io/v1 events (upstream serves
 * both from the same storage and prints the internal type): LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT
 * SOURCE FIRST SEEN COUNT NAME — in the server's (wide) cell order: last seen, type, reason, object, subobject,
 * source, message, first seen, count, name.
 *
 * FIRST SEEN falls back to eventTime, LAST SEEN to FIRST SEEN; a series overrides LAST SEEN and COUNT; a count of 0
 * (singleton events of the new API) prints as 1. OBJECT is `<lower-case kind>/<name>`. SOURCE is
 * "component, host", falling back to reportingController / reportingInstance.
 * events.k8s.io objects are read through their field names (regarding, note, deprecatedSource, …).
 */
import type { KubeObject } from '../../api/object';
import { parseTime, since } from './age';
import { NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { firstNonEmpty, int, str } from './format';
import type { Cell, RowContext, TablePrinter } from './types';

interface EventLike {
  metadata?: { name?: string };
  type?: string;
  reason?: string;
  message?: string;
  note?: string;
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  regarding?: { kind?: string; name?: string; fieldPath?: string };
  source?: { component?: string; host?: string };
  deprecatedSource?: { component?: string; host?: string };
  firstTimestamp?: string;
  deprecatedFirstTimestamp?: string;
  lastTimestamp?: string;
  deprecatedLastTimestamp?: string;
  eventTime?: string;
  count?: number;
  deprecatedCount?: number;
  series?: { count?: number; lastObservedTime?: string };
  reportingController?: string;
  reportingComponent?: string;
  reportingInstance?: string;
}

function eventCells(obj: KubeObject, ctx: RowContext): Cell[] {
  const e = obj as EventLike;
  const first = e.firstTimestamp ?? e.deprecatedFirstTimestamp;
  const last = e.lastTimestamp ?? e.deprecatedLastTimestamp;
  const firstSeen = parseTime(first) !== undefined ? since(first, ctx.nowMs) : since(e.eventTime, ctx.nowMs);
  let lastSeen = parseTime(last) !== undefined ? since(last, ctx.nowMs) : firstSeen;
  let count = int(e.count ?? e.deprecatedCount);
  if (e.series && typeof e.series === 'object') {
    lastSeen = since(e.series.lastObservedTime, ctx.nowMs);
    count = int(e.series.count);
  } else if (count === 0) {
    count = 1;
  }
  const regarding = e.involvedObject ?? e.regarding;
  const kind = str(regarding?.kind).toLowerCase();
  const name = str(regarding?.name);
  const source = e.source ?? e.deprecatedSource;
  const component = firstNonEmpty(str(source?.component), str(e.reportingController) || str(e.reportingComponent));
  const host = firstNonEmpty(str(source?.host), str(e.reportingInstance));
  return [
    lastSeen,
    str(e.type),
    str(e.reason),
    name.length > 0 ? `${kind}/${name}` : kind,
    str(regarding?.fieldPath),
    host.length === 0 ? component : `${component}, ${host}`,
    str(e.message ?? e.note).trim(),
    firstSeen,
    count,
    str(e.metadata?.name),
  ];
}

export const eventPrinter: TablePrinter = {
  columns: columns(
    col('Last Seen', 'string', DOC['Event.lastTimestamp']),
    col('Type', 'string', DOC['Event.type']),
    col('Reason', 'string', DOC['Event.reason']),
    col('Object', 'string', DOC['Event.involvedObject']),
    col('Subobject', 'string', DOC['ObjectReference.fieldPath'], 1),
    col('Source', 'string', DOC['Event.source'], 1),
    col('Message', 'string', DOC['Event.message']),
    col('First Seen', 'string', DOC['Event.firstTimestamp'], 1),
    col('Count', 'string', DOC['Event.count'], 1),
    { ...NAME, priority: 1 },
  ),
  cells: eventCells,
};
