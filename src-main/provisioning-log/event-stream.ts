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
 * The backend numbers each tenant's events 1, 2, 3, ... without gaps, so a stream event whose seq
 * is above lastSeq + 1 means events were missed: they are read from the paginated query and
 * delivered first (`stream.gap_filled`). What the query no longer has is reported, not waited
 * for: below its oldest retained event it was pruned by retention; between retained events it is
 * lost. A (re)connect resumes with Last-Event-ID and the backend replays from there.
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
  /**
   * How long stream events are collected into one delivery (default 0: what one network read
   * brought is one delivery).
   */
  settleMs?: number
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
  #flushQueued = false
  #flushFailing = false
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
    while (this.#pending.size > 0 || this.#settleTimer || this.#flushQueued) {
      if (this.#settleTimer) {
        clearTimeout(this.#settleTimer)
        this.#settleTimer = null
        this.#queueFlush()
      }
      await this.#work
      if (this.#lifetime.signal.aborted) break
    }
    await this.#work
  }

  // ---- history and catch-up from the paginated query ----

  async #loadHistory(): Promise<void> {
    const want = this.#o.history ?? 1_000_000
    if (this.#lastSeq !== null) {
      // Resuming after a known seq: the stream's replay brings the rest, unless there is no stream.
      if (this.#o.live === false) {
        const { events } = await this.#fetchRange(this.#lastSeq, null, Infinity)
        this.#deliver(events, new Set())
      }
      return
    }
    if (want === 0) {
      // Live only: the newest stored event is the baseline, so nothing after it is missed.
      const page = await fetchEventPage(this.#o.backend, this.#o.tenantId, { limit: 1 })
      // Only the number matters here, so even a malformed newest event sets the baseline.
      const seq = (page.items[0] as { seq?: unknown } | undefined)?.seq
      this.#lastSeq = typeof seq === 'number' ? seq : 0
      return
    }
    const { events } = await this.#fetchRange(null, null, want)
    this.#deliver(events, new Set())
    if (this.#lastSeq === null) this.#lastSeq = 0
  }

  /**
   * Events with after < seq < before (null = unbounded), newest-first pages, returned in
   * ascending order; at most `max` of the newest. `reachedFloor`: the query went down to `after`
   * itself (so whatever is missing in between is not merely older than its oldest event).
   */
  async #fetchRange(
    after: number | null,
    before: number | null,
    max: number,
  ): Promise<{ events: ProvisioningEvent[]; reachedFloor: boolean }> {
    const out: ProvisioningEvent[] = []
    let cursor: string | undefined = before === null ? undefined : String(before)
    // A gap needs at most its own size plus the floor event: one small page in the usual case.
    const span = after !== null && before !== null ? before - after : Infinity
    const limit = Math.min(this.#o.pageLimit ?? 500, span)
    let floor = false
    for (;;) {
      const page = await fetchEventPage(this.#o.backend, this.#o.tenantId, { cursor, limit })
      let reachedFloor = false
      for (const item of page.items) {
        const seq = (item as { seq?: unknown } | null)?.seq
        if (typeof seq === 'number' && after !== null && seq <= after) {
          reachedFloor = true
          floor = true
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
    return { events: out, reachedFloor: floor }
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
        // History never loaded (the backend was down at start): load it first, within its bound,
        // so the stream resumes right after it.
        if (this.#lastSeq === null) await this.#enqueue(() => this.#loadHistory())
        const body = await openEventStream(this.#o.backend, this.#o.tenantId, this.#lastSeq, signal)
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
    const wait = this.#o.settleMs ?? 0
    if (wait <= 0) this.#queueFlush()
    else if (!this.#settleTimer && !this.#flushQueued) {
      this.#settleTimer = setTimeout(() => {
        this.#settleTimer = null
        this.#queueFlush()
      }, wait)
    }
  }

  /** One flush in the queue at a time; it takes whatever is pending when it runs. */
  #queueFlush(): void {
    if (this.#flushQueued) return
    this.#flushQueued = true
    this.#enqueue(async () => {
      this.#flushQueued = false
      await this.#flushPending()
    })
  }

  async #flushPending(): Promise<void> {
    if (this.#pending.size === 0) return
    const batch = [...this.#pending.values()].sort((a, b) => a.seq - b.seq)
    this.#pending = new Map()
    let run: ProvisioningEvent[] = []
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!
      const before = run.length > 0 ? run[run.length - 1]!.seq : this.#lastSeq
      if (before !== null && e.seq > before + 1) {
        this.#deliver(run, new Set())
        run = []
        try {
          await this.#fillGap(before, e.seq)
        } catch (err) {
          this.#retryLater(batch.slice(i), err)
          return
        }
      }
      run.push(e)
    }
    this.#deliver(run, new Set())
    this.#flushFailing = false
  }

  /**
   * Delivers what the query has of after < seq < before, and reports what it has not: pruned
   * (older than the oldest event it still holds) or lost. Known-malformed seqs are already
   * reported. Never waits: the event at `before` follows at once.
   */
  async #fillGap(after: number, before: number): Promise<void> {
    const { events, reachedFloor } = await this.#fetchRange(after, before, Infinity)
    const found = new Set(events.map((e) => e.seq))
    this.#deliver(events, found)
    // With the floor reached everything in range that the query lacks is lost; otherwise the log
    // ends above `after`, and what lies below its oldest event in range went to retention.
    const retainedFrom = reachedFloor ? after + 1 : (events[0]?.seq ?? before)
    let pruned = 0
    for (let s = after + 1; s < retainedFrom; s++) if (!this.#malformedSeqs.has(s)) pruned += 1
    const lost: number[] = []
    for (let s = retainedFrom; s < before; s++)
      if (!found.has(s) && !this.#malformedSeqs.has(s)) lost.push(s)
    if (pruned > 0) {
      const range =
        retainedFrom - 1 === after + 1 ? `${after + 1}` : `${after + 1}–${retainedFrom - 1}`
      this.#notice(
        'stream.error',
        `${pruned} event${pruned === 1 ? ' was' : 's were'} (seq ${range}) missed by the stream and already removed by the backend's retention, so they cannot be shown. Later events are complete.`,
        pruned <= 1000 ? seqRange(after + 1, retainedFrom - 1) : undefined,
      )
    }
    if (lost.length > 0) {
      this.#notice(
        'stream.error',
        `${lost.length} event${lost.length === 1 ? ' is' : 's are'} missing from both the stream and the backend's log (seq ${lost.slice(0, 10).join(', ')}${lost.length > 10 ? ', …' : ''}); the backend lost them. Later events are complete.`,
        lost.slice(0, 1000),
      )
    }
  }

  /** Keeps the events for the next try (or the replay after a reconnect) and says so once. */
  #retryLater(events: ProvisioningEvent[], err: unknown): void {
    for (const e of events)
      if (this.#lastSeq === null || e.seq > this.#lastSeq) this.#pending.set(e.seq, e)
    if (!this.#lifetime.signal.aborted && !this.#settleTimer) {
      this.#settleTimer = setTimeout(() => {
        this.#settleTimer = null
        this.#queueFlush()
      }, 1_000)
    }
    // Once per failure streak: the connection state already tells the person it is down.
    if (!this.#lifetime.signal.aborted && !this.#flushFailing) {
      this.#notice(
        'stream.error',
        `Could not load events the stream skipped yet: ${describe(err)}. Retrying.`,
      )
    }
    this.#flushFailing = true
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

function seqRange(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)
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
