import type { LogRow, logChannels } from '../../src-shared/channels/log.ts'
import { AppError } from '../../src-shared/errors.ts'
import type { EventFilter, ProvisioningEvent } from '../../src-shared/provisioning-event.ts'
import { redact } from '../../src-shared/redact.ts'
import type { RendererEvents } from '../renderer-events.ts'
import { replayUser } from '../harness/replay-user.ts'
import type { MainContext } from '../main-context.ts'
import { exportChunksAsync, type ExportFormat } from '../provisioning-log/export.ts'
import { ProvisioningLog } from '../provisioning-log/log-service.ts'
import type { DomainHandlers, HandlerDeps } from './handler-deps.ts'
import { requireContext } from './require-context.ts'

/**
 * The log screen's channels over one live ProvisioningLog per process: the tenant the person is
 * looking at. Opening another tenant stops the previous stream (one screen shows one tenant, and
 * each open log holds an index of up to a million events).
 */

/** How often new events are announced to the renderer: a busy tenant must not flood it. */
export const EVENT_BATCH_MS = 150
/** An export is built in memory to hand to the renderer; beyond this the CLI is the tool. */
export const EXPORT_MAX_CHARS = 64 * 1024 * 1024

interface Target {
  connection: string
  tenantId: string
}

interface OpenLog {
  log: ProvisioningLog
  /** History loaded, and the stream past `connecting` (live, reconnecting, paused or stopped). */
  started: Promise<void>
}

