import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { ONBOARDING_FILE, OnboardingStore } from './onboarding-store.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scimc-onboarding-store-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const a = { connection: 'embedded', tenantId: 't-a' }
const b = { connection: 'prod', tenantId: 't-b' }

describe('OnboardingStore', () => {
  it('keeps each tenant apart and loses no update when several land at once', async () => {
    const store = new OnboardingStore(dir)
    await Promise.all([
      store.update(a, (s) => ({ ...s, connectedAt: '2026-01-01T00:00:00Z' })),
      store.update(b, (s) => ({ ...s, connectedAt: '2026-01-02T00:00:00Z' })),
      store.update(a, (s) => ({ ...s, sso: { copiedAt: '2026-01-03', entityId: 'idp' } })),
    ])
    const again = new OnboardingStore(dir)
    expect(await again.get(a)).toMatchObject({
      connectedAt: '2026-01-01T00:00:00Z',
      sso: { entityId: 'idp' },
    })
    expect((await again.get(b))?.connectedAt).toBe('2026-01-02T00:00:00Z')
    // Written by rename: no temporary file is left, and only the user can read it.
    expect(readdirSync(dir)).toEqual([ONBOARDING_FILE])
    if (process.platform !== 'win32') expect(statSync(store.file).mode & 0o777).toBe(0o600)
  })

  it('reads a file saved before the sign-in test existed: no test, no skip', async () => {
    const store = new OnboardingStore(dir)
    const old = {
      connection: 'embedded',
      tenantId: 't-a',
      createdAt: '2026-01-01',
      updatedAt: '2026-01-01',
      connectedAt: '2026-01-01',
      sso: { copiedAt: '2026-01-01', entityId: 'idp' },
      scim: null,
      test: null,
      goLive: null,
    }
    writeFileSync(store.file, JSON.stringify({ version: 1, tenants: { KEY: old } }))
    await store.update(a, (s) => s)
    const all = JSON.parse(readFileSync(store.file, 'utf8')) as {
      tenants: Record<string, { signInTest: unknown; signInSkipped: unknown }>
    }
    expect(all.tenants.KEY).toMatchObject({ signInTest: null, signInSkipped: null })
  })

  it('refuses a file that does not match the schema, names it and the fix, and does not overwrite it', async () => {
    const store = new OnboardingStore(dir)
    writeFileSync(store.file, '{"version":2,"tenants":{}}')
    const err = await store.update(a, (s) => s).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('onboarding.state_invalid')
    expect((err as AppError).message).toContain(store.file)
    expect((err as AppError).message).toContain('version')
    expect(readFileSync(store.file, 'utf8')).toBe('{"version":2,"tenants":{}}')
  })

  it('reports a truncated file as not JSON', async () => {
    const store = new OnboardingStore(dir)
    writeFileSync(store.file, '{"version":1,"ten')
    await expect(store.get(a)).rejects.toThrow(/is not JSON/)
  })

  it('forgets one tenant and keeps the others', async () => {
    const store = new OnboardingStore(dir)
    await store.update(a, (s) => s)
    await store.update(b, (s) => s)
    await store.remove(a)
    expect(await store.get(a)).toBeUndefined()
    expect(await store.get(b)).toBeDefined()
  })
})
