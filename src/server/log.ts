import { writeSync } from 'node:fs';

/** Severity of a log line, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: LogLevel = (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info';

/** Changes the lowest level written (the server sets it from LOG_LEVEL). */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/**
 * Fields every line of this process carries (a worker's number under QALA_WORKERS). On
 * globalThis because the Node entry and Astro's bundle each carry this module.
 */
const FIELDS = Symbol.for('qala.logFields');
const processFields: Record<string, unknown> = ((globalThis as { [FIELDS]?: Record<string, unknown> })[FIELDS] ??= {});

/** Adds a field to every line this process writes from now on. */
export function setLogField(name: string, value: unknown): void {
  processFields[name] = value;
}

/**
 * Lines for standard output wait for the end of the event loop's turn and go out in one
 * write: under load a turn serves many requests, and one write per request line cost as
 * much as sending a static page. Warnings and errors are written at once (stderr), and
 * what waits is written before the process exits. Shared on globalThis, like the fields,
 * so the two copies of this module keep one order.
 */
const PENDING = Symbol.for('qala.logPending');
const pending = ((globalThis as { [PENDING]?: { lines: string[]; scheduled: boolean } })[PENDING] ??= (() => {
  const state = { lines: [] as string[], scheduled: false };
  process.once('exit', () => {
    if (state.lines.length > 0) writeSync(1, state.lines.join(''));
    state.lines = [];
  });
  return state;
})());

function flush(): void {
  pending.scheduled = false;
  const text = pending.lines.join('');
  pending.lines = [];
  process.stdout.write(text);
}

function write(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < ORDER[threshold]) return;
  const line = `${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields, ...processFields })}\n`;
  if (level === 'error' || level === 'warn') {
    process.stderr.write(line);
    return;
  }
  pending.lines.push(line);
  if (!pending.scheduled) {
    pending.scheduled = true;
    setImmediate(flush);
  }
}

/** Structured logs: one JSON object a line, to stdout (errors and warnings to stderr). */
export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};

/**
 * An error as log fields: its message and, for an Error, its stack (the message's first
 * line, then where it was thrown), so a log line alone points to the failing code.
 */
export function errorFields(error: unknown): { error: string; stack?: string } {
  if (!(error instanceof Error)) return { error: String(error) };
  return error.stack ? { error: String(error), stack: error.stack } : { error: String(error) };
}
