import type { LogRow } from '../../src-shared/channels/log.ts'
import { AppError } from '../../src-shared/errors.ts'
import type {
  EventFilter,
  ProvisioningEvent,
  StreamState,
} from '../../src-shared/provisioning-event.ts'
import { redact } from '../../src-shared/redact.ts'
import type { UserStoryView } from '../../src-shared/provisioning-diagnosis.ts'
import type { BackendAccess } from '../connections/backend-access.ts'
import type { RendererEvents } from '../renderer-events.ts'
import type { IndexQuery } from './event-index.ts'
import type { ExportFormat } from './export.ts'
import { ProvisioningLog } from './log-service.ts'
import { exportFile, requestHeaders, toRow, type ExportFile } from './log-views.ts'

/**
 * The log screen's service: one live ProvisioningLog per process, for the tenant the person is
 * looking at. Opening another tenant stops the previous stream (one screen shows one tenant, and
 * each open log holds an index of up to a million events). New events, state changes and notices
 * go to the renderer as `log.event`, `log.state` and `log.notice`.
 */

/** How often new events are announced to the renderer: a busy tenant must not flood it. */
export const EVENT_BATCH_MS = 150

export interface LogTarget {
  connection: string
  tenantId: string
}

interface OpenLog {
  log: ProvisioningLog
  /** History loaded, and the stream past `connecting` (live, reconnecting, paused or stopped). */
  started: Promise<void>
}

export interface LogRegistryOptions {
  access: () => Promise<BackendAccess>
  events?: RendererEvents
  batchMs?: number
  /** Index capacity per log (tests shrink it). */
  capacity?: number
}

export class LogRegistry {
  readonly #opts: LogRegistryOptions
  #current: { key: string; opening: Promise<OpenLog> } | undefined

  constructor(opts: LogRegistryOptions) {
    this.#opts = opts
  }

  /** The tenant's log, started once (history loaded); concurrent callers share the start. */
  async get(target: LogTarget): Promise<ProvisioningLog> {
    const key = `${target.connection}\u0000${target.tenantId}`
    if (this.#current?.key !== key) {
      const previous = this.#current
      const opening = (async () => {
        await stopEntry(previous)
        const open = await this.#open(target)
        await open.started
        return open
      })()
      this.#current = { key, opening }
    }
    const entry = this.#current!
    try {
      const { log } = await entry.opening
      // A stream that gave up (tenant deleted, key revoked) is reopened by the next call.
      if (log.state.state === 'stopped' && this.#current === entry) this.#current = undefined
      return log
    } catch (err) {
      if (this.#current === entry) this.#current = undefined
      throw err
    }
  }

  /** Stops the open stream and its announcement timer; the app calls it on quit. */
  async closeAll(): Promise<void> {
    const entry = this.#current
    this.#current = undefined
    await stopEntry(entry)
  }

  async open(target: LogTarget): Promise<{ state: StreamState; size: number; capacity: number }> {
    const log = await this.get(target)
    return { state: log.state, size: log.index.size, capacity: log.index.capacity }
  }

  async pause(target: LogTarget): Promise<{ state: StreamState }> {
    const log = await this.get(target)
    log.pause()
    return { state: log.state }
  }

  async resume(target: LogTarget): Promise<{ state: StreamState }> {
    const log = await this.get(target)
    log.resume()
    return { state: log.state }
  }

  async query(
    target: LogTarget,
    q: IndexQuery,
  ): Promise<{ total: number; offset: number; size: number; rows: LogRow[] }> {
    const log = await this.get(target)
    const page = log.query(q)
    return {
      total: page.total,
      offset: page.offset,
      size: log.index.size,
      rows: page.events.map(toRow),
    }
  }

  /** One event for the detail view, redacted, with the headers every SCIM request carries. */
  async eventDetail(
    target: LogTarget,
    seq: number,
  ): Promise<{
    event: ProvisioningEvent
    scimBaseUrl: string | null
    requestHeaders: Array<{ name: string; value: string }>
  }> {
    const log = await this.get(target)
    const event = await log.eventDetail(seq)
    if (!event) {
      throw new AppError('log.event_not_found', `Event ${seq} is not in the loaded log.`, {
        hint: 'It may have been evicted; filter the log and pick a listed event.',
      })
    }
    return {
      event: redact(event),
      scimBaseUrl: (await log.scimBaseUrl()) ?? null,
      requestHeaders: requestHeaders(event),
    }
  }

  async curl(target: LogTarget, seq: number): Promise<{ command: string }> {
    return { command: await (await this.get(target)).curl(seq) }
  }

  async export(target: LogTarget, filter: EventFilter, format: ExportFormat): Promise<ExportFile> {
    return exportFile(await this.get(target), filter, format)
  }

  async userStory(target: LogTarget, query: string): Promise<UserStoryView> {
    const log = await this.get(target)
    await log.settled()
    const { indexed: _indexed, ...story } = await log.userStory(query)
    return redact(story)
  }

  async #open(target: LogTarget): Promise<OpenLog> {
    const access = await this.#opts.access()
    const resolved = await access.resolve(target.connection)
    const events = this.#opts.events
    const batchMs = this.#opts.batchMs ?? EVENT_BATCH_MS
    let pending = 0
    let newestSeq: number | null = null
    let timer: ReturnType<typeof setTimeout> | undefined
    let leftConnecting = (): void => undefined
    const left = new Promise<void>((resolve) => (leftConnecting = resolve))
    const flush = (): void => {
      timer = undefined
      if (pending === 0) return
      events?.emit('log.event', { ...target, added: pending, newestSeq, size: log.index.size })
      pending = 0
    }
    const log: ProvisioningLog = new ProvisioningLog({
      adminBaseUrl: resolved.adminBaseUrl,
      adminKey: resolved.adminKey,
      tenantId: target.tenantId,
      ...(this.#opts.capacity ? { capacity: this.#opts.capacity } : {}),
      onEvents: (added) => {
        pending += added.length
        newestSeq = added.at(-1)?.seq ?? newestSeq
        if (timer === undefined) {
          timer = setTimeout(flush, batchMs)
          // A pending announcement must not keep a closing process alive.
          timer.unref?.()
        }
      },
      onState: (state) => {
        if (state.state !== 'connecting') leftConnecting()
        events?.emit('log.state', { ...target, state })
      },
      onNotice: (notice) => events?.emit('log.notice', { ...target, notice: redact(notice) }),
    })
    // The renderer subscribes to state events while this runs, so `log.open` answers with a
    // state past `connecting` rather than one the renderer may never see superseded.
    const started = Promise.all([log.start(), left]).then(flush)
    // The failure is reported to whoever awaits `get`; this keeps it from being "unhandled".
    started.catch(() => undefined)
    return { log, started }
  }
}

async function stopEntry(entry: { opening: Promise<OpenLog> } | undefined): Promise<void> {
  const open = await entry?.opening.catch(() => undefined)
  await open?.log.stop()
}
