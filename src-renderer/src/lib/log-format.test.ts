import { describe, expect, it } from 'vitest'
import {
  cleanFilter,
  describeStreamState,
  formatDuration,
  formatEventTime,
  prettyBody,
  readablePath,
  statusTone,
  toggleValue,
} from './log-format.ts'

describe('log screen formatting', () => {
  it('shows event times in UTC to the millisecond and durations in ms or s', () => {
    const now = new Date('2026-11-22T20:00:00Z')
    expect(formatEventTime('2026-11-22T15:40:05.123Z', now)).toBe('15:40:05.123')
    // Not today: the date with the time, never a bare time.
    expect(formatEventTime('2026-11-21T23:59:59.999Z', now)).toBe('21 Nov 23:59:59')
    expect(formatEventTime('2025-11-22T15:40:05.123Z', now)).toBe('22 Nov 2025 15:40')
    expect(formatEventTime('not a time')).toBe('not a time')
    expect(formatDuration(12.4)).toBe('12 ms')
    expect(formatDuration(1500)).toBe('1.50 s')
    expect(formatDuration(59_000)).toBe('59.0 s')
  })

  it('colours the statuses that stop a user from showing up as bad', () => {
    expect(statusTone(201)).toBe('good')
    expect(statusTone(404)).toBe('warn')
    expect(statusTone(409)).toBe('bad')
    expect(statusTone(401)).toBe('bad')
    expect(statusTone(503)).toBe('bad')
  })

  it('says when a reconnecting stream tries next, and why', () => {
    const d = describeStreamState({
      state: 'reconnecting',
      attempt: 3,
      nextAttemptAt: '2026-11-22T15:41:00.000Z',
      reason: 'connection reset',
    })
    expect(d).toMatchObject({ label: 'Reconnecting', tone: 'warn' })
    expect(d.detail).toBe('Attempt 3 at 15:41:00.000 UTC — connection reset')
    expect(describeStreamState({ state: 'live', since: 'x' }).label).toBe('Live')
  })

  it('toggles multi-valued filters and drops empty fields', () => {
    expect(toggleValue(undefined, '4xx')).toEqual(['4xx'])
    expect(toggleValue(['4xx'], '4xx')).toBeUndefined()
    expect(cleanFilter({ user: '  ', text: ' jane ', method: [], statusClass: ['5xx'] })).toEqual({
      text: 'jane',
      statusClass: ['5xx'],
    })
  })

  it('pretty-prints JSON bodies and leaves truncated text as it is', () => {
    expect(prettyBody({ a: 1 })).toBe('{\n  "a": 1\n}')
    expect(prettyBody('{"a":1}')).toBe('{\n  "a": 1\n}')
    expect(prettyBody('{"a":…[truncated]')).toBe('{"a":…[truncated]')
    expect(prettyBody(null)).toBe('')
  })

  it('shows paths decoded, and a malformed escape as received', () => {
    expect(readablePath('/Users?filter=userName%20eq%20%22jane%40acme.com%22')).toBe(
      '/Users?filter=userName eq "jane@acme.com"',
    )
    expect(readablePath('/Users?filter=%E0%A4%A')).toBe('/Users?filter=%E0%A4%A')
  })
})
