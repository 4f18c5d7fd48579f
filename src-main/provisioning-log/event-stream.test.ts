import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createAdminClient } from '../backend/admin-client.ts'
import type {
  ProvisioningEvent,
  StreamNotice,
  StreamState,
} from '../../src-shared/provisioning-event.ts'
import { backoffDelay, ProvisioningEventStream } from './event-stream.ts'
import {
  startBackend,
  startBackendProcess,
  startTcpProxy,
  waitFor,
  type Backend,
  type TcpProxy,
} from '../../test/support/log-test-support.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

interface Collected {
  events: ProvisioningEvent[]
  states: StreamState[]
  notices: StreamNotice[]
}

function collector(): Collected {
  return { events: [], states: [], notices: [] }
}

function streamFor(
  adminBaseUrl: string,
  adminKey: string,
  tenantId: string,
  out: Collected,
  extra: Partial<ConstructorParameters<typeof ProvisioningEventStream>[0]> = {},
): ProvisioningEventStream {
  const s = new ProvisioningEventStream({
    backend: {
      client: createAdminClient({ baseUrl: adminBaseUrl, adminKey, timeoutMs: 2_000 }),
      adminKey,
      connectTimeoutMs: 2_000,
    },
    tenantId,
    onEvents: (events) => out.events.push(...events),
    onState: (s) => out.states.push(s),
    onNotice: (n) => out.notices.push(n),
    backoff: { initialMs: 40, maxMs: 300, factor: 2 },
    idleTimeoutMs: 2_000,
    settleMs: 20,
    ...extra,
  })
  cleanups.push(() => s.stop())
  return s
}

