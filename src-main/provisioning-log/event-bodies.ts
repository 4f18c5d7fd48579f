import { toErrorData } from '../../src-shared/errors.ts'
import {
  provisioningEventSchema,
  type ProvisioningEvent,
} from '../../src-shared/provisioning-event.ts'
import type { EventIndex } from './event-index.ts'
import { fetchEventPage, type LogBackend } from './events-api.ts'

/**
 * Reads back from the backend the bodies the index dropped to stay within its byte budget.
 * Per-tenant seq is contiguous and `cursor=m&limit=k` reads the k events before m, so one small
 * query covers one event or a run of near ones. What the backend no longer has (retention) is
 * said in place of the body, so the detail still shows the event's summary.
 */

/** Events are read in runs whose seqs are at most this far apart (one query per run). */
const RUN_GAP = 32
/** The admin API's page limit. */
const MAX_PAGE = 500

export function bodiesUnavailable(seq: number, reason: string): string {
  return `[body no longer available: ${reason} (event ${seq})]`
}

export function isUnavailableNote(body: unknown): boolean {
  return typeof body === 'string' && body.startsWith('[body no longer available: ')
}

export const RETENTION_REASON = "the backend's retention has pruned this event"

export interface EventBodiesOptions {
  backend: LogBackend
  tenantId: string
  index: EventIndex
  /** Complete events kept after a read (a detail opened twice, curl after the detail). */
  cacheSize?: number
}

export class EventBodies {
  readonly #backend: LogBackend
  readonly #tenantId: string
  readonly #index: EventIndex
  readonly #cacheSize: number
  /** A small LRU (a Map's order is insertion order: re-inserting on a hit makes it the newest). */
  readonly #cache = new Map<number, ProvisioningEvent>()
  #fetched = 0

  constructor(options: EventBodiesOptions) {
    this.#backend = options.backend
    this.#tenantId = options.tenantId
    this.#index = options.index
    this.#cacheSize = options.cacheSize ?? 256
  }

  /** Events read from the backend so far (how often the budget cost a query). */
  get fetched(): number {
    return this.#fetched
  }

  /**
   * The events with their bodies, in the order given: held ones as they are, dropped ones read
   * back from the backend; those it no longer has carry the reason in place of their bodies.
   */
  async complete(events: ProvisioningEvent[]): Promise<ProvisioningEvent[]> {
    const out = events.slice()
    const missing = new Map<number, number[]>()
    events.forEach((e, i) => {
      if (this.#index.bodiesHeld(e.seq) !== false) return
      const hit = this.#cache.get(e.seq)
      if (hit) {
        this.#cache.delete(e.seq)
        this.#cache.set(e.seq, hit)
        out[i] = hit
        return
      }
      const at = missing.get(e.seq)
      if (at) at.push(i)
      else missing.set(e.seq, [i])
    })
    if (missing.size === 0) return out
    for (const [lo, hi] of runs([...missing.keys()].sort((a, b) => a - b))) {
      let found: Map<number, ProvisioningEvent>
      let reason = RETENTION_REASON
      try {
        found = await this.#read(lo, hi)
      } catch (err) {
        found = new Map()
        reason = `it could not be read from the backend: ${toErrorData(err).message}`
      }
      for (let seq = lo; seq <= hi; seq++) {
        const at = missing.get(seq)
        if (!at) continue
        const full = found.get(seq)
        const summary = out[at[0]!]!
        const event = full ? withBodies(summary, full) : withoutBodies(summary, reason)
        if (full || reason === RETENTION_REASON) this.#remember(seq, event)
        for (const i of at) out[i] = event
      }
    }
    return out
  }

  async #read(lo: number, hi: number): Promise<Map<number, ProvisioningEvent>> {
    const page = await fetchEventPage(this.#backend, this.#tenantId, {
      cursor: String(hi + 1),
      limit: hi - lo + 1,
    })
    const found = new Map<number, ProvisioningEvent>()
    for (const item of page.items) {
      const parsed = provisioningEventSchema.safeParse(item)
      if (parsed.success && parsed.data.seq >= lo && parsed.data.seq <= hi)
        found.set(parsed.data.seq, parsed.data)
    }
    this.#fetched += found.size
    return found
  }

  #remember(seq: number, event: ProvisioningEvent): void {
    this.#cache.set(seq, event)
    if (this.#cache.size > this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value!)
  }
}

/** Sorted seqs grouped into [lo, hi] runs of near ones, each within one page. */
function runs(seqs: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (const seq of seqs) {
    const last = out[out.length - 1]
    if (last && seq - last[1] <= RUN_GAP && seq - last[0] < MAX_PAGE) last[1] = seq
    else out.push([seq, seq])
  }
  return out
}

function withBodies(summary: ProvisioningEvent, full: ProvisioningEvent): ProvisioningEvent {
  // The index's summary stays the source of truth; only the bodies come from the backend.
  return { ...summary, requestBody: full.requestBody, responseBody: full.responseBody }
}

function withoutBodies(summary: ProvisioningEvent, reason: string): ProvisioningEvent {
  const note = bodiesUnavailable(summary.seq, reason)
  return {
    ...summary,
    requestBody: 'requestBody' in summary ? summary.requestBody : note,
    responseBody: 'responseBody' in summary ? summary.responseBody : note,
  }
}
