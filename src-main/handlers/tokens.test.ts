import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../dispatcher.ts'
import {
  openHandlerTestContext,
  type HandlerTestContext,
} from '../../test/support/handler-test-context.ts'

let t: HandlerTestContext
let target: { connection: string; tenantId: string }
let scimBaseUrl: string

beforeAll(async () => {
  t = await openHandlerTestContext()
  const list = await call(t.dispatch, 'connections.list', {})
  if (!list.ok) throw new Error(list.error.message)
  const embedded = t.services.backends.embedded()!
  target = { connection: embedded.name, tenantId: embedded.tenantId }
  scimBaseUrl = embedded.scimBaseUrl
})
afterAll(() => t.close())

function value<T>(result: { ok: boolean; value?: T; error?: unknown }): T {
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`)
  return result.value as T
}

const scimUsers = (token: string) =>
  fetch(`${scimBaseUrl}/Users?count=1`, { headers: { Authorization: `Bearer ${token}` } })

describe('tokens handlers', () => {
  it('creates a token that works against SCIM, shown once; the list carries no secret', async () => {
    const created = value(
      await call(t.dispatch, 'tokens.create', { ...target, label: 'Okta prod' }),
    )
    expect(created.secret).toMatch(/^scimc_[A-Za-z0-9_-]{43}$/)
    expect(created.label).toBe('Okta prod')
    expect((await scimUsers(created.secret)).status).toBe(200)

    const list = value(await call(t.dispatch, 'tokens.list', target))
    const listed = list.tokens.find((x) => x.id === created.id)!
    expect(listed).toMatchObject({ label: 'Okta prod', inKeychain: true })
    expect(listed.lastUsedAt).not.toBeNull()
    expect(JSON.stringify(list)).not.toContain(created.secret)
    expect(JSON.stringify(list)).not.toContain(created.secret.slice(-4) + '"')
    const overview = value(await call(t.dispatch, 'connections.overview', target))
    expect(JSON.stringify(overview)).not.toContain(created.secret)
    // The dispatcher's log holds channel, time and code, never the secret.
    expect(t.logLines.join('')).not.toContain(created.secret)
  })

  it('reveals the secret only on request, and refuses a token this machine does not hold', async () => {
    const created = value(
      await call(t.dispatch, 'tokens.create', { ...target, label: 'reveal me' }),
    )
    const revealed = value(
      await call(t.dispatch, 'tokens.reveal', { ...target, tokenId: created.id }),
    )
    expect(revealed.secret).toBe(created.secret)

    const demo = value(await call(t.dispatch, 'tokens.list', target)).tokens.find(
      (x) => x.label === 'demo',
    )!
    expect(demo.inKeychain).toBe(false)
    const missing = await call(t.dispatch, 'tokens.reveal', { ...target, tokenId: demo.id })
    expect(!missing.ok && missing.error.code).toBe('secrets.not_found')
  })

  it('rotates alongside the old token, then revokes the old one', async () => {
    const old = value(await call(t.dispatch, 'tokens.create', { ...target, label: 'rotating' }))
    const rotated = value(await call(t.dispatch, 'tokens.rotate', { ...target, tokenId: old.id }))
    expect(rotated.replaces).toBe(old.id)
    expect(rotated.secret).not.toBe(old.secret)
    expect((await scimUsers(old.secret)).status).toBe(200)
    expect((await scimUsers(rotated.secret)).status).toBe(200)

    const revoked = value(await call(t.dispatch, 'tokens.revoke', { ...target, tokenId: old.id }))
    expect(revoked).toEqual({ revokedOnBackend: true, removedFromKeychain: true })
    expect((await scimUsers(old.secret)).status).toBe(401)
    expect((await scimUsers(rotated.secret)).status).toBe(200)
    const ids = value(await call(t.dispatch, 'tokens.list', target)).tokens.map((x) => x.id)
    expect(ids).toContain(rotated.id)
    expect(ids).not.toContain(old.id)
  })

  it('refuses an empty label with a hint and registers nothing', async () => {
    const before = value(await call(t.dispatch, 'tokens.list', target)).tokens.length
    const bad = await call(t.dispatch, 'tokens.create', { ...target, label: '   ' })
    expect(!bad.ok && bad.error.message).toMatch(/label must be 1 to 200 characters/)
    expect(!bad.ok && bad.error.hint).toBeTruthy()
    expect(value(await call(t.dispatch, 'tokens.list', target)).tokens).toHaveLength(before)
  })

  it('clears the clipboard only while it still holds the token', async () => {
    value(await call(t.dispatch, 'clipboard.writeText', { text: 'scimc_abc' }))
    expect(value(await call(t.dispatch, 'clipboard.clearIfEquals', { text: 'scimc_abc' }))).toEqual(
      {
        cleared: true,
      },
    )
    expect(t.clipboard.text).toBe('')
    value(await call(t.dispatch, 'clipboard.writeText', { text: 'something else' }))
    expect(value(await call(t.dispatch, 'clipboard.clearIfEquals', { text: 'scimc_abc' }))).toEqual(
      {
        cleared: false,
      },
    )
    expect(t.clipboard.text).toBe('something else')
  })
})
