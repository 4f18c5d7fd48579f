import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HarnessProgressMessage } from '../src-shared/harness.ts'
import { call } from './dispatcher.ts'
import { createHandlers } from './handlers/index.ts'
import {
  openHandlerTestContext,
  type HandlerTestContext,
} from '../test/support/handler-test-context.ts'

function value<T>(result: { ok: boolean; value?: T; error?: unknown }): T {
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`)
  return result.value as T
}

describe('createAppServices', () => {
  let t: HandlerTestContext
  beforeAll(async () => {
    t = await openHandlerTestContext()
  })
  afterAll(() => t.close())

  it('builds no backend until a channel needs one', async () => {
    expect(value(await call(t.dispatch, 'app.info', {})).runtime).toBe('test')
    expect(t.services.backends.embedded()).toBeNull()
    expect(value(await call(t.dispatch, 'app.backendState', {}))).toEqual({ state: 'stopped' })
  })

  it('tells the renderer the embedded backend’s state, on the channel and as events', async () => {
    const seen: unknown[] = []
    const unsubscribe = t.services.events.subscribe((event, payload) => {
      if (event === 'app.backendChanged') seen.push(payload)
    })
    try {
      value(await call(t.dispatch, 'connections.list', {}))
      expect(value(await call(t.dispatch, 'app.backendState', {}))).toEqual({
        state: 'running',
        restarts: 0,
      })
      expect(seen).toEqual([{ state: 'starting' }, { state: 'running', restarts: 0 }])
    } finally {
      unsubscribe()
    }
  })

  it('keeps state in the services, not the handlers: two handler maps see the same run', async () => {
    value(await call(t.dispatch, 'connections.list', {}))
    const embedded = t.services.backends.embedded()!
    const target = { connection: embedded.name, tenantId: embedded.tenantId }
    const created = value(await call(t.dispatch, 'tokens.create', { ...target, label: 'shared' }))
    const { runId } = t.services.harness.start({
      baseUrl: embedded.scimBaseUrl,
      token: created.secret,
      profile: 'okta',
    })
    await t.services.harness.wait(runId)
    const other = createHandlers(t.services)
    expect((await other['harness.report']({ runId })).report?.outcome).toBe('passed')
  })
})

describe('AppServices.close', () => {
  it('cancels a running harness run and lets it delete what it created before the backend stops', async () => {
    const t = await openHandlerTestContext()
    try {
      value(await call(t.dispatch, 'connections.list', {}))
      const embedded = t.services.backends.embedded()!
      const target = { connection: embedded.name, tenantId: embedded.tenantId }
      const created = value(await call(t.dispatch, 'tokens.create', { ...target, label: 'quit' }))
      const progress: HarnessProgressMessage[] = []
      t.services.events.subscribe((event, payload) => {
        if (event === 'harness.progress') progress.push(payload as HarnessProgressMessage)
      })
      const { runId } = value(
        await call(t.dispatch, 'harness.start', {
          baseUrl: embedded.scimBaseUrl,
          profile: 'okta',
          concurrency: 1,
          token: { source: 'keychain', ...target, tokenId: created.id },
        }),
      )
      // Quit once the run has created a user on the backend, as a person closing the app mid-run.
      while (
        !progress.some(
          (m) =>
            m.runId === runId &&
            m.event.type === 'exchange' &&
            m.event.exchange.method === 'POST' &&
            m.event.exchange.status === 201,
        )
      ) {
        await new Promise((r) => setTimeout(r, 5))
      }
      const report = t.services.harness.wait(runId)
      await t.services.close()
      const done = await report
      expect(done.outcome).toBe('cancelled')
      expect(done.cleanup.removed.length).toBeGreaterThan(0)
      expect(done.cleanup.leftovers).toEqual([])
      // The backend went last, and is gone now.
      await expect(fetch(`${embedded.adminBaseUrl}/health`)).rejects.toThrow()
    } finally {
      await t.close()
    }
  })
})

describe('app.reportError', () => {
  it('writes a crashed screen’s report to the front door’s log, redacted', async () => {
    const t = await openHandlerTestContext()
    try {
      const token = `scimc_${'k'.repeat(43)}`
      value(
        await call(t.dispatch, 'app.reportError', {
          message: `Cannot read properties of undefined (token ${token})`,
          stack: 'at TokenTable (TokenTable.tsx:10:5)',
          screen: 'tokens',
        }),
      )
      const line = t.logLines.find((l) => l.includes('renderer error'))
      expect(line).toBeDefined()
      expect(line).toContain('TokenTable.tsx:10:5')
      expect(line).toContain('"screen":"tokens"')
      expect(line).not.toContain(token)
    } finally {
      await t.close()
    }
  })
})
