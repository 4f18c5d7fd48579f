import { describe, expect, it } from 'vitest'
import { RestartDecider } from './backend-supervisor.ts'

const policy = { delaysMs: [100, 1_000, 5_000], maxFailures: 4, windowMs: 60_000 }

describe('RestartDecider', () => {
  it('restarts after each crash with growing delays', () => {
    const d = new RestartDecider(policy)
    expect(d.crashed(0)).toEqual({ restart: true, delayMs: 100, attempt: 1 })
    expect(d.crashed(10)).toEqual({ restart: true, delayMs: 1_000, attempt: 2 })
    expect(d.crashed(20)).toEqual({ restart: true, delayMs: 5_000, attempt: 3 })
  })

  it('gives up after repeated crashes within the window', () => {
    const d = new RestartDecider(policy)
    for (const t of [0, 1, 2]) expect(d.crashed(t).restart).toBe(true)
    expect(d.crashed(3)).toEqual({ restart: false, failures: 4 })
  })

  it('forgets crashes older than the window, so an occasional crash never ends supervision', () => {
    const d = new RestartDecider(policy)
    for (let i = 0; i < 10; i++) {
      const decision = d.crashed(i * 61_000)
      expect(decision).toEqual({ restart: true, delayMs: 100, attempt: 1 })
    }
  })

  it('starts from a clean slate after a reset', () => {
    const d = new RestartDecider(policy)
    for (const t of [0, 1, 2, 3]) d.crashed(t)
    d.reset()
    expect(d.crashed(4)).toEqual({ restart: true, delayMs: 100, attempt: 1 })
  })
})