async function allSeqs(backend: Backend, tenantId: string): Promise<number[]> {
  const seqs: number[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await backend.admin(
      `/tenants/${tenantId}/events?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    )
    seqs.push(...page.body.items.map((e: ProvisioningEvent) => e.seq))
    if (!page.body.nextCursor) break
    cursor = page.body.nextCursor
  }
  return seqs.sort((a, b) => a - b)
}

function expectExactlyOnce(events: ProvisioningEvent[], expected: number[]): void {
  const seqs = events.map((e) => e.seq)
  expect(new Set(seqs).size).toBe(seqs.length)
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
  expect(seqs).toEqual(expected)
}

async function traffic(backend: Backend, n: number, tag: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    await backend.scim(
      `/Users?filter=${encodeURIComponent(`userName eq "${tag}-${i}@acme.com"`)}&startIndex=1&count=100`,
    )
  }
}

describe('backoff', () => {
  it('grows exponentially, stays within [step/2, step] and never exceeds the cap', () => {
    const opts = { initialMs: 100, maxMs: 1_000, factor: 2 }
    expect(backoffDelay(1, opts, () => 0)).toBe(50)
    expect(backoffDelay(1, opts, () => 1)).toBe(100)
    expect(backoffDelay(3, opts, () => 1)).toBe(400)
    expect(backoffDelay(3, opts, () => 0)).toBe(200)
    for (let a = 1; a < 40; a++)
      expect(backoffDelay(a, opts, Math.random)).toBeLessThanOrEqual(1_000)
  })
})

describe('ProvisioningEventStream against the reference backend', () => {
  it('loads history, then streams live events, each exactly once and in order', async () => {
    const backend = await startBackend()
    cleanups.push(() => backend.dispose())
    const tenantId = backend.server.demoTenantId
    await traffic(backend, 5, 'before')
    const out = collector()
    const stream = streamFor(backend.server.adminBaseUrl, backend.adminKey, tenantId, out)
    await stream.start()
    expect(out.events).toHaveLength(5)
    await waitFor(() => stream.state.state === 'live', 'live')
    await traffic(backend, 7, 'after')
    await waitFor(() => out.events.length >= 12, '12 events')
    await stream.settled()
    expectExactlyOnce(out.events, await allSeqs(backend, tenantId))
    expect(out.notices.filter((n) => n.kind === 'stream.gap_filled')).toEqual([])
  })

  it('the backend shuts down mid-stream while traffic flows and restarts (same data folder): every event exactly once', async () => {
    const backend = await startBackend()
    cleanups.push(() => backend.dispose())
    const tenantId = backend.server.demoTenantId
    await traffic(backend, 3, 'a')
    const out = collector()
    const stream = streamFor(backend.server.adminBaseUrl, backend.adminKey, tenantId, out)
    await stream.start()
    await waitFor(() => stream.state.state === 'live', 'live')

    // Traffic keeps flowing while the backend dies: requests that hit the dead server fail.
    let stopTraffic = false
    const flowing = (async () => {
      for (let i = 0; !stopTraffic; i++) {
        await backend
          .scim(`/Users?filter=${encodeURIComponent(`userName eq "flow-${i}@acme.com"`)}`)
          .catch(() => undefined)
        await new Promise((r) => setTimeout(r, 5))
      }
    })()
    await waitFor(() => out.events.length >= 10, 'events before the kill')
    await backend.stop()
    await waitFor(() => out.states.some((s) => s.state === 'reconnecting'), 'reconnecting state')
    const reconnecting = out.states.find((s) => s.state === 'reconnecting')
    expect(
      reconnecting && 'nextAttemptAt' in reconnecting && Date.parse(reconnecting.nextAttemptAt),
    ).toBeGreaterThan(0)
    await backend.restart()
    await traffic(backend, 5, 'after-restart')
    stopTraffic = true
    await flowing
    await traffic(backend, 2, 'last')
    const expected = await allSeqs(backend, tenantId)
    await waitFor(
      () => out.events.length >= expected.length && stream.state.state === 'live',
      'all events after the restart',
    )
    await stream.settled()
    expectExactlyOnce(out.events, expected)
    expect(stream.stats.reconnects).toBeGreaterThan(0)
  })

  it('the backend process is SIGKILLed mid-stream and restarted on the same data folder: every event exactly once', async () => {
    const proc = await startBackendProcess()
    cleanups.push(() => proc.dispose())
    const seqsOf = async (): Promise<number[]> => {
      const seqs: number[] = []
      let cursor: string | undefined
      for (;;) {
        const res = await fetch(
          `${proc.adminBaseUrl}/tenants/${proc.tenantId}/events?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
          { headers: { authorization: `Bearer ${proc.adminKey}` } },
        )
        const page = (await res.json()) as { items: ProvisioningEvent[]; nextCursor: string | null }
        seqs.push(...page.items.map((e) => e.seq))
        if (!page.nextCursor) break
        cursor = page.nextCursor
      }
      return seqs.sort((a, b) => a - b)
    }
    const send = async (n: number, tag: string): Promise<void> => {
      for (let i = 0; i < n; i++)
        await proc
          .scim(`/Users?filter=${encodeURIComponent(`userName eq "${tag}-${i}@acme.com"`)}`)
          .catch(() => undefined)
    }
    await send(3, 'before')
    const out = collector()
    const stream = streamFor(proc.adminBaseUrl, proc.adminKey, proc.tenantId, out)
    await stream.start()
    await waitFor(() => stream.state.state === 'live', 'live')
    await send(5, 'live')
    await waitFor(() => out.events.length >= 8, 'live events')
    await proc.kill()
    await waitFor(
      () => out.states.some((s) => s.state === 'reconnecting'),
      'reconnecting after the kill',
    )
    await proc.restart()
    await send(4, 'after')
    const expected = await seqsOf()
    expect(expected).toHaveLength(12)
    await waitFor(() => out.events.length >= 12, 'events after the restart')
    await stream.settled()
    expectExactlyOnce(out.events, expected)
  })

  it('the network drops for a while (a real TCP proxy stopped and restarted): every event exactly once', async () => {
    const backend = await startBackend()
    cleanups.push(() => backend.dispose())
    const proxy: TcpProxy = await startTcpProxy(backend.port)
    cleanups.push(() => proxy.close())
    const tenantId = backend.server.demoTenantId
    const out = collector()
    const stream = streamFor(proxy.url('/admin/v1'), backend.adminKey, tenantId, out)
    await stream.start()
    await waitFor(() => stream.state.state === 'live', 'live')
    await traffic(backend, 4, 'up')
    await waitFor(() => out.events.length === 4, 'events through the proxy')

    await proxy.drop()
    // The IdP keeps provisioning while the console is cut off.
    await traffic(backend, 6, 'during-drop')
    await waitFor(
      () => out.states.filter((s) => s.state === 'reconnecting').length >= 2,
      'repeated reconnect attempts',
    )
    expect(out.events).toHaveLength(4)
    await proxy.restore()
    await traffic(backend, 3, 'after')
    const expected = await allSeqs(backend, tenantId)
    expect(expected).toHaveLength(13)
    await waitFor(() => out.events.length >= 13, 'catch-up after the network returns')
    await stream.settled()
    expectExactlyOnce(out.events, expected)
    expect(out.notices.some((n) => n.kind === 'stream.resumed')).toBe(true)
  })

  it('a network that goes silent (proxy freezes: no data, no close) is detected by the missing heartbeat and recovered', async () => {
    const backend = await startBackend({ heartbeatMs: 100 })
    cleanups.push(() => backend.dispose())
    const proxy = await startTcpProxy(backend.port)
    cleanups.push(() => proxy.close())
    const tenantId = backend.server.demoTenantId
    const out = collector()
    const stream = streamFor(proxy.url('/admin/v1'), backend.adminKey, tenantId, out, {
      idleTimeoutMs: 800,
    })
    await stream.start()
    await waitFor(() => stream.state.state === 'live', 'live')
    // Heartbeats every 100 ms keep a healthy connection from being taken for a dead one.
    await new Promise((r) => setTimeout(r, 1_200))
    expect(stream.stats.reconnects).toBe(0)
    await traffic(backend, 2, 'before-freeze')
    await waitFor(() => out.events.length === 2, 'events before the freeze')

    proxy.freeze()
    await traffic(backend, 3, 'frozen')
    await waitFor(
      () => out.states.some((s) => s.state === 'reconnecting'),
      'the idle watchdog to give up on the silent connection',
    )
    expect(out.events).toHaveLength(2)
    proxy.thaw()
    await waitFor(
      () => out.events.length === 5 && stream.state.state === 'live',
      'recovery after the thaw',
    )
    await stream.settled()
    expectExactlyOnce(out.events, await allSeqs(backend, tenantId))
  })

  it('starts while the backend is down, keeps retrying, and loads history once it is up', async () => {
    const backend = await startBackend()
    cleanups.push(() => backend.dispose())
    const tenantId = backend.server.demoTenantId
    await traffic(backend, 3, 'early')
    await backend.stop()
    const out = collector()
    const stream = streamFor(backend.server.adminBaseUrl, backend.adminKey, tenantId, out, {
      history: 2,
    })
    await stream.start()
    expect(out.notices.map((n) => n.kind)).toContain('stream.error')
    await waitFor(() => out.states.some((s) => s.state === 'reconnecting'), 'reconnecting')
    await backend.restart()
    await waitFor(() => stream.state.state === 'live', 'live after the backend came up')
    // History is bounded as asked: the two newest of the three events, then live traffic.
    const stored = await allSeqs(backend, tenantId)
    await traffic(backend, 1, 'late')
    await waitFor(() => out.events.length === 3, 'history and the live event')
    await stream.settled()
    expectExactlyOnce(out.events, [
      ...stored.slice(-2),
      ...(await allSeqs(backend, tenantId)).slice(-1),
    ])
  })

  it('stops for good on a wrong admin key instead of retrying forever', async () => {
    const backend = await startBackend()
    cleanups.push(() => backend.dispose())
    const out = collector()
    const stream = streamFor(
      backend.server.adminBaseUrl,
      'scimc_admin_wrongwrongwrong',
      backend.server.demoTenantId,
      out,
    )
    await expect(stream.start()).rejects.toMatchObject({ code: 'backend.unauthorized' })
    expect(stream.state.state).toBe('stopped')
  })

  it('pause closes the stream; resume replays what arrived meanwhile, once', async () => {
    const backend = await startBackend()
    cleanups.push(() => backend.dispose())
    const tenantId = backend.server.demoTenantId
    const out = collector()
    const stream = streamFor(backend.server.adminBaseUrl, backend.adminKey, tenantId, out)
    await stream.start()
    await waitFor(() => stream.state.state === 'live', 'live')
    stream.pause()
    expect(stream.state.state).toBe('paused')
    await traffic(backend, 4, 'paused')
    await new Promise((r) => setTimeout(r, 200))
    expect(out.events).toHaveLength(0)
    stream.resume()
    await waitFor(
      () => out.events.length === 4 && stream.state.state === 'live',
      'replay after resume',
    )
    await stream.settled()
    expectExactlyOnce(out.events, await allSeqs(backend, tenantId))
  })

  it('events pruned by retention while paused are reported, not waited for; the retained rest arrives once', async () => {
    const backend = await startBackend({ retention: 10 })
    cleanups.push(() => backend.dispose())
    const tenantId = backend.server.demoTenantId
    const out = collector()
    const stream = streamFor(backend.server.adminBaseUrl, backend.adminKey, tenantId, out)
    await stream.start()
    await waitFor(() => stream.state.state === 'live', 'live')
    await traffic(backend, 2, 'seen')
    await waitFor(() => out.events.length === 2, 'two live events')
    stream.pause()
    // Retention (10, pruned once 256 over) deletes the oldest while the console is away.
    await traffic(backend, 300, 'away')
    const retained = await allSeqs(backend, tenantId)
    expect(retained[0]).toBeGreaterThan(3)
    stream.resume()
    await waitFor(
      () => out.events.at(-1)?.seq === retained.at(-1) && stream.state.state === 'live',
      'the retained events after resume',
    )
    await stream.settled()
    expectExactlyOnce(out.events, [1, 2, ...retained])
    const pruned = out.notices.filter(
      (n) => n.kind === 'stream.error' && /retention/.test(n.message),
    )
    expect(pruned).toHaveLength(1)
    expect(pruned[0]!.seqs).toEqual(Array.from({ length: retained[0]! - 3 }, (_, i) => 3 + i))
    expect(out.notices.filter((n) => n.kind === 'stream.gap_filled')).toEqual([])
  })
})

