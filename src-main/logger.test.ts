import { describe, expect, it } from 'vitest'
import { createLogger, type LogRecord } from './logger.ts'

describe('createLogger', () => {
  it('writes one JSON object per line with time, level and msg first', () => {
    const lines: string[] = []
    const log = createLogger({
      write: (l) => lines.push(l),
      now: () => new Date('2026-01-02T03:04:05Z'),
    })
    log.info('ipc', { channel: 'app.info', ms: 3 })
    expect(lines).toHaveLength(1)
    expect(lines[0]!.endsWith('\n')).toBe(true)
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['time', 'level', 'msg', 'channel', 'ms'])
    expect(JSON.parse(lines[0]!)).toMatchObject({
      time: '2026-01-02T03:04:05.000Z',
      level: 'info',
      msg: 'ipc',
    })
  })

  it('redacts at the sink: bearer tokens, Authorization headers, passwords', () => {
    const lines: string[] = []
    const seen: LogRecord[] = []
    const log = createLogger({ write: (l) => lines.push(l), onRecord: (r) => seen.push(r) })
    log.warn('request failed: Bearer abc.def-ghi', {
      headers: { Authorization: 'Bearer s3cr3t-value-123' },
      body: { userName: 'ada', password: 'hunter22' },
    })
    const text = lines.join('')
    expect(text).not.toContain('abc.def-ghi')
    expect(text).not.toContain('s3cr3t-value-123')
    expect(text).not.toContain('hunter22')
    expect(text).toContain('ada')
    expect(JSON.stringify(seen)).not.toContain('hunter22')
  })

  it('drops records below the level and cannot be tricked into another level by a field', () => {
    const lines: string[] = []
    const log = createLogger({ write: (l) => lines.push(l), level: 'warn' })
    log.info('quiet')
    log.error('loud', { level: 'debug', msg: 'forged' })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', msg: 'loud' })
  })
})
