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
import { EventIndex, type IndexPage, type IndexQuery, type IndexStats } from './event-index.ts'
import { ProvisioningEventStream, type EventStreamOptions } from './event-stream.ts'
import type { LogBackend } from './events-api.ts'
import { curlCommand, exportChunks, type ExportFormat } from './export.ts'
import { buildUserStory } from './user-story.ts'

/**
 * The provisioning log of one tenant as main holds it: the live stream feeding the bounded index,
 * and the questions asked of it (a page of the table, one user's story and diagnosis, exports).
 * The Electron handlers and the CLI are thin layers over this.
 */

export const DEFAULT_HISTORY = 100_000

export interface ProvisioningLogOptions {
  adminBaseUrl: string
  adminKey: string
  tenantId: string
  /** Index capacity (default 1,000,000 events; the oldest are evicted). */
  capacity?: number
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
  #scimBaseUrl: string | undefined

  constructor(options: ProvisioningLogOptions) {
    this.tenantId = options.tenantId
    this.index = new EventIndex({ capacity: options.capacity })
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

  event(seq: number): ProvisioningEvent | undefined {
    return this.index.getBySeq(seq)
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
    yield* exportChunks(this.index.iterate(filter), format, scimBaseUrl ? { scimBaseUrl } : {})
  }

  async curl(seq: number): Promise<string> {
    const event = this.index.getBySeq(seq)
    if (!event) {
      throw new AppError('log.event_not_found', `Event ${seq} is not in the loaded log.`, {
        hint: 'It may have been evicted; filter the log and pick a listed event.',
      })
    }
    const scimBaseUrl = await this.scimBaseUrl()
    return curlCommand(event, scimBaseUrl ? { scimBaseUrl } : {})
  }
}
