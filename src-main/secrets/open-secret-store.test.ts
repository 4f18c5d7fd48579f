import { describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { chooseSecretStoreKind, openSecretStore } from './open-secret-store.ts'
import { isMemoryStore } from './secret-store.ts'

describe('openSecretStore', () => {
  it('uses the keychain unless memory is chosen explicitly', () => {
    expect(chooseSecretStoreKind({ env: {} })).toBe('keychain')
    expect(isMemoryStore(openSecretStore({ env: {} }))).toBe(false)
    expect(chooseSecretStoreKind({ env: {}, setting: 'memory' })).toBe('memory')
    expect(chooseSecretStoreKind({ env: { SCIM_CONSOLE_SECRET_STORE: 'memory' } })).toBe('memory')
    expect(
      chooseSecretStoreKind({ env: { SCIM_CONSOLE_SECRET_STORE: 'keychain' }, setting: 'memory' }),
    ).toBe('keychain')
  })

  it('shares one memory store within the process', async () => {
    const env = { SCIM_CONSOLE_SECRET_STORE: 'memory' }
    const first = openSecretStore({ env })
    expect(isMemoryStore(first)).toBe(true)
    await first.set('shared-account', 'shared-secret-1')
    expect(await openSecretStore({ env }).get('shared-account')).toBe('shared-secret-1')
    await first.delete('shared-account')
  })

  it('refuses an unknown store name instead of guessing', () => {
    let caught: unknown
    try {
      chooseSecretStoreKind({ env: { SCIM_CONSOLE_SECRET_STORE: 'plaintext' } })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).message).toContain('plaintext')
    expect((caught as AppError).hint).toContain('keychain')
  })
})
