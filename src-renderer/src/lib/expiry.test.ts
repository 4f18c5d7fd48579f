import { describe, expect, it } from 'vitest'
import { expiryLabel, expiryState } from './expiry.ts'

describe('expiryState', () => {
  it('marks an expired certificate expired even when daysLeft is 0', () => {
    expect(expiryState({ expired: true, daysLeft: 0 })).toBe('expired')
  })
  it('treats the 30-day window as expiring soon and day 31 as valid', () => {
    expect(expiryState({ expired: false, daysLeft: 30 })).toBe('expires-soon')
    expect(expiryState({ expired: false, daysLeft: 31 })).toBe('valid')
  })
  it('says how long ago or how long left, in days', () => {
    expect(expiryLabel({ expired: true, daysLeft: -1 })).toBe('Expired 1 day ago')
    expect(expiryLabel({ expired: true, daysLeft: -400 })).toBe('Expired 400 days ago')
    expect(expiryLabel({ expired: false, daysLeft: 12 })).toBe('Expires in 12 days')
    expect(expiryLabel({ expired: false, daysLeft: 900 })).toBe('Valid for 900 days')
  })
})
