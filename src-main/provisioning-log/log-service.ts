import { createAdminClient, type AdminClient } from '../backend/admin-client.ts'
import { AppError } from '../../src-shared/errors.ts'
import type { UserStoryView } from '../../src-shared/provisioning-diagnosis.ts'
import type {
  EventFilter,
  ProvisioningEvent,
  StreamNotice,
  StreamState,
} from '../../src-shared/provisioning-event.ts'
import { diagnose } from './diagnosis.ts'
import { EventBodies, isUnavailableNote } from './event-bodies.ts'
import { EventIndex, type IndexPage, type IndexQuery, type IndexStats } from './event-index.ts'
import { ProvisioningEventStream, type EventStreamOptions } from './event-stream.ts'
import type { LogBackend } from './events-api.ts'
import { curlCommand, exportChunksAsync, type ExportFormat } from './export.ts'
import { buildUserStory } from './user-story.ts'

/**
 * The provisioning log of one tenant as main holds it: the live stream feeding the bounded index,
 * and the questions asked of it (a page of the table, one user's story and diagnosis, exports).
 * The Electron handlers and the CLI are thin layers over this.
 */

export const DEFAULT_HISTORY = 100_000
/** A story's newest events whose dropped bodies are read back for the diagnosis and timeline. */
const STORY_BODIES = 500

export interface ProvisioningLogOptions {
  adminBaseUrl: string
  adminKey: string
  tenantId: string
  /** Index capacity (default 1,000,000 events; the oldest are evicted). */
  capacity?: number
  /**
   * Bytes of request/response bodies kept in memory for the newest events (default 128 MB;
   * Infinity for no bound). Older events keep their summary; their bodies are read back from
   * the backend when a detail, curl, export or story needs them.
   */
  bodyBudget?: number
  /**
   * Events loaded from history on start (default 100,000 — the reference backend's per-tenant
   * retention — or the capacity if smaller); the index then grows to its capacity live.
   */
  history?: number
  /** The tenant's SCIM base URL for HAR and curl; looked up from the backend when absent. */
  scimBaseUrl?: string
  fetch?: typeof fetch
  onEvents?(events: ProvisioningEvent[]): void
  onState?(state: StreamState): void
  onNotice?(notice: StreamNotice): void
  /** Passed through to the stream (backoff, idle timeout, settle window) — tests tune these. */
  stream?: Partial<
    Pick<EventStreamOptions, 'backoff' | 'idleTimeoutMs' | 'settleMs' | 'pageLimit' | 'live'>
  >
}

export interface UserStoryResult extends UserStoryView {
  /** The user's events for the timeline come from `events`; this is the index they came from. */
  indexed: number
}

export class ProvisioningLog {
  readonly index: EventIndex
  readonly client: AdminClient
  readonly tenantId: string
  readonly #stream: ProvisioningEventStream
  readonly #bodies: EventBodies
  #scimBaseUrl: string | undefined

