import { describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { openSecretStore } from '../secrets/open-secret-store.ts'
import { backendLogLevel, describeStartupFailure, STARTUP_EXIT_CODE } from './startup-failure.ts'

describe('describeStartupFailure', () => {
  it('shows the real cause and fix of a bad SCIM_CONSOLE_SECRET_STORE and exits non-zero', () => {
    let thrown: unknown
    try {
      openSecretStore({ env: { SCIM_CONSOLE_SECRET_STORE: 'plaintext' } })
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(AppError)
    const failure = describeStartupFailure(thrown, '/home/a/.config/scim-console/logs/main.log')
    expect(failure.exitCode).toBe(STARTUP_EXIT_CODE)
    expect(failure.exitCode).not.toBe(0)
    expect(failure.title).toMatch(/could not start/)
    expect(failure.body).toContain((thrown as AppError).message)
    expect(failure.body).toContain(`What to do: ${(thrown as AppError).hint}`)
    expect(failure.body).toContain('main.log')
  })

  it('says something useful for an unexpected error, and never shows a secret', () => {
    const failure = describeStartupFailure(
      new Error(
        'EACCES opening settings with Authorization: Bearer scimc_abcdefghijklmnopqrstuvwxyz0123456789ABCD',
      ),
    )
    expect(failure.body).toMatch(/EACCES opening settings/)
    expect(failure.body).toMatch(/What to do: Try starting scim-console again/)
    expect(failure.body).not.toContain('scimc_abcdefghijklmnopqrstuvwxyz0123456789ABCD')
  })
})

describe('backendLogLevel', () => {
  it('keeps the embedded backend’s own levels, so debug lines are not logged as errors', () => {
    expect(backendLogLevel('debug')).toBe('debug')
    expect(backendLogLevel('warn')).toBe('warn')
    expect(backendLogLevel('error')).toBe('error')
    expect(backendLogLevel(undefined)).toBe('info')
    expect(backendLogLevel('trace')).toBe('info')
  })
})
