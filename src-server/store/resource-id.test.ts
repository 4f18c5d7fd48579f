import { describe, expect, it } from 'vitest'
import { newResourceId } from './resource-id.ts'

describe('newResourceId', () => {
  it('makes UUIDs of version 7 whose order is their creation order', () => {
    const ids = Array.from({ length: 2000 }, () => newResourceId())
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(ids).size).toBe(ids.length)
    // Index inserts land at the right edge only if each id sorts after the one before.
    expect([...ids].sort()).toEqual(ids)
  })

  it('carries the creation time in its first 48 bits', () => {
    const before = Date.now()
    const id = newResourceId()
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16)
    expect(ms).toBeGreaterThanOrEqual(before)
    expect(ms).toBeLessThanOrEqual(Date.now())
  })
})
