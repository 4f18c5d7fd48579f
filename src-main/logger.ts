import { redact } from '../src-shared/redact.ts'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface LogRecord {
  time: string
  level: LogLevel
  msg: string
  [field: string]: unknown
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/**
 * The one JSON-lines logger of main. Redaction happens here, at the sink, so a caller that forgets
 * cannot leak a token into the log file; `onRecord` sees only the redacted record.
 */
export function createLogger(opts: {
  write: (line: string) => void
  level?: LogLevel
  onRecord?: (record: LogRecord) => void
  now?: () => Date
}): Logger {
  const min = order[opts.level ?? 'info']
  const now = opts.now ?? (() => new Date())
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (order[level] < min) return
    // time, level and msg first for people reading the file; a field cannot override them.
    const raw: Record<string, unknown> = { time: '', level, msg, ...fields }
    Object.assign(raw, { time: now().toISOString(), level, msg })
    const record = redact(raw) as LogRecord
    opts.write(JSON.stringify(record) + '\n')
    opts.onRecord?.(record)
  }
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  }
}

/** For tests and tools that want no output. */
export const silentLogger: Logger = createLogger({ write: () => {}, level: 'error' })
