import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventName } from '../../src-shared/contract.ts'
import {
  oktaAssign,
  oktaDeactivate,
  scimCall,
  waitFor,
  type ScimCaller,
} from '../../test/support/log-test-support.ts'
import { call, type Dispatch } from '../dispatcher.ts'
import {
  openHandlerTestContext,
  type HandlerTestContext,
} from '../../test/support/handler-test-context.ts'

let t: HandlerTestContext
let dispatch: Dispatch
let target: { connection: string; tenantId: string }
let scim: ScimCaller
let token: string
const received: Array<{ event: EventName; payload: Record<string, unknown> }> = []

function value<T>(result: { ok: boolean; value?: T; error?: unknown }): T {
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`)
  return result.value as T
}

beforeAll(async () => {
  t = await openHandlerTestContext()
  t.services.events.subscribe((event, payload) =>
    received.push({ event, payload: payload as Record<string, unknown> }),
  )
  dispatch = t.dispatch
  value(await call(dispatch, 'connections.list', {}))
  const embedded = t.services.backends.embedded()!
  target = { connection: embedded.name, tenantId: embedded.tenantId }
  token = value(await call(dispatch, 'tokens.create', { ...target, label: 'Okta log test' })).secret
  scim = (path, init = {}) => scimCall(embedded.scimBaseUrl, token, path, init)
})

afterAll(() => t.close())

const logEvents = () => received.filter((r) => r.event === 'log.event')

describe('log handlers over the embedded reference backend', () => {
  it('opens the live log, announces new events in batches and pages them with a filter', async () => {
    const opened = value(await call(dispatch, 'log.open', target))
    expect(opened.capacity).toBe(1_000_000)
    await waitFor(
      () =>
        received.some(
          (r) => r.event === 'log.state' && (r.payload.state as { state: string }).state === 'live',
        ),
      'live state event',
    )

    const janeId = (await oktaAssign(scim, 'jane@acme.com'))!
    expect(await oktaDeactivate(scim, janeId)).toBe(200)
    await oktaAssign(scim, 'bob@acme.com')
    const announced = () => logEvents().reduce((n, r) => n + (r.payload.added as number), 0)
    await waitFor(() => announced() >= 5, '5 events announced')
    // Every announcement names the tenant and what main now holds.
    expect(announced()).toBe(value(await call(dispatch, 'log.query', target)).size)
    expect(logEvents()[0]!.payload).toMatchObject(target)

    const jane = value(
      await call(dispatch, 'log.query', { ...target, filter: { user: 'JANE@acme.com' } }),
    )
    expect(jane.rows.map((r) => `${r.method} ${r.status} ${r.outcome}`)).toEqual([
      'GET 200 lookup_empty',
      'POST 201 created',
      'PATCH 200 deactivated',
    ])
    // Rows carry no bodies: those come one event at a time.
    expect(Object.keys(jane.rows[0]!)).not.toContain('requestBody')

    const page = value(
      await call(dispatch, 'log.query', { ...target, offset: 1, limit: 2, order: 'desc' }),
    )
    expect(page.rows).toHaveLength(2)
    expect(page.rows[0]!.seq).toBeGreaterThan(page.rows[1]!.seq)
    expect(page.total).toBe(page.size)

    const posts = value(
      await call(dispatch, 'log.query', {
        ...target,
        filter: { method: ['POST'], statusClass: ['2xx'] },
      }),
    )
    expect(posts.rows.map((r) => r.userName)).toEqual(['jane@acme.com', 'bob@acme.com'])
  })

  it('shows one event with its body and headers, never the token, and copies it as curl', async () => {
    const create = value(
      await call(dispatch, 'log.query', {
        ...target,
        filter: { user: 'bob@acme.com', method: ['POST'] },
      }),
    ).rows[0]!
    const detail = value(await call(dispatch, 'log.getEvent', { ...target, seq: create.seq }))
    expect(detail.event.requestBody).toMatchObject({ userName: 'bob@acme.com' })
    expect(detail.requestHeaders.find((h) => h.name === 'Authorization')!.value).toMatch(
      /^Bearer \[REDACTED\]/,
    )
    expect(JSON.stringify(detail)).not.toContain(token)
    const curl = value(await call(dispatch, 'log.curl', { ...target, seq: create.seq })).command
    expect(curl).toContain('$SCIM_TOKEN')
    expect(curl).toContain('/Users')
    expect(curl).not.toContain(token)

    const missing = await call(dispatch, 'log.getEvent', { ...target, seq: 987654321 })
    expect(missing).toMatchObject({ ok: false, error: { code: 'log.event_not_found' } })
  })

  it('exports the filtered events as JSON lines, CSV and HAR', async () => {
    const filter = { user: 'jane@acme.com' }
    const jsonl = value(await call(dispatch, 'log.export', { ...target, filter, format: 'jsonl' }))
    expect(jsonl.count).toBe(3)
    expect(jsonl.fileName).toMatch(/\.jsonl$/)
    expect(
      jsonl.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).outcome),
    ).toEqual(['lookup_empty', 'created', 'deactivated'])
    const csv = value(await call(dispatch, 'log.export', { ...target, filter, format: 'csv' }))
    expect(csv.mimeType).toBe('text/csv')
    expect(csv.text.split('\r\n')[0]).toMatch(/^seq,time,method,path,status/)
    expect(csv.text.trim().split('\r\n')).toHaveLength(4)
    const har = value(await call(dispatch, 'log.export', { ...target, filter, format: 'har' }))
    const entries = JSON.parse(har.text).log.entries
    expect(entries).toHaveLength(3)
    expect(entries[1].request.url).toBe(`${t.services.backends.embedded()!.scimBaseUrl}/Users`)
    for (const e of [jsonl, csv, har]) expect(e.text).not.toContain(token)
  })

  it('tells the story of a deactivated user with the proving events, and of a healthy one', async () => {
    const story = value(
      await call(dispatch, 'log.userStory', { ...target, query: 'jane@acme.com' }),
    )
    expect(story.current).toMatchObject({ kind: 'found', user: { active: false } })
    expect(story.diagnosis.verdict).toBe('problem')
    const finding = story.diagnosis.findings.find((f) => f.cause === 'deactivated')!
    expect(finding.fix).not.toBe('')
    const patch = story.events.find((e) => e.method === 'PATCH')!
    expect(finding.evidence.map((e) => e.seq)).toContain(patch.seq)

    // The same story by SCIM id.
    const byId = value(
      await call(dispatch, 'log.userStory', { ...target, query: patch.resourceId! }),
    )
    expect(byId.events.map((e) => e.seq)).toEqual(story.events.map((e) => e.seq))

    const bob = value(await call(dispatch, 'log.userStory', { ...target, query: 'bob@acme.com' }))
    expect(bob.diagnosis.verdict).toBe('healthy')

    const empty = await call(dispatch, 'log.userStory', { ...target, query: '   ' })
    expect(empty).toMatchObject({ ok: false, error: { code: 'ipc.bad_input' } })
  })

  it('replays a user only when confirmed, with the token this console holds', async () => {
    const unconfirmed = await call(dispatch, 'log.replayUser', {
      ...target,
      userName: 'carol@acme.com',
      confirmed: false as unknown as true,
    })
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'ipc.bad_input' } })
    expect(
      value(await call(dispatch, 'log.query', { ...target, filter: { user: 'carol@acme.com' } }))
        .total,
    ).toBe(0)

    const replay = value(
      await call(dispatch, 'log.replayUser', {
        ...target,
        userName: 'carol@acme.com',
        confirmed: true,
      }),
    )
    expect(replay.tokenLabel).toBe('Okta log test')
    expect(replay.outcome).toBe('completed')
    expect(replay.steps[0]!.title).toMatch(/Look up/)
    expect(replay.steps.every((s) => s.ok)).toBe(true)
    await waitFor(
      async () =>
        value(await call(dispatch, 'log.query', { ...target, filter: { user: 'carol@acme.com' } }))
          .total >= 2,
      'replayed requests in the log',
    )
  })

  it('pauses, and after resuming catches up with what happened meanwhile', async () => {
    expect(value(await call(dispatch, 'log.pause', target)).state.state).toBe('paused')
    const before = received.length
    await oktaAssign(scim, 'dave@acme.com')
    value(await call(dispatch, 'log.resume', target))
    await waitFor(
      () =>
        received
          .slice(before)
          .some(
            (r) =>
              r.event === 'log.state' && (r.payload.state as { state: string }).state === 'live',
          ),
      'live again',
    )
    await waitFor(
      async () =>
        value(await call(dispatch, 'log.query', { ...target, filter: { user: 'dave@acme.com' } }))
          .total === 2,
      'the lookup and create made while paused',
    )
  })
})