  constructor(options: ProvisioningLogOptions) {
    this.tenantId = options.tenantId
    this.index = new EventIndex({
      ...(options.capacity !== undefined ? { capacity: options.capacity } : {}),
      ...(options.bodyBudget !== undefined ? { bodyBudget: options.bodyBudget } : {}),
    })
    this.client = createAdminClient({
      baseUrl: options.adminBaseUrl,
      adminKey: options.adminKey,
      ...(options.fetch ? { fetch: (request: Request) => options.fetch!(request) } : {}),
    })
    this.#scimBaseUrl = options.scimBaseUrl
    const backend: LogBackend = {
      client: this.client,
      adminKey: options.adminKey,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }
    this.#bodies = new EventBodies({ backend, tenantId: options.tenantId, index: this.index })
    this.#stream = new ProvisioningEventStream({
      ...options.stream,
      backend,
      tenantId: options.tenantId,
      history: options.history ?? Math.min(this.index.capacity, DEFAULT_HISTORY),
      onEvents: (events) => {
        this.index.insertMany(events)
        options.onEvents?.(events)
      },
      ...(options.onState ? { onState: options.onState } : {}),
      ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    })
  }

  get state(): StreamState {
    return this.#stream.state
  }

  get streamStats(): ProvisioningEventStream['stats'] {
    return this.#stream.stats
  }

  /** Loads history and goes live; resolves once history is in the index. */
  start(): Promise<void> {
    return this.#stream.start()
  }

  pause(): void {
    this.#stream.pause()
  }

  resume(): void {
    this.#stream.resume()
  }

  stop(): Promise<void> {
    return this.#stream.stop()
  }

  /** Resolves when every event received so far is in the index. */
  settled(): Promise<void> {
    return this.#stream.settled()
  }

  query(q: IndexQuery): IndexPage {
    return this.index.query(q)
  }

  stats(): IndexStats {
    return this.index.stats()
  }

  /** The event's summary as the index holds it (its bodies are absent when dropped). */
  event(seq: number): ProvisioningEvent | undefined {
    return this.index.getBySeq(seq)
  }

  /**
   * The whole event for the detail view: bodies the index dropped are read back from the
   * backend; if it no longer has them (retention), the bodies say so instead.
   */
  async eventDetail(seq: number): Promise<ProvisioningEvent | undefined> {
    const event = this.index.getBySeq(seq)
    return event ? (await this.#bodies.complete([event]))[0] : undefined
  }

  /** Every event matching the filter with its bodies, oldest first, read a page at a time. */
  async *events(filter: EventFilter = {}): AsyncGenerator<ProvisioningEvent> {
    let batch: ProvisioningEvent[] = []
    for (const e of this.index.iterate(filter)) {
      batch.push(e)
      if (batch.length === 500) {
        yield* await this.#bodies.complete(batch)
        batch = []
      }
    }
    if (batch.length > 0) yield* await this.#bodies.complete(batch)
  }

  async userStory(query: string): Promise<UserStoryResult> {
    if (query.trim() === '') {
      throw new AppError(
        'log.bad_input',
        'Give a userName, email, external id or SCIM id to look for.',
      )
    }
    const story = await buildUserStory({
      index: this.index,
      query,
      tenantId: this.tenantId,
      client: this.client,
    })
    // The diagnosis reads what was sent (a 409's userName), so the evidence gets its bodies; the
    // newest events only, so a very busy user costs a few queries, not one per old event.
    const cut = Math.max(0, story.events.length - STORY_BODIES)
    story.events = [
      ...story.events.slice(0, cut),
      ...(await this.#bodies.complete(story.events.slice(cut))),
    ]
    return {
      query: story.query,
      identity: story.identity,
      events: story.events,
      current: story.current,
      diagnosis: diagnose(story),
      indexed: this.index.size,
    }
  }

  async scimBaseUrl(): Promise<string | undefined> {
    if (this.#scimBaseUrl === undefined) {
      try {
        this.#scimBaseUrl = (await this.client.getScim(this.tenantId)).baseUrl
      } catch {
        // Exports then carry a placeholder host; the paths are still right.
      }
    }
    return this.#scimBaseUrl
  }

  async *export(filter: EventFilter, format: ExportFormat): AsyncGenerator<string> {
    const scimBaseUrl = await this.scimBaseUrl()
    yield* exportChunksAsync(this.events(filter), format, scimBaseUrl ? { scimBaseUrl } : {})
  }

  async curl(seq: number): Promise<string> {
    const event = await this.eventDetail(seq)
    if (!event) {
      throw new AppError('log.event_not_found', `Event ${seq} is not in the loaded log.`, {
        hint: 'It may have been evicted; filter the log and pick a listed event.',
      })
    }
    if (
      event.method !== 'GET' &&
      event.method !== 'DELETE' &&
      this.index.bodiesHeld(seq) === false &&
      isUnavailableNote(event.requestBody)
    ) {
      throw new AppError(
        'log.event_not_found',
        `The request body of event ${seq} is no longer available, so it cannot be copied as curl.`,
        {
          hint: "The backend's retention has pruned it and the console kept only its summary; raise the log's body budget to keep more bodies in memory.",
        },
      )
    }
    const scimBaseUrl = await this.scimBaseUrl()
    return curlCommand(event, scimBaseUrl ? { scimBaseUrl } : {})
  }
}
