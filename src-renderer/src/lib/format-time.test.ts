import { describe, expect, it } from 'vitest'
import { formatDateTime } from './format-time.ts'

describe('formatDateTime', () => {
  it('shows the date and the UTC time of day', () => {
    expect(formatDateTime('2024-05-01T10:00:05.123Z')).toBe('1 May 2024, 10:00:05 UTC')
  })
  it('shows a dash for null and unparseable values as given', () => {
    expect(formatDateTime(null)).toBe('—')
    expect(formatDateTime('soon')).toBe('soon')
  })
})
