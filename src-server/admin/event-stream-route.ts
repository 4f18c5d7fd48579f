import type { ProvisioningEvent } from '../store/events.ts'
import { parseQuery } from './admin-context.ts'
import type { AdminContext, AdminResult } from './admin-context.ts'
import { queryParams } from './admin-schemas.ts'

/**
 * GET /tenants/{id}/events/stream: Server-Sent Events, resumable with Last-Event-ID, with a
 * heartbeat, and ended for a client that stops reading.
 */

const SSE_BUFFER_LIMIT = 8 * 1024 * 1024

/**
 * `source=idp&source=unknown` means the same as `source=idp,unknown` (a generated client may send
 * either); the query schema reads one value, so the repeated ones are joined first.
 */
export function joinRepeatedSource(url: URL): void {
  const all = url.searchParams.getAll('source')
  if (all.length > 1) url.searchParams.set('source', all.join(','))
}

function sseFrame(e: ProvisioningEvent): string {
  return `id: ${e.seq}\nevent: provisioning\ndata: ${JSON.stringify(e)}\n\n`
}

export function stream(ctx: AdminContext, tenantId: string): AdminResult {
  const { req, res, deps } = ctx
  joinRepeatedSource(ctx.url)
  const q = parseQuery(ctx, queryParams.streamEvents)
  // A filtered stream skips events, so its ids jump: a client must not read that as a loss.
  const wanted = q.source ? new Set(q.source) : undefined
  const header = req.headers['last-event-id']
  const headerId =
    typeof header === 'string' && /^\d+$/.test(header.trim()) ? header.trim() : undefined
  const resumeFrom = headerId ?? q.lastEventId
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  })
  // A client gone mid-write must not surface as an unhandled 'error' event.
  res.on('error', () => {})
  res.write('retry: 2000\n\n')
  let lastSent = resumeFrom === undefined ? deps.events.latestSeq(tenantId) : Number(resumeFrom)
  const push = (e: ProvisioningEvent): void => {
    if (e.seq <= lastSent || res.writableEnded || res.destroyed) return
    // A client that stops reading would make us buffer without bound; end its stream instead.
    // It reconnects with Last-Event-ID and loses nothing.
    if (res.writableLength > SSE_BUFFER_LIMIT) {
      res.end()
      return
    }
    lastSent = e.seq
    if (wanted && !wanted.has(e.source ?? 'unknown')) return
    res.write(sseFrame(e))
  }
  // Subscribing and replaying in the same synchronous step: no event can be recorded between
  // them, and `lastSent` drops anything the replay already sent.
  const unsubscribe = deps.hub.subscribe(tenantId, push)
  if (resumeFrom !== undefined) {
    for (;;) {
      const batch = deps.events.eventsAfter(tenantId, lastSent, 1000)
      for (const e of batch) push(e)
      if (batch.length < 1000 || res.writableEnded) break
    }
  }
  const heartbeat = setInterval(() => {
    if (!res.writableEnded && !res.destroyed) res.write(': heartbeat\n\n')
  }, deps.heartbeatMs)
  heartbeat.unref()
  deps.streams.add(res)
  const done = (): void => {
    clearInterval(heartbeat)
    unsubscribe()
    deps.streams.delete(res)
  }
  // res 'close' fires when the client goes away (req 'close' fires as soon as the request is read).
  res.on('close', done)
  return { streamed: true }
}
