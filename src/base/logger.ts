/** One injected logger for every component; nothing logs through console directly. */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  child(component: string): Logger;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LogRecord {
  level: Level;
  component: string;
  message: string;
  time: number;
}

/** A logger that hands each record to a sink (stderr, a VS Code output channel, a test array). */
export function createLogger(sink: (r: LogRecord) => void, minLevel: Level = 'info', component = 'kubelab'): Logger {
  const emit = (level: Level, message: string, args: unknown[]) => {
    if (order[level] < order[minLevel]) return;
    const text = args.length ? `${message} ${args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}` : message;
    sink({ level, component, message: text, time: Date.now() });
  };
  return {
    debug: (m, ...a) => emit('debug', m, a),
    info: (m, ...a) => emit('info', m, a),
    warn: (m, ...a) => emit('warn', m, a),
    error: (m, ...a) => emit('error', m, a),
    child: (c) => createLogger(sink, minLevel, `${component}/${c}`),
  };
}

export const stderrSink = (r: LogRecord): void => {
  process.stderr.write(`${new Date(r.time).toISOString()} ${r.level.toUpperCase().padEnd(5)} [${r.component}] ${r.message}\n`);
};

/** Collects records in memory (tests). */
export function memoryLogger(minLevel: Level = 'debug'): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { logger: createLogger((r) => records.push(r), minLevel), records };
}

export const silentLogger: Logger = createLogger(() => undefined, 'error');
