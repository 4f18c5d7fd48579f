import type { AppError } from '../../src-shared/errors.ts'
import type {
  ProvisioningEvent,
  StreamNotice,
  StreamState,
} from '../../src-shared/provisioning-event.ts'
import { redactString } from '../../src-shared/redact.ts'
import type { EventStreamOptions, EventStreamStats } from './event-stream-options.ts'
import { fetchEventRange, unrecoverableInGap, type RangeQuery } from './event-range.ts'
import { fetchEventPage, openEventStream } from './events-api.ts'
import { parseStreamMessage, readSseBody } from './stream-reader.ts'
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  describeFailure,
  isFatal,
  type BackoffOptions,
} from './stream-reconnect.ts'

export { backoffDelay, type BackoffOptions } from './stream-reconnect.ts'
export type { EventStreamOptions, EventStreamStats } from './event-stream-options.ts'

/**
 * The live provisioning event feed of one tenant: history from the paginated query, then the SSE
 * stream with Last-Event-ID resume. Consumers get every event exactly once and in sequence order.
 *
 * The backend numbers each tenant's events 1, 2, 3, ... without gaps, so a stream event whose seq
 * is above lastSeq + 1 means events were missed: they are read from the paginated query and
 * delivered first (`stream.gap_filled`). What the query no longer has is reported, not waited
 * for: below its oldest retained event it was pruned by retention; between retained events it is
 * lost. A (re)connect resumes with Last-Event-ID and the backend replays from there.
 *
 * The pieces: stream-reconnect.ts (backoff, fatal failures), stream-reader.ts (the SSE body and
 * its messages), event-range.ts (history and gap fill from the paginated query).
 */

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
  readonly #range: RangeQuery
  readonly stats: EventStreamStats = {
    delivered: 0,
    duplicates: 0,
    malformed: 0,
    gapFilled: 0,
    reconnects: 0,
  }

  constructor(options: EventStreamOptions) {
    this.#o = options
    this.#range = {
      backend: options.backend,
      tenantId: options.tenantId,
      pageLimit: options.pageLimit,
      onMalformed: (seq, why) => this.#reportMalformed(seq, 'the paginated query', why),
    }
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
      this.#notice(
        'stream.error',
        `Could not load the history yet: ${describeFailure(err)}. Retrying.`,
      )
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
        const { events } = await fetchEventRange(this.#range, this.#lastSeq, null, Infinity)
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
    const { events } = await fetchEventRange(this.#range, null, null, want)
    this.#deliver(events, new Set())
    if (this.#lastSeq === null) this.#lastSeq = 0
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
        reason = describeFailure(err)
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

  #read(body: ReadableStream<Uint8Array>, connection: AbortController): Promise<void> {
    return readSseBody(
      body,
      connection,
      this.#o.idleTimeoutMs ?? 45_000,
      (type, data, id) => this.#onMessage(type, data, id),
      (what, limit) =>
        this.#notice(
          'stream.malformed',
          `The stream sent ${what === 'line' ? 'a line' : 'an event'} over ${Math.round(limit / 1024 / 1024)} MB; it was dropped, and the event is read back from the paginated query.`,
        ),
    )
  }

  #onMessage(type: string, data: string, id: string | undefined): void {
    const message = parseStreamMessage(type, data, id)
    if (message.kind === 'ignored') return
    if (message.kind === 'malformed') {
      this.#reportMalformed(message.seq, 'the stream', message.why)
      return
    }
    const event = message.event
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
    const found = await fetchEventRange(this.#range, after, before, Infinity)
    this.#deliver(found.events, new Set(found.events.map((e) => e.seq)))
    for (const n of unrecoverableInGap(after, before, found, this.#malformedSeqs))
      this.#notice('stream.error', n.message, n.seqs)
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
        `Could not load events the stream skipped yet: ${describeFailure(err)}. Retrying.`,
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
