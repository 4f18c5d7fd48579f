import { AppError } from '../../src-shared/errors.ts'
import {
  provisioningEventSchema,
  type ProvisioningEvent,
  type StreamNotice,
  type StreamState,
} from '../../src-shared/provisioning-event.ts'
import { redactString } from '../../src-shared/redact.ts'
import { fetchEventPage, openEventStream, type LogBackend } from './events-api.ts'
import { SseParser } from './sse-parser.ts'

/**
 * The live provisioning event feed of one tenant: history from the paginated query, then the SSE
 * stream with Last-Event-ID resume. Consumers get every event exactly once and in sequence order.
 *
 * Sequence numbers are global on the backend (per tenant increasing but not contiguous), so a
 * missing event cannot be seen from a jump in `seq` alone. Instead every batch that arrives on
 * the stream is checked against the paginated query for the same seq range before it is
 * delivered ("settle"), and every (re)connect first catches up from the query. Whatever the query
 * has and the stream missed is delivered and reported as `stream.gap_filled`, never skipped.
 */

export interface BackoffOptions {
  initialMs: number
  maxMs: number
  factor: number
}

export interface EventStreamOptions {
  backend: LogBackend
  tenantId: string
  /** Called with events in ascending seq order; each seq at most once over the object's life. */
  onEvents(events: ProvisioningEvent[]): void
  onState?(state: StreamState): void
  onNotice?(notice: StreamNotice): void
  /** Most recent events to load before going live (default 1,000,000; 0 = live only). */
  history?: number
  /** Resume after this seq instead of loading history (e.g. the index already has events). */
  afterSeq?: number
  backoff?: Partial<BackoffOptions>
  /** No byte (not even a heartbeat) for this long means the connection is dead (default 45 s). */
  idleTimeoutMs?: number
  /** How long stream events wait to be checked against the query in one batch (default 200 ms). */
  settleMs?: number
  /** Check stream batches against the query (default true). Off: only (re)connects catch up. */
  verifyBatches?: boolean
  pageLimit?: number
  /** false: load history only and never connect (one-shot questions such as `log explain`). */
  live?: boolean
  random?: () => number
}

export interface EventStreamStats {
  delivered: number
  duplicates: number
  malformed: number
  gapFilled: number
  reconnects: number
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2 }

/** Exponential backoff with "equal jitter": bounded above by maxMs and never below half the step. */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const step = Math.min(opts.maxMs, opts.initialMs * opts.factor ** Math.max(0, attempt - 1))
  return Math.round(step / 2 + (random() * step) / 2)
}

export class ProvisioningEventStream {
  readonly #o: EventStreamOptions
  readonly #backoff: BackoffOptions
  #state: StreamState = { state: 'stopped' }
  #lastSeq: number | null = null
  #pending = new Map<number, ProvisioningEvent>()
  #malformedSeqs = new Set<number>()
  #connection: AbortController | null = null
  #lifetime = new AbortController()
  #paused = false
  #resumeWaiter: (() => void) | null = null
  #wakeWaiter: (() => void) | null = null
  #work: Promise<void> = Promise.resolve()
  #settleTimer: ReturnType<typeof setTimeout> | null = null
  #loop: Promise<void> | null = null
  readonly stats: EventStreamStats = {
    delivered: 0,
    duplicates: 0,
    malformed: 0,
    gapFilled: 0,
    reconnects: 0,
  }