// ---- faults the reference backend cannot produce: a small SSE server of the test's own ----

function event(seq: number): ProvisioningEvent {
  return {
    seq,
    tenantId: 't1',
    time: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    method: 'GET',
    path: `/Users?filter=userName%20eq%20%22u${seq}%40acme.com%22`,
    status: 200,
    durationMs: 3,
    resourceType: 'User',
    resourceId: null,
    userName: `u${seq}@acme.com`,
    outcome: 'lookup_empty',
    error: null,
    tokenHashPrefix: 'abcd1234',
    requestBody: null,
    responseBody: null,
  }
}

/**
 * Serves /admin/v1/tenants/t1/events (newest first, cursor = seq) from `stored`, and a stream that
 * replays the frames sent so far after Last-Event-ID, then sends each new frame live.
 */
async function ownSseServer(): Promise<{
  url: string
  stored: ProvisioningEvent[]
  /** The paginated queries received, as their query strings. */
  queries: string[]
  send(...frames: string[]): void
  close(): Promise<void>
}> {
  const open = new Set<ServerResponse>()
  const stored: ProvisioningEvent[] = []
  const sent: string[] = []
  const queries: string[] = []
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/admin/v1/tenants/t1/events') {
      queries.push(url.search)
      const cursor = url.searchParams.get('cursor')
      const limit = Number(url.searchParams.get('limit') ?? 50)
      const items = [...stored]
        .sort((a, b) => b.seq - a.seq)
        .filter((e) => cursor === null || e.seq < Number(cursor))
        .slice(0, limit)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          items,
          nextCursor: items.length === limit ? String(items[items.length - 1]!.seq) : null,
        }),
      )
      return
    }
    if (url.pathname === '/admin/v1/tenants/t1/events/stream') {
      const after = Number(req.headers['last-event-id'] ?? 0)
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      for (const f of sent) {
        const id = /^id: (\d+)/.exec(f)
        if (!id || Number(id[1]) > after) res.write(f)
      }
      open.add(res)
      const beat = setInterval(() => res.write(': heartbeat\n\n'), 100)
      res.on('close', () => {
        clearInterval(beat)
        open.delete(res)
      })
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/admin/v1`,
    stored,
    queries,
    send(...frames) {
      for (const f of frames) {
        sent.push(f)
        for (const r of open) r.write(f)
      }
    },
    async close() {
      for (const r of open) r.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

const frame = (e: ProvisioningEvent): string =>
  `id: ${e.seq}\nevent: provisioning\ndata: ${JSON.stringify(e)}\n\n`

describe('ProvisioningEventStream against a test SSE server (faults the reference backend cannot produce)', () => {
  it('a malformed event (own SSE server emits invalid JSON and a schema-breaking event) is skipped and reported, not fatal', async () => {
    const sse = await ownSseServer()
    cleanups.push(() => sse.close())
    const out = collector()
    const stream = streamFor(sse.url, 'scimc_admin_test_key_123', 't1', out)
    await stream.start()
    await waitFor(() => stream.state.state === 'live', 'live')
    // The log itself holds only the good events; the stream carries two broken ones as well.
    sse.stored.push(event(1), event(2), event(5))
    const badSchema = { ...event(4), status: 'two hundred' }
    sse.send(
      frame(event(1)),
      frame(event(2)),
      'id: 3\nevent: provisioning\ndata: {"seq":3,"method":\n\n',
      `id: 4\nevent: provisioning\ndata: ${JSON.stringify(badSchema)}\n\n`,
      frame(event(5)),
    )
    await waitFor(() => out.events.length === 3, 'the three good events')
    await stream.settled()
    expect(out.events.map((e) => e.seq)).toEqual([1, 2, 5])
    const malformed = out.notices.filter((n) => n.kind === 'stream.malformed')
    expect(malformed.map((n) => n.seqs)).toEqual([[3], [4]])
    expect(malformed[0]!.message).toMatch(/not JSON/)
    expect(malformed[1]!.message).toMatch(/status/)
    expect(stream.state.state).toBe('live')
    expect(stream.stats.malformed).toBe(2)
    // Still alive: the next good event arrives.
    sse.stored.push(event(6))
    sse.send(frame(event(6)))
    await waitFor(() => out.events.length === 4, 'an event after the malformed ones')
  })

  it('an event the stream skipped (own SSE server drops seq 3) is detected by the jump, filled from the paginated query before seq 4, and reported', async () => {
    const sse = await ownSseServer()
    cleanups.push(() => sse.close())
    const out = collector()
    const deliveries: number[][] = []
    const stream = streamFor(sse.url, 'scimc_admin_test_key_123', 't1', out, {
      onEvents: (events) => {
        deliveries.push(events.map((e) => e.seq))
        out.events.push(...events)
      },
    })
    await stream.start()
    await waitFor(() => stream.state.state === 'live', 'live')
    const historyQueries = sse.queries.length
    sse.stored.push(event(1), event(2), event(3), event(4), event(5))
    sse.send(frame(event(1)), frame(event(2)))
    await waitFor(() => out.events.length === 2, 'two events')
    await stream.settled()
    // Contiguous events cost no query at all.
    expect(sse.queries.length).toBe(historyQueries)
    sse.send(frame(event(4)), frame(event(5)))
    await waitFor(() => out.events.length === 5, 'five events')
    await stream.settled()
    expect(out.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5])
    // 3 is delivered on its own, before 4 and 5.
    expect(deliveries.flat()).toEqual([1, 2, 3, 4, 5])
    expect(deliveries.find((d) => d.includes(3))).toEqual([3])
    // One query for the gap only: the two events before seq 4 (3 and the floor, 2).
    expect(sse.queries.slice(historyQueries)).toEqual(['?cursor=4&limit=2'])
    const gap = out.notices.filter((n) => n.kind === 'stream.gap_filled')
    expect(gap.map((n) => n.seqs)).toEqual([[3]])
    expect(stream.stats.gapFilled).toBe(1)
  })

  it('a gap the query cannot fill (own SSE server whose log also lacks seq 3) is reported as lost and the stream goes on', async () => {
    const sse = await ownSseServer()
    cleanups.push(() => sse.close())
    const out = collector()
    const stream = streamFor(sse.url, 'scimc_admin_test_key_123', 't1', out)
    await stream.start()
    await waitFor(() => stream.state.state === 'live', 'live')
    sse.stored.push(event(1), event(2), event(4), event(5))
    sse.send(frame(event(1)), frame(event(2)), frame(event(5)))
    await waitFor(() => out.events.length === 4, 'four events')
    await stream.settled()
    expect(out.events.map((e) => e.seq)).toEqual([1, 2, 4, 5])
    expect(out.notices.filter((n) => n.kind === 'stream.gap_filled').map((n) => n.seqs)).toEqual([
      [4],
    ])
    const lost = out.notices.filter((n) => n.kind === 'stream.error')
    expect(lost.map((n) => n.seqs)).toEqual([[3]])
    expect(lost[0]!.message).toMatch(/missing from both the stream and the backend's log/)
    sse.stored.push(event(6))
    sse.send(frame(event(6)))
    await waitFor(() => out.events.length === 5, 'the next event')
    expect(stream.state.state).toBe('live')
  })

  it('a gap older than the oldest retained event (own SSE server whose log starts at 8) is reported as pruned, not waited for', async () => {
    const sse = await ownSseServer()
    cleanups.push(() => sse.close())
    const out = collector()
    const stream = streamFor(sse.url, 'scimc_admin_test_key_123', 't1', out)
    await stream.start()
    await waitFor(() => stream.state.state === 'live', 'live')
    sse.send(frame(event(1)), frame(event(2)))
    await waitFor(() => out.events.length === 2, 'two events')
    sse.stored.push(event(8), event(9))
    sse.send(frame(event(8)), frame(event(9)))
    await waitFor(() => out.events.length === 4, 'the retained events')
    await stream.settled()
    expect(out.events.map((e) => e.seq)).toEqual([1, 2, 8, 9])
    const notices = out.notices.filter((n) => n.kind !== 'stream.resumed')
    expect(notices.map((n) => [n.kind, n.seqs])).toEqual([['stream.error', [3, 4, 5, 6, 7]]])
    expect(notices[0]!.message).toMatch(/5 events were \(seq 3–7\).*retention/)
  })

  it('a stream that repeats events (own SSE server sends seq 2 twice) delivers it once', async () => {
    const sse = await ownSseServer()
    cleanups.push(() => sse.close())
    const out = collector()
    const stream = streamFor(sse.url, 'scimc_admin_test_key_123', 't1', out)
    await stream.start()
    await waitFor(() => stream.state.state === 'live', 'live')
    sse.stored.push(event(1), event(2), event(3))
    sse.send(frame(event(1)), frame(event(2)))
    await waitFor(() => out.events.length === 2, 'two events')
    sse.send(frame(event(2)), frame(event(3)))
    await waitFor(() => out.events.length === 3, 'three events')
    await stream.settled()
    expect(out.events.map((e) => e.seq)).toEqual([1, 2, 3])
    expect(stream.stats.duplicates).toBeGreaterThan(0)
  })
})
