import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  harnessProgressMessageSchema,
  type HarnessProgressMessage,
} from '../../src-shared/harness.ts'
import { createHarnessService } from './harness-service.ts'
import { startFaultProxy, type FaultProxy } from '../../test/support/fault-proxy.ts'
import {
  startMemoryScimServer,
  type MemoryScimServer,
} from '../../test/support/memory-scim-server.ts'

let server: MemoryScimServer
let slow: FaultProxy
beforeAll(async () => {
  server = await startMemoryScimServer()
  slow = await startFaultProxy({ target: server.baseUrl, token: server.token, latencyMs: 20 })
})
afterAll(async () => {
  await slow.close()
  await server.close()
})

describe('harness service (what the app wires to the contract)', () => {
  it('runs in the background, streams progress tagged with the run id, then exports every format', async () => {
    const messages: HarnessProgressMessage[] = []
    const service = createHarnessService({ onProgress: (m) => messages.push(m) })
    const { runId } = service.start({
      baseUrl: server.baseUrl,
      token: server.token,
      profile: 'rfc',
    })
    expect(service.report(runId)).toBeUndefined()
    const report = await service.wait(runId)
    expect(report.outcome).toBe('passed')
    expect(service.report(runId)).toBe(report)
    expect(
      messages.every((m) => m.runId === runId && harnessProgressMessageSchema.safeParse(m).success),
    ).toBe(true)
    for (const format of ['json', 'junit', 'html', 'har'] as const) {
      const out = service.export(runId, format)
      expect(out.fileName).toMatch(/^scim-conformance-rfc-/)
      expect(out.text.length).toBeGreaterThan(1000)
      expect(out.text.includes(server.token)).toBe(false)
    }
  })

  it('stops a run on cancel and cleans up', async () => {
    const service = createHarnessService({
      onProgress: (m) => {
        if (m.event.type === 'check.finished' && m.event.done === 3) service.cancel(m.runId)
      },
    })
    const { runId } = service.start({ baseUrl: slow.baseUrl, token: server.token })
    const report = await service.wait(runId)
    expect(report.outcome).toBe('cancelled')
    expect(server.users.size + server.groups.size).toBe(0)
    expect(service.cancel(runId)).toEqual({ cancelled: false })
  })

  it('refuses bad settings and unknown runs with harness.bad_input', () => {
    const service = createHarnessService({ onProgress: () => undefined })
    expect(() => service.start({ baseUrl: 'not a url', token: 'x' })).toThrow(
      expect.objectContaining({ code: 'harness.bad_input' }),
    )
    expect(() => service.start({ baseUrl: server.baseUrl, token: '' })).toThrow(/not valid/)
    expect(() => service.start({ baseUrl: 'ftp://example.com/scim', token: 'x' })).toThrow(
      /must be http\(s\)/,
    )
    expect(() => service.export('nope', 'json')).toThrow(/No harness run nope/)
  })
})
