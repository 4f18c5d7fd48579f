import { createServer, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HarnessProgressMessage, HarnessReport } from '../../src-shared/harness.ts'
import { call, type Dispatch } from '../dispatcher.ts'
import {
  openHandlerTestContext,
  type HandlerTestContext,
} from '../../test/support/handler-test-context.ts'

let t: HandlerTestContext
let dispatch: Dispatch
const progress: HarnessProgressMessage[] = []
let target: { connection: string; tenantId: string }
let scimBaseUrl: string
let secret: string
let tokenId: string

beforeAll(async () => {
  t = await openHandlerTestContext()
  // Progress reaches the renderer through the services' event bus, as in the web host and Electron.
  t.services.events.subscribe((event, payload) => {
    if (event === 'harness.progress') progress.push(payload as HarnessProgressMessage)
  })
  dispatch = t.dispatch
  value(await call(dispatch, 'connections.list', {}))
  const embedded = t.services.backends.embedded()!
  target = { connection: embedded.name, tenantId: embedded.tenantId }
  scimBaseUrl = embedded.scimBaseUrl
  const created = value(await call(dispatch, 'tokens.create', { ...target, label: 'harness' }))
  secret = created.secret
  tokenId = created.id
})
afterAll(() => t.close())

function value<T>(result: { ok: boolean; value?: T; error?: unknown }): T {
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`)
  return result.value as T
}

/** The report once main holds it: the screen does the same (the event, then harness.report). */
async function finished(runId: string): Promise<HarnessReport> {
  for (;;) {
    const { report } = value(await call(dispatch, 'harness.report', { runId }))
    if (report) return report
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** A loopback port nothing listens on (taken from the OS, then released): connecting is refused. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

const eventsOf = (runId: string) => progress.filter((m) => m.runId === runId).map((m) => m.event)

describe('harness handlers', () => {
  it('runs the okta profile with a keychain token read in main, streaming progress', async () => {
    const { runId } = value(
      await call(dispatch, 'harness.start', {
        baseUrl: scimBaseUrl,
        profile: 'okta',
        token: { source: 'keychain', ...target, tokenId },
      }),
    )
    const report = await finished(runId)
    expect(report.outcome).toBe('passed')
    expect(report.summary.fail).toBe(0)
    expect(report.summary.pass).toBeGreaterThan(10)

    const events = eventsOf(runId)
    expect(events[0]?.type).toBe('run.started')
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', outcome: 'passed' })
    const checks = events.filter((e) => e.type === 'check.finished')
    expect(checks).toHaveLength(report.checks.length)
    expect(checks.map((e) => e.done)).toEqual(checks.map((_, i) => i + 1))
    expect(events.some((e) => e.type === 'exchange')).toBe(true)
    expect(events.some((e) => e.type === 'cleanup.finished')).toBe(true)

    // Nothing that leaves main carries the token: events, report, exports, the dispatcher's log.
    expect(JSON.stringify(events)).not.toContain(secret)
    expect(JSON.stringify(report)).not.toContain(secret)
    for (const format of ['json', 'junit', 'html', 'har'] as const) {
      const out = value(await call(dispatch, 'harness.export', { runId, format }))
      expect(out.text.length).toBeGreaterThan(500)
      expect(out.text).not.toContain(secret)
    }
    const json = value(await call(dispatch, 'harness.export', { runId, format: 'json' }))
    expect(JSON.parse(json.text)).toMatchObject({ runId: report.runId, outcome: 'passed' })
    expect(t.logLines.join('')).not.toContain(secret)
  })

  it('stops a run on cancel, deletes what it created and says so', async () => {
    let cancelling: Promise<unknown> | undefined
    const { runId } = value(
      await call(dispatch, 'harness.start', {
        baseUrl: scimBaseUrl,
        profile: 'okta',
        concurrency: 1,
        token: { source: 'pasted', value: `Bearer ${secret}` },
      }),
    )
    // Cancel from the progress stream, as the Stop button does, once users exist on the server.
    const watch = setInterval(() => {
      const created = eventsOf(runId).some(
        (e) => e.type === 'exchange' && e.exchange.method === 'POST' && e.exchange.status === 201,
      )
      if (created && !cancelling) cancelling = call(dispatch, 'harness.cancel', { runId })
    }, 1)
    const report = await finished(runId)
    clearInterval(watch)
    expect(value((await cancelling) as never)).toEqual({ cancelled: true })
    expect(report.outcome).toBe('cancelled')
    expect(report.cleanup.removed.length).toBeGreaterThan(0)
    expect(report.cleanup.leftovers).toEqual([])
    expect(eventsOf(runId).at(-1)).toMatchObject({ type: 'run.finished', outcome: 'cancelled' })

    const res = await fetch(
      `${scimBaseUrl}/Users?filter=${encodeURIComponent(`userName sw "${report.runPrefix}"`)}`,
      { headers: { Authorization: `Bearer ${secret}` } },
    )
    expect(((await res.json()) as { totalResults: number }).totalResults).toBe(0)
    // A finished run cannot be cancelled again.
    expect(value(await call(dispatch, 'harness.cancel', { runId }))).toEqual({ cancelled: false })
  })

  it('reports an unreachable URL as could-not-run with a hint', async () => {
    const { runId } = value(
      await call(dispatch, 'harness.start', {
        baseUrl: `http://127.0.0.1:${await closedPort()}/scim/v2`,
        token: { source: 'pasted', value: 'whatever' },
      }),
    )
    const report = await finished(runId)
    expect(report.outcome).toBe('could_not_run')
    expect(report.error?.code).toBe('network.unreachable')
    expect(report.error?.hint).toContain('Check the URL')
    expect(report.checks).toEqual([])
  })

  it('refuses a token this machine does not hold, bad settings and unknown runs', async () => {
    const demo = value(await call(dispatch, 'tokens.list', target)).tokens.find(
      (x) => !x.inKeychain,
    )!
    const missing = await call(dispatch, 'harness.start', {
      baseUrl: scimBaseUrl,
      token: { source: 'keychain', ...target, tokenId: demo.id },
    })
    expect(!missing.ok && missing.error.code).toBe('secrets.not_found')

    const badUrl = await call(dispatch, 'harness.start', {
      baseUrl: 'not a url',
      token: { source: 'pasted', value: 'x' },
    })
    expect(!badUrl.ok && badUrl.error.code).toBe('ipc.bad_input')

    const unknown = await call(dispatch, 'harness.report', { runId: 'nope' })
    expect(!unknown.ok && unknown.error.code).toBe('harness.bad_input')
    const early = await call(dispatch, 'harness.export', { runId: 'nope', format: 'json' })
    expect(!early.ok && early.error.code).toBe('harness.bad_input')
  })
})
