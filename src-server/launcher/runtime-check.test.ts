import { describe, expect, it } from 'vitest'
import { missingSqliteReason } from './runtime-check.ts'

describe('missingSqliteReason', () => {
  it('finds node:sqlite in this Node', () => {
    expect(missingSqliteReason()).toBeNull()
  })

  it('names the runtime and the fix when node:sqlite is missing (a runtime without it, simulated)', () => {
    const reason = missingSqliteReason(() => undefined, {
      ...process.versions,
      node: '20.18.0',
      electron: '33.0.0',
    })
    expect(reason).toMatch(/Electron 33\.0\.0 \(Node 20\.18\.0\) has no node:sqlite/)
    expect(reason).toMatch(/Node 22\.12 or newer/)
  })

  it('treats a loader that throws like a missing module', () => {
    expect(
      missingSqliteReason(() => {
        throw new Error('ERR_UNKNOWN_BUILTIN_MODULE')
      }),
    ).toMatch(/has no node:sqlite/)
  })
})
