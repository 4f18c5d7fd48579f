import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../dispatcher.ts'
import {
  openHandlerTestContext,
  type HandlerTestContext,
} from '../../test/support/handler-test-context.ts'
import { oktaCreateGroup, oktaCreateUser, oktaDeactivate } from '../../test/support/idp-requests.ts'

let t: HandlerTestContext
let target: { connection: string; tenantId: string }
let scimBaseUrl: string
let token: string

beforeAll(async () => {
  t = await openHandlerTestContext()
  const list = await call(t.dispatch, 'connections.list', {})
  if (!list.ok) throw new Error(list.error.message)
  const embedded = t.services.backends.embedded()!
  target = { connection: embedded.name, tenantId: embedded.tenantId }
  scimBaseUrl = embedded.scimBaseUrl
  const created = await call(t.dispatch, 'tokens.create', { ...target, label: 'Okta' })
  if (!created.ok) throw new Error(created.error.message)
  token = created.value.secret
})
afterAll(() => t.close())

function value<T>(result: { ok: boolean; value?: T; error?: unknown }): T {
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`)
  return result.value as T
}

async function asOkta(method: string, path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(`${scimBaseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/scim+json',
      'User-Agent': 'Okta SCIM Client 1.0.0',
    },
    body: JSON.stringify(body),
  })
  return (await res.json()) as { id: string }
}

describe('directory handlers', () => {
  it('lists users with state, source and last change, searches and pages them, and lists a group with its members', async () => {
    const ids: string[] = []
    for (const n of ['ann', 'bob', 'cy']) {
      const u = await asOkta('POST', '/Users', {
        ...oktaCreateUser,
        userName: `${n}@dir.test`,
        externalId: n,
      })
      ids.push(u.id)
    }
    await asOkta('PATCH', `/Users/${ids[1]}`, oktaDeactivate)
    const g = await asOkta('POST', '/Groups', {
      ...oktaCreateGroup,
      displayName: 'Dir Sales',
      members: [{ value: ids[0] }, { value: ids[1] }],
    })

    const first = value(
      await call(t.dispatch, 'directory.users', { ...target, q: ' dir.test ', limit: 2 }),
    )
    expect(first.total).toBe(3)
    expect(first.items.map((u) => [u.userName, u.active, u.source.client])).toEqual([
      ['ann@dir.test', true, 'okta'],
      ['bob@dir.test', false, 'okta'],
    ])
    expect(first.items[1]!.lastChange?.outcome).toBe('membership_changed')
    expect(first.items[0]!.groups).toEqual(['Dir Sales'])
    const second = value(
      await call(t.dispatch, 'directory.users', {
        ...target,
        q: 'dir.test',
        cursor: first.nextCursor!,
      }),
    )
    expect(second.items.map((u) => u.userName)).toEqual(['cy@dir.test'])
    expect(second.nextCursor).toBeNull()

    const groups = value(await call(t.dispatch, 'directory.groups', { ...target, q: 'dir sales' }))
    expect(groups.items).toHaveLength(1)
    expect(groups.items[0]).toMatchObject({ id: g.id, memberCount: 2, source: { client: 'okta' } })

    const members = value(
      await call(t.dispatch, 'directory.groupMembers', { ...target, groupId: g.id }),
    )
    expect(members).toMatchObject({ displayName: 'Dir Sales', total: 2, nextCursor: null })
    expect(members.items).toEqual([
      { id: ids[0], type: 'User', display: 'ann@dir.test', active: true },
      { id: ids[1], type: 'User', display: 'bob@dir.test', active: false },
    ])
  })

  it('refuses a cursor that is not one, naming the fix, and an unknown group with the backend’s hint', async () => {
    const bad = await call(t.dispatch, 'directory.users', { ...target, cursor: 'abc' })
    expect(bad.ok).toBe(false)
    if (!bad.ok) {
      expect(bad.error.code).toBe('ipc.bad_input')
      expect(bad.error.message).toContain('nextCursor')
    }
    const missing = await call(t.dispatch, 'directory.groupMembers', { ...target, groupId: 'nope' })
    expect(missing.ok).toBe(false)
    if (!missing.ok) {
      expect(missing.error.message).toContain('nope')
      expect(missing.error.hint).toContain('/groups')
    }
  })
})
