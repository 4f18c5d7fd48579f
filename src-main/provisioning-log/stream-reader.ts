import {
  provisioningEventSchema,
  type ProvisioningEvent,
} from '../../src-shared/provisioning-event.ts'
import { SseParser } from './sse-parser.ts'

/** Reading the SSE body: an idle watchdog around the parser, and each message checked as an event. */

export type StreamMessage =
  | { kind: 'event'; event: ProvisioningEvent }
  | { kind: 'malformed'; seq: number | undefined; why: string | undefined }
  | { kind: 'ignored' }

/** One SSE message as an event, or why it is not one (named by its id when it has a usable one). */
export function parseStreamMessage(
  type: string,
  data: string,
  id: string | undefined,
): StreamMessage {
  if (type !== 'provisioning' && type !== 'message') return { kind: 'ignored' }
  const idSeq = id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined
  let json: unknown
  try {
    json = JSON.parse(data)
  } catch {
    return { kind: 'malformed', seq: idSeq, why: 'the data is not JSON' }
  }
  const parsed = provisioningEventSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return {
      kind: 'malformed',
      seq: idSeq,
      why: issue ? `${issue.path.join('.') || 'event'}: ${issue.message}` : undefined,
    }
  }
  const event = parsed.data
  if (idSeq !== undefined && idSeq !== event.seq) {
    return {
      kind: 'malformed',
      seq: idSeq,
      why: `its id (${idSeq}) differs from its seq (${event.seq})`,
    }
  }
  return { kind: 'event', event }
}

/**
 * Feeds the body to `onMessage` until it ends or `connection` is aborted. No byte (not even a
 * heartbeat) for `idleMs` aborts the connection, and that reason is thrown.
 */
export async function readSseBody(
  body: ReadableStream<Uint8Array>,
  connection: AbortController,
  idleMs: number,
  onMessage: (type: string, data: string, id: string | undefined) => void,
  /** A line or event over the parser's cap was dropped (the gap fill reads it back by seq). */
  onOversize?: (what: 'line' | 'event', limit: number) => void,
): Promise<void> {
  let lastActivity = Date.now()
  const watchdog = setInterval(
    () => {
      if (Date.now() - lastActivity > idleMs)
        connection.abort(new Error(`no data or heartbeat for ${idleMs} ms`))
    },
    Math.max(50, Math.min(5_000, idleMs / 4)),
  )
  const parser = new SseParser({
    message: (msg) => onMessage(msg.event, msg.data, msg.id),
    comment: () => undefined,
    ...(onOversize ? { oversize: onOversize } : {}),
  })
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  const onAbort = (): void => void reader.cancel().catch(() => undefined)
  connection.signal.addEventListener('abort', onAbort, { once: true })
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      lastActivity = Date.now()
      parser.feed(value)
    }
  } finally {
    clearInterval(watchdog)
    connection.signal.removeEventListener('abort', onAbort)
    reader.releaseLock()
  }
  if (connection.signal.aborted && connection.signal.reason instanceof Error)
    throw connection.signal.reason
}