export interface LogRegistryOptions {
  context: () => MainContext
  hub?: RendererEvents
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
  async get(target: Target): Promise<ProvisioningLog> {
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

  async closeAll(): Promise<void> {
    const entry = this.#current
    this.#current = undefined
    await stopEntry(entry)
  }

  async #open(target: Target): Promise<OpenLog> {
    const access = await this.#opts.context().access()
    const resolved = await access.resolve(target.connection)
    const hub = this.#opts.hub
    const batchMs = this.#opts.batchMs ?? EVENT_BATCH_MS
    let pending = 0
    let newestSeq: number | null = null
    let timer: ReturnType<typeof setTimeout> | undefined
    let leftConnecting = (): void => undefined
    const left = new Promise<void>((resolve) => (leftConnecting = resolve))
    const flush = (): void => {
      timer = undefined
      if (pending === 0) return
      hub?.emit('log.event', { ...target, added: pending, newestSeq, size: log.index.size })
      pending = 0
    }
    const log: ProvisioningLog = new ProvisioningLog({
      adminBaseUrl: resolved.adminBaseUrl,
      adminKey: resolved.adminKey,
      tenantId: target.tenantId,
      ...(this.#opts.capacity ? { capacity: this.#opts.capacity } : {}),
      onEvents: (events) => {
        pending += events.length
        newestSeq = events.at(-1)?.seq ?? newestSeq
        if (timer === undefined) {
          timer = setTimeout(flush, batchMs)
          // A pending announcement must not keep a closing process alive.
          timer.unref?.()
        }
      },
      onState: (state) => {
        if (state.state !== 'connecting') leftConnecting()
        hub?.emit('log.state', { ...target, state })
      },
      onNotice: (notice) => hub?.emit('log.notice', { ...target, notice: redact(notice) }),
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

export function toRow(e: ProvisioningEvent): LogRow {
  return {
    seq: e.seq,
    time: e.time,
    method: e.method,
    path: e.path,
    status: e.status,
    durationMs: e.durationMs,
    resourceType: e.resourceType,
    userName: e.userName,
    outcome: e.outcome,
    errorDetail: e.error ? e.error.detail : null,
  }
}

const FORMAT_FILE: Record<ExportFormat, { ext: string; mimeType: string }> = {
  jsonl: { ext: 'jsonl', mimeType: 'application/x-ndjson' },
  csv: { ext: 'csv', mimeType: 'text/csv' },
  har: { ext: 'har', mimeType: 'application/json' },
}

async function exportText(
  log: ProvisioningLog,
  filter: EventFilter,
  format: ExportFormat,
): Promise<{ text: string; count: number }> {
  const scimBaseUrl = await log.scimBaseUrl()
  let count = 0
  const counted = async function* (): AsyncGenerator<ProvisioningEvent> {
    for await (const e of log.events(filter)) {
      count++
      yield e
    }
  }
  const parts: string[] = []
  let size = 0
  for await (const chunk of exportChunksAsync(
    counted(),
    format,
    scimBaseUrl ? { scimBaseUrl } : {},
  )) {
    size += chunk.length
    if (size > EXPORT_MAX_CHARS) {
      throw new AppError(
        'log.bad_input',
        `The export is larger than ${EXPORT_MAX_CHARS / 1024 / 1024} MB.`,
        {
          hint: 'Narrow the filter (a user, a status class, a time range), or use `scim-console log export`, which streams to a file.',
        },
      )
    }
    parts.push(chunk)
  }
  return { text: parts.join(''), count }
}

function requestHeaders(e: ProvisioningEvent): Array<{ name: string; value: string }> {
  // The backend records no headers; these are the ones every SCIM request carries, and the
  // token shows only as the prefix of its hash (which token, never the token).
  const headers = [
    {
      name: 'Authorization',
      value: `Bearer [REDACTED]${e.tokenHashPrefix ? ` (sha256 ${e.tokenHashPrefix}…)` : ''}`,
    },
    { name: 'Accept', value: 'application/scim+json' },
  ]
  if (e.requestBody !== null && e.requestBody !== undefined)
    headers.push({ name: 'Content-Type', value: 'application/scim+json' })
  return headers
}

export function logHandlers(deps: HandlerDeps): DomainHandlers<typeof logChannels> {
  const registry = new LogRegistry({
    context: () => requireContext(deps),
    ...(deps.hub ? { hub: deps.hub } : {}),
  })
  return createLogHandlers(deps, registry)
}

/** The handlers over a given registry: the renderer benchmark fills its index directly. */
export function createLogHandlers(
  deps: HandlerDeps,
  registry: LogRegistry,
): DomainHandlers<typeof logChannels> {
  deps.context?.onClose(() => registry.closeAll())

  return {
    'log.open': async (target) => {
      const log = await registry.get(target)
      return { state: log.state, size: log.index.size, capacity: log.index.capacity }
    },
    'log.pause': async (target) => {
      const log = await registry.get(target)
      log.pause()
      return { state: log.state }
    },
    'log.resume': async (target) => {
      const log = await registry.get(target)
      log.resume()
      return { state: log.state }
    },
    'log.query': async ({ filter, offset, limit, order, ...target }) => {
      const log = await registry.get(target)
      const page = log.query({ filter, offset, limit, order })
      return {
        total: page.total,
        offset: page.offset,
        size: log.index.size,
        rows: page.events.map(toRow),
      }
    },
    'log.getEvent': async ({ seq, ...target }) => {
      const log = await registry.get(target)
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
    },
    'log.curl': async ({ seq, ...target }) => ({
      command: await (await registry.get(target)).curl(seq),
    }),
    'log.export': async ({ filter, format, ...target }) => {
      const log = await registry.get(target)
      const { text, count } = await exportText(log, filter, format)
      const stamp = new Date().toISOString().replace(/[:.]/g, '-')
      return {
        fileName: `provisioning-log-${target.tenantId}-${stamp}.${FORMAT_FILE[format].ext}`,
        mimeType: FORMAT_FILE[format].mimeType,
        text,
        count,
      }
    },
    'log.userStory': async ({ query, ...target }) => {
      const log = await registry.get(target)
      await log.settled()
      const { indexed: _indexed, ...story } = await log.userStory(query)
      return redact(story)
    },
    'log.replayUser': async ({ userName, profile, connection, tenantId }) => {
      const access = await requireContext(deps).access()
      const list = await access.listTokens(connection, tenantId)
      const held = list.tokens
        .filter((t) => t.inKeychain)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
      if (!held) {
        throw new AppError(
          'secrets.not_found',
          'This console holds no SCIM token of the tenant to replay with.',
          {
            hint: 'Generate a token on the SCIM tokens screen (it is kept in the keychain), then replay again.',
          },
        )
      }
      const token = await access.revealTokenSecret(connection, tenantId, held.id)
      const result = await replayUser({
        baseUrl: list.scimBaseUrl,
        token,
        profile,
        user: { userName },
      })
      return {
        outcome: result.outcome,
        userId: result.userId ?? null,
        tokenLabel: held.label,
        steps: redact(result.steps),
      }
    },
  }
}
