import { describe, expect, it } from 'vitest'
import { redact } from '../../src-shared/redact.ts'
import { cappedJson, LIST_BODY_CAP_BYTES } from './event-rows.ts'
import { eventListBody, eventResponseBody } from './event-response-body.ts'

function user(i: number, extra: Record<string, unknown> = {}) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: `id-${i}`,
    userName: `user.${i}@example.test`,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    emails: [{ value: `user.${i}@example.test`, type: 'work', primary: true }],
    ...extra,
  }
}

function list(n: number, extra: (i: number) => Record<string, unknown> = () => ({})) {
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: n,
    itemsPerPage: n,
    startIndex: 1,
    Resources: Array.from({ length: n }, (_, i) => user(i, extra(i))),
  }
}

describe('eventResponseBody', () => {
  it('stores exactly what redacting the whole page and capping it would, for pages past the cap', () => {
    for (const n of [1, 10, 60, 100, 400]) {
      const body = list(n)
      expect(eventResponseBody(body), `${n} users`).toEqual(
        cappedJson(redact(body), LIST_BODY_CAP_BYTES),
      )
    }
    expect(JSON.stringify(list(100)).length).toBeGreaterThan(LIST_BODY_CAP_BYTES)
  })

  it('still redacts the resources it keeps (a password or bearer token in an attribute)', () => {
    const body = list(200, (i) =>
      i === 0 ? { password: 'hunter2-secret', title: 'Bearer abcdefghijklmnop1234' } : {},
    )
    const stored = eventResponseBody(body)
    expect(stored).toEqual(cappedJson(redact(body), LIST_BODY_CAP_BYTES))
    expect(stored.json).not.toContain('hunter2-secret')
    expect(stored.json).not.toContain('abcdefghijklmnop1234')
    expect(stored.json).toContain('[truncated]')
  })

  it('leaves bodies that are not list responses to the plain path', () => {
    for (const body of [user(1), { Resources: 'not an array' }, [1, 2, 3], 'text', null]) {
      expect(eventResponseBody(body)).toEqual(cappedJson(body === null ? null : redact(body)))
    }
  })

  it('keeps the same for a page serialised by its route (resources as text)', () => {
    const extras: [string, (i: number) => Record<string, unknown>][] = [
      ['nothing to redact', () => ({})],
      ['a password in the second', (i) => (i === 1 ? { password: 'hunter2-secret' } : {})],
      ['a bearer token in the tenth', (i) => (i === 9 ? { title: 'Bearer abcdefgh12345678' } : {})],
      ['escapes', (i) => ({ title: `line\nbreak "${i}" \\ Bearer\nabcdefgh12345678` })],
      ['a header pair', () => ({ x: { name: 'Authorization', value: 'Bearer abcdefgh1234' } })],
      ['past the cap only', (i) => (i === 90 ? { nickName: 'Bearer abcdefgh12345678' } : {})],
    ]
    for (const [name, extra] of extras) {
      for (const n of [0, 1, 10, 100]) {
        const body = list(n, extra)
        const { Resources, ...head } = body
        const texts = Resources.map((r) => JSON.stringify(r))
        const stored = eventListBody(head, texts)
        expect(stored, `${name}, ${n} users`).toEqual(cappedJson(redact(body), LIST_BODY_CAP_BYTES))
        expect(stored.json).not.toContain('abcdefgh1234')
        expect(stored.json).not.toContain('hunter2')
      }
    }
  })
})