  constructor(options: EventStreamOptions) {
    this.#o = options
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff }
    if (options.afterSeq !== undefined) this.#lastSeq = options.afterSeq
  }

  get state(): StreamState {
    return this.#state
  }

  /** The highest seq delivered so far (the resume point). */
  get lastSeq(): number | null {
    return this.#lastSeq
  }

  /** Starts loading history and streaming; resolves when history is delivered. */
  async start(): Promise<void> {
    if (this.#loop) throw new Error('ProvisioningEventStream.start() called twice')
    this.#setState({ state: 'connecting' })
    try {
      await this.#loadHistory()
    } catch (err) {
      // A wrong key or tenant will not fix itself; anything else is retried by the loop.
      if (isFatal(err)) {
        this.#setState({ state: 'stopped', reason: (err as AppError).message })
        throw err
      }
      this.#notice('stream.error', `Could not load the history yet: ${describe(err)}. Retrying.`)
    }
    if (this.#o.live === false) {
      this.#setState({ state: 'stopped', reason: 'history only' })
      return
    }
    this.#loop = this.#run()
  }

  pause(): void {
    if (this.#state.state === 'stopped') return
    this.#paused = true
    this.#connection?.abort()
    this.#wakeWaiter?.()
    this.#setState({ state: 'paused' })
  }

  resume(): void {
    if (!this.#paused) return
    this.#paused = false
    this.#resumeWaiter?.()
  }

  /** Stops for good; resolves when the connection is closed and pending work is done. */
  async stop(): Promise<void> {
    this.#lifetime.abort()
    this.#connection?.abort()
    this.#resumeWaiter?.()
    this.#wakeWaiter?.()
    if (this.#settleTimer) clearTimeout(this.#settleTimer)
    await this.#loop?.catch(() => undefined)
    await this.#work.catch(() => undefined)
    this.#setState({ state: 'stopped' })
  }

  /** Resolves once the stream is idle: nothing pending and no check in flight. For tests and the CLI. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0 || this.#settleTimer) {
      if (this.#settleTimer) {
        clearTimeout(this.#settleTimer)
        this.#settleTimer = null
        this.#enqueue(() => this.#flushPending())
      }
      await this.#work
    }
    await this.#work
  }

  // ---- history and catch-up from the paginated query ----

  async #loadHistory(): Promise<void> {
    const want = this.#o.history ?? 1_000_000
    if (this.#lastSeq !== null) {
      await this.#catchUp()
      return
    }
    if (want === 0) {
      // Live only: the newest stored event is the baseline, so nothing after it is missed.
      const page = await fetchEventPage(this.#o.backend, this.#o.tenantId, { limit: 1 })
      const newest = this.#validItems(page.items)[0]
      this.#lastSeq = newest ? newest.seq : 0
      return
    }
    const events = await this.#fetchRange(null, null, want)
    this.#deliver(events, new Set())
    if (this.#lastSeq === null) this.#lastSeq = 0
  }

  /** Everything the query has after the last delivered seq. */
  async #catchUp(): Promise<void> {
    // History never loaded (the backend was down at start): load it now, within its bound.
    if (this.#lastSeq === null) {
      await this.#loadHistory()
      return
    }
    const events = await this.#fetchRange(this.#lastSeq, null, Infinity)
    const gaps = new Set(events.map((e) => e.seq))
    this.#deliver(events, gaps)
  }

  /**
   * Events with after < seq < before (null = unbounded), newest-first pages, returned in
   * ascending order; at most `max` of the newest.
   */
  async #fetchRange(
    after: number | null,
    before: number | null,
    max: number,
  ): Promise<ProvisioningEvent[]> {
    const out: ProvisioningEvent[] = []
    let cursor: string | undefined = before === null ? undefined : String(before)
    const limit = this.#o.pageLimit ?? 500
    for (;;) {
      const page = await fetchEventPage(this.#o.backend, this.#o.tenantId, { cursor, limit })
      let reachedFloor = false
      for (const item of page.items) {
        const seq = (item as { seq?: unknown } | null)?.seq
        if (typeof seq === 'number' && after !== null && seq <= after) {
          reachedFloor = true
          break
        }
        const parsed = provisioningEventSchema.safeParse(item)
        if (parsed.success) out.push(parsed.data)
        else
          this.#reportMalformed(
            typeof seq === 'number' ? seq : undefined,
            'the paginated query',
            parsed.error.issues[0]?.message,
          )
        if (out.length >= max) {
          reachedFloor = true
          break
        }
      }
      if (reachedFloor || !page.nextCursor || page.items.length === 0) break
      cursor = page.nextCursor
    }
    out.sort((a, b) => a.seq - b.seq)
    return out
  }

  #validItems(items: unknown[]): ProvisioningEvent[] {
    const out: ProvisioningEvent[] = []
    for (const item of items) {
      const parsed = provisioningEventSchema.safeParse(item)
      if (parsed.success) out.push(parsed.data)
    }
    return out
  }

  // ---- the connection loop ----

  async #run(): Promise<void> {
    let attempt = 0
    const life = this.#lifetime.signal
    while (!life.aborted) {
      if (this.#paused) {
        await new Promise<void>((resolve) => (this.#resumeWaiter = resolve))
        this.#resumeWaiter = null
        if (life.aborted) break
        this.#setState({ state: 'connecting' })
      }
      const connection = new AbortController()
      this.#connection = connection
      const signal = AbortSignal.any([connection.signal, life])
      let reason = 'the stream ended'
      try {
        const body = await openEventStream(this.#o.backend, this.#o.tenantId, this.#lastSeq, signal)
        // The catch-up runs in the serialized queue, so stream batches wait behind it.
        const catchUp = this.#enqueue(() => this.#catchUp())
        await catchUp
        if (attempt > 0)
          this.#notice(
            'stream.resumed',
            `Reconnected after ${attempt} attempt${attempt === 1 ? '' : 's'}; resumed after seq ${this.#lastSeq}.`,
          )
        attempt = 0
        this.#setState({ state: 'live', since: new Date().toISOString() })
        await this.#read(body, connection)
      } catch (err) {
        if (isFatal(err)) {
          this.#setState({ state: 'stopped', reason: (err as AppError).message })
          this.#notice(
            'stream.error',
            `${(err as AppError).message} ${(err as AppError).hint ?? ''}`.trim(),
          )
          return
        }
        reason = describe(err)
      } finally {
        this.#connection = null
      }
      if (life.aborted || this.#paused) continue
      attempt += 1
      this.stats.reconnects += 1
      const delay = backoffDelay(attempt, this.#backoff, this.#o.random)
      this.#setState({
        state: 'reconnecting',
        attempt,
        nextAttemptAt: new Date(Date.now() + delay).toISOString(),
        reason,
      })
      await this.#sleep(delay)
    }
  }

  async #read(body: ReadableStream<Uint8Array>, connection: AbortController): Promise<void> {
    const idleMs = this.#o.idleTimeoutMs ?? 45_000
    let lastActivity = Date.now()
    const watchdog = setInterval(
      () => {
        if (Date.now() - lastActivity > idleMs)
          connection.abort(new Error(`no data or heartbeat for ${idleMs} ms`))
      },
      Math.max(50, Math.min(5_000, idleMs / 4)),
    )
    const parser = new SseParser({
      message: (msg) => this.#onMessage(msg.event, msg.data, msg.id),
      comment: () => undefined,
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

  #onMessage(type: string, data: string, id: string | undefined): void {
    if (type !== 'provisioning' && type !== 'message') return
    const idSeq = id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined
    let json: unknown
    try {
      json = JSON.parse(data)
    } catch {
      this.#reportMalformed(idSeq, 'the stream', 'the data is not JSON')
      return
    }
    const parsed = provisioningEventSchema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      this.#reportMalformed(
        idSeq,
        'the stream',
        issue ? `${issue.path.join('.') || 'event'}: ${issue.message}` : undefined,
      )
      return
    }
    const event = parsed.data
    if (idSeq !== undefined && idSeq !== event.seq) {
      this.#reportMalformed(
        idSeq,
        'the stream',
        `its id (${idSeq}) differs from its seq (${event.seq})`,
      )
      return
    }
    if (this.#lastSeq !== null && event.seq <= this.#lastSeq) {
      this.stats.duplicates += 1
      return
    }
    if (this.#pending.has(event.seq)) {
      this.stats.duplicates += 1
      return
    }
    this.#pending.set(event.seq, event)
    if (this.#o.verifyBatches === false) {
      this.#enqueue(() => this.#flushPending())
    } else if (!this.#settleTimer) {
      this.#settleTimer = setTimeout(() => {
        this.#settleTimer = null
        this.#enqueue(() => this.#flushPending())
      }, this.#o.settleMs ?? 200)
    }
  }

  async #flushPending(): Promise<void> {
    if (this.#pending.size === 0) return
    const batch = [...this.#pending.values()].sort((a, b) => a.seq - b.seq)
    this.#pending = new Map()
    if (this.#o.verifyBatches === false) {
      this.#deliver(batch, new Set())
      return
    }
    const top = batch[batch.length - 1]!.seq
    let checked: ProvisioningEvent[]
    try {
      checked = await this.#fetchRange(this.#lastSeq, top + 1, Infinity)
    } catch (err) {
      // Keep the batch: the next flush (or the catch-up after a reconnect) checks it again.
      for (const e of batch)
        if (this.#lastSeq === null || e.seq > this.#lastSeq) this.#pending.set(e.seq, e)
      if (!this.#lifetime.signal.aborted && !this.#settleTimer) {
        this.#settleTimer = setTimeout(() => {
          this.#settleTimer = null
          this.#enqueue(() => this.#flushPending())
        }, 1_000)
      }
      if (!this.#lifetime.signal.aborted)
        this.#notice(
          'stream.error',
          `Could not check the latest events against the log yet: ${describe(err)}.`,
        )
      return
    }
    const streamed = new Set(batch.map((e) => e.seq))
    const merged = new Map<number, ProvisioningEvent>()
    for (const e of batch) merged.set(e.seq, e)
    const gaps = new Set<number>()
    for (const e of checked) {
      if (!streamed.has(e.seq)) gaps.add(e.seq)
      merged.set(e.seq, e)
    }
    this.#deliver(
      [...merged.values()].sort((a, b) => a.seq - b.seq),
      gaps,
    )
  }

  /** The only place events leave: ascending, above the resume point, each once. */
  #deliver(events: ProvisioningEvent[], gaps: Set<number>): void {
    const fresh: ProvisioningEvent[] = []
    for (const e of events) {
      if (this.#lastSeq !== null && e.seq <= this.#lastSeq) {
        this.stats.duplicates += 1
        continue
      }
      fresh.push(e)
      this.#lastSeq = e.seq
      this.#pending.delete(e.seq)
    }
    if (fresh.length === 0) return
    const filled = fresh.filter((e) => gaps.has(e.seq)).map((e) => e.seq)
    this.stats.delivered += fresh.length
    this.#o.onEvents(fresh)
    if (filled.length > 0 && this.#state.state === 'live') {
      this.stats.gapFilled += filled.length
      this.#notice(
        'stream.gap_filled',
        `${filled.length} event${filled.length === 1 ? ' was' : 's were'} missing from the stream and recovered from the log.`,
        filled,
      )
    } else if (filled.length > 0) {
      this.stats.gapFilled += filled.length
    }
  }

  #reportMalformed(seq: number | undefined, where: string, why: string | undefined): void {
    if (seq !== undefined) {
      if (this.#malformedSeqs.has(seq)) return
      this.#malformedSeqs.add(seq)
    }
    this.stats.malformed += 1
    const which = seq === undefined ? 'An event without a usable id' : `Event ${seq}`
    this.#notice(
      'stream.malformed',
      redactString(
        `${which} from ${where} was skipped because it is malformed${why ? ` (${why})` : ''}. The rest of the log is unaffected.`,
      ),
      seq === undefined ? undefined : [seq],
    )
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.#work.then(task)
    // The queue itself must survive a failed task; the caller still sees the failure.
    this.#work = next.catch(() => undefined)
    return next
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.#wakeWaiter = done
    })
  }

  #setState(state: StreamState): void {
    this.#state = state
    this.#o.onState?.(state)
  }

  #notice(kind: StreamNotice['kind'], message: string, seqs?: number[]): void {
    this.#o.onNotice?.({ kind, message, ...(seqs ? { seqs } : {}), time: new Date().toISOString() })
  }
}

function isFatal(err: unknown): boolean {
  if (!(err instanceof AppError)) return false
  if (err.code === 'backend.unauthorized') return true
  const status = (err.details as { status?: number } | undefined)?.status
  return err.code === 'backend.http_error' && (status === 404 || status === 400)
}

function describe(err: unknown): string {
  if (err instanceof AppError) return err.message
  if (err instanceof Error) return err.message
  return String(err)
}
