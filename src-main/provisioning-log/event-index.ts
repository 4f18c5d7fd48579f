import {
  eventMethods,
  eventOutcomes,
  eventResourceTypes,
  eventSources,
  isIdpTraffic,
  sourceOf,
  type EventFilter,
  type ProvisioningEvent,
} from '../../src-shared/provisioning-event.ts'
import { DEFAULT_BODY_BUDGET, EventSummaries, textMatcher } from './event-summaries.ts'
import type { IndexPage, IndexQuery, IndexStats } from './event-index-types.ts'
import { flatUserKeys } from './user-keys.ts'
import { UserNameCounts } from './user-name-counts.ts'

export { DEFAULT_BODY_BUDGET } from './event-summaries.ts'
export type { IndexPage, IndexQuery, IndexStats } from './event-index-types.ts'

/**
 * A bounded in-memory index of provisioning events (a ring: the oldest are evicted).
 *
 * Memory: the fields the filters need live in typed-array columns (about 70 bytes per event);
 * the summary and the bodies are JSON text in event-summaries.ts, the bodies within a byte
 * budget (`bodiesHeld(seq)` tells whether an event is complete; `ProvisioningLog` reads dropped
 * bodies back from the backend). Lookup by user walks a per-user chain threaded through the
 * columns: each event keeps, for each of its user keys, the ordinal of the previous event with
 * the same key, so finding one user's events costs their number, not the index size.
 *
 * Events must arrive in ascending seq order (ProvisioningEventStream guarantees it); an event
 * whose seq is not above the newest is ignored, which also makes inserts idempotent.
 */

export const DEFAULT_CAPACITY = 1_000_000
/** User keys kept per event (id, userName, email, externalId; or a group change's members). */
const KEYS = 4
const NONE = -1

const METHOD_CODE = new Map<string, number>(eventMethods.map((m, i) => [m, i]))
const RESOURCE_CODE = new Map<string, number>(eventResourceTypes.map((r, i) => [r, i]))
const OUTCOME_CODE = new Map<string, number>(eventOutcomes.map((o, i) => [o, i]))
const SOURCE_CODE = new Map<string, number>(eventSources.map((o, i) => [o, i]))

interface MatchCache {
  key: string
  /** Ordinals of matching events, ascending. */
  ords: number[]
  scannedUpTo: number
}

export class EventIndex {
  readonly capacity: number
  readonly #seq: Float64Array
  readonly #time: Float64Array
  readonly #status: Uint16Array
  readonly #method: Uint8Array
  readonly #resource: Uint8Array
  readonly #outcome: Uint8Array
  readonly #source: Uint8Array
  readonly #duration: Float32Array
  readonly #keys: Int32Array
  readonly #prev: Float64Array
  /** 1 where an event named more user keys than KEYS (a large group change): scanned, not chained. */
  readonly #overflow: Uint8Array
  /** Summaries and bodies (event-summaries.ts): the text side of each event. */
  readonly #text: EventSummaries
  readonly bodyBudget: number
  #inserted = 0
  #keyIds = new Map<string, number>()
  #keyHead = new Float64Array(1024)
  /** Which key ids were some event's userName (all, and the IdP's traffic's apart). */
  #userNames = new UserNameCounts()
  #extraMethods: string[] = []
  #cache: MatchCache | null = null

  constructor(options: { capacity?: number; bodyBudget?: number } = {}) {
    const capacity = options.capacity ?? DEFAULT_CAPACITY
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`EventIndex capacity must be a positive integer, got ${capacity}`)
    const budget = options.bodyBudget ?? DEFAULT_BODY_BUDGET
    if (Number.isNaN(budget) || budget < 0)
      throw new RangeError(
        `EventIndex bodyBudget must be a number of bytes >= 0 (Infinity for no bound), got ${budget}`,
      )
    this.capacity = capacity
    this.bodyBudget = budget
    this.#seq = new Float64Array(capacity)
    this.#time = new Float64Array(capacity)
    this.#status = new Uint16Array(capacity)
    this.#method = new Uint8Array(capacity)
    this.#resource = new Uint8Array(capacity)
    this.#outcome = new Uint8Array(capacity)
    this.#source = new Uint8Array(capacity)
    this.#duration = new Float32Array(capacity)
    this.#keys = new Int32Array(capacity * KEYS).fill(NONE)
    this.#prev = new Float64Array(capacity * KEYS).fill(NONE)
    this.#overflow = new Uint8Array(capacity)
    this.#text = new EventSummaries(capacity, budget)
  }

  get size(): number {
    return Math.min(this.#inserted, this.capacity)
  }

  get newestSeq(): number | null {
    return this.#inserted === 0 ? null : this.#seq[(this.#inserted - 1) % this.capacity]!
  }

  get #oldestOrd(): number {
    return this.#inserted - this.size
  }

  /** Adds an event; false when it is not newer than the newest (a duplicate or out of order). */
  insert(event: ProvisioningEvent): boolean {
    const newest = this.newestSeq
    if (newest !== null && event.seq <= newest) return false
    const ord = this.#inserted
    const slot = ord % this.capacity
    if (ord >= this.capacity) this.#text.dropUpTo(ord - this.capacity)
    this.#seq[slot] = event.seq
    const t = Date.parse(event.time)
    this.#time[slot] = Number.isNaN(t) ? 0 : t
    this.#status[slot] = event.status
    this.#method[slot] = this.#methodCode(event.method)
    this.#resource[slot] = RESOURCE_CODE.get(event.resourceType) ?? 3
    this.#outcome[slot] = OUTCOME_CODE.get(event.outcome) ?? 0
    this.#source[slot] = SOURCE_CODE.get(sourceOf(event))!
    this.#duration[slot] = event.durationMs
    this.#text.store(ord, event)
    const keys = flatUserKeys(event)
    if (event.userName) {
      const id = this.#intern(event.userName.trim().toLowerCase())
      this.#userNames.mark(id, isIdpTraffic(event))
    }
    const base = slot * KEYS
    this.#overflow[slot] = keys.length > KEYS ? 1 : 0
    for (let c = 0; c < KEYS; c++) {
      const key = keys[c]
      if (key === undefined) {
        this.#keys[base + c] = NONE
        this.#prev[base + c] = NONE
        continue
      }
      const id = this.#intern(key)
      this.#keys[base + c] = id
      this.#prev[base + c] = this.#keyHead[id]!
      this.#keyHead[id] = ord
    }
    this.#inserted = ord + 1
    return true
  }

  insertMany(events: ProvisioningEvent[]): number {
    let n = 0
    for (const e of events) if (this.insert(e)) n++
    return n
  }

  stats(): IndexStats {
    return {
      size: this.size,
      capacity: this.capacity,
      inserted: this.#inserted,
      evicted: this.#oldestOrd,
      oldestSeq: this.size === 0 ? null : this.#seq[this.#oldestOrd % this.capacity]!,
      newestSeq: this.newestSeq,
      distinctUserKeys: this.#keyIds.size,
      bodyBytes: this.#text.bytes,
      bodyBudget: this.bodyBudget,
      bodiesHeldFromSeq:
        this.size === 0 || this.#text.floor >= this.#inserted
          ? null
          : this.#seq[Math.max(this.#text.floor, this.#oldestOrd) % this.capacity]!,
    }
  }

  /**
   * Whether the event's bodies are held (true also when it had none); undefined when the event
   * is not in the index. Without them its requestBody/responseBody are absent, not null.
   */
  bodiesHeld(seq: number): boolean | undefined {
    const ord = this.#ordOf(seq)
    return ord === undefined ? undefined : this.#text.held(ord)
  }

  /** The event with this seq, if it is still in the index. */
  getBySeq(seq: number): ProvisioningEvent | undefined {
    const ord = this.#ordOf(seq)
    return ord === undefined ? undefined : this.#text.read(ord)
  }

  #ordOf(seq: number): number | undefined {
    let lo = this.#oldestOrd
    let hi = this.#inserted - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const s = this.#seq[mid % this.capacity]!
      if (s === seq) return mid
      if (s < seq) lo = mid + 1
      else hi = mid - 1
    }
    return undefined
  }

  /** Up to `limit` events that follow the event with this seq, in order. */
  eventsAfter(seq: number, limit: number): ProvisioningEvent[] {
    let lo = this.#oldestOrd
    let hi = this.#inserted
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.#seq[mid % this.capacity]! <= seq) lo = mid + 1
      else hi = mid
    }
    const out: ProvisioningEvent[] = []
    for (let ord = lo; ord < this.#inserted && out.length < limit; ord++)
      out.push(this.#text.read(ord))
    return out
  }

  /** Ordinals of every event carrying any of these user keys (any case), ascending. */
  ordinalsForUserKeys(keys: Iterable<string>): number[] {
    const oldest = this.#oldestOrd
    const seen = new Set<number>()
    for (const raw of keys) {
      const id = this.#keyIds.get(raw.trim().toLowerCase())
      if (id === undefined) continue
      let ord = this.#keyHead[id]!
      while (ord >= oldest && ord !== NONE) {
        seen.add(ord)
        const base = (ord % this.capacity) * KEYS
        let next = NONE
        for (let c = 0; c < KEYS; c++) {
          if (this.#keys[base + c] === id) {
            next = this.#prev[base + c]!
            break
          }
        }
        ord = next
      }
    }
    return [...seen].sort((a, b) => a - b)
  }

  eventsForUserKeys(keys: Iterable<string>): ProvisioningEvent[] {
    return this.ordinalsForUserKeys(keys).map((o) => this.#text.read(o))
  }

  /** Events that named more user keys than the chains hold (big group changes), oldest first. */
  overflowEvents(): ProvisioningEvent[] {
    const out: ProvisioningEvent[] = []
    for (let ord = this.#oldestOrd; ord < this.#inserted; ord++)
      if (this.#overflow[ord % this.capacity] === 1) out.push(this.#text.read(ord))
    return out
  }

  /**
   * Distinct userNames ever seen (evicted ones included), minus those given; with `idpOnly`, only
   * those the IdP's traffic named (`isIdpTraffic`), not the harness's or a script's.
   */
  distinctUserNames(except: Iterable<string> = [], opts: { idpOnly?: boolean } = {}): number {
    const ids: number[] = []
    for (const k of except) {
      const id = this.#keyIds.get(k.trim().toLowerCase())
      if (id !== undefined) ids.push(id)
    }
    return this.#userNames.count(ids, opts.idpOnly ?? false)
  }

  /** How many events matching the filter come after the event with this seq. */
  countAfter(filter: EventFilter, seq: number): number {
    const ords = this.matchOrdinals(filter)
    let lo = 0
    let hi = ords.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.#seq[ords[mid]! % this.capacity]! <= seq) lo = mid + 1
      else hi = mid
    }
    return ords.length - lo
  }

  hasUserKey(key: string): boolean {
    return this.#keyIds.has(key.trim().toLowerCase())
  }

  /** Events matching the filter, a page at a time, with the total for the scroll height. */
  query(q: IndexQuery = {}): IndexPage {
    const ords = this.matchOrdinals(q.filter ?? {})
    const offset = Math.max(0, q.offset ?? 0)
    const limit = Math.max(0, Math.min(q.limit ?? 100, 10_000))
    const total = ords.length
    const events: ProvisioningEvent[] = []
    for (let i = offset; i < Math.min(total, offset + limit); i++) {
      const ord = q.order === 'desc' ? ords[total - 1 - i]! : ords[i]!
      events.push(this.#text.read(ord))
    }
    return { total, offset, events }
  }

  /** Every event matching the filter, oldest first (exports, the CLI). */
  *iterate(filter: EventFilter = {}): Generator<ProvisioningEvent> {
    for (const ord of this.matchOrdinals(filter)) yield this.#text.read(ord)
  }

  /**
   * Matching ordinals, ascending. The last filter's result is kept and extended with the events
   * that arrived since, so scrolling a live table does not rescan the whole index on every page.
   */
  matchOrdinals(filter: EventFilter): number[] {
    const key = JSON.stringify(filter)
    const oldest = this.#oldestOrd
    let cache = this.#cache
    if (!cache || cache.key !== key || filter.user !== undefined) {
      cache = { key, ords: [], scannedUpTo: oldest }
      if (filter.user !== undefined) {
        const test = this.#predicate({ ...filter, user: undefined })
        cache.ords = this.ordinalsForUserKeys([filter.user]).filter(test)
        cache.scannedUpTo = this.#inserted
      }
    }
    if (cache.scannedUpTo < this.#inserted) {
      const test = this.#predicate(filter)
      for (let ord = Math.max(cache.scannedUpTo, oldest); ord < this.#inserted; ord++)
        if (test(ord)) cache.ords.push(ord)
      cache.scannedUpTo = this.#inserted
    }
    if (cache.ords.length > 0 && cache.ords[0]! < oldest) {
      let drop = 0
      while (drop < cache.ords.length && cache.ords[drop]! < oldest) drop++
      cache.ords = cache.ords.slice(drop)
    }
    this.#cache = cache
    return cache.ords
  }

  #predicate(filter: EventFilter): (ord: number) => boolean {
    const cap = this.capacity
    const checks: Array<(slot: number) => boolean> = []
    if (filter.statusClass?.length) {
      const classes = new Set(filter.statusClass.map((c) => Number(c[0])))
      checks.push((s) => classes.has(Math.floor(this.#status[s]! / 100)))
    }
    if (filter.status?.length) {
      const statuses = new Set(filter.status)
      checks.push((s) => statuses.has(this.#status[s]!))
    }
    if (filter.method?.length) {
      const codes = new Set(filter.method.map((m) => this.#methodCode(m.toUpperCase())))
      checks.push((s) => codes.has(this.#method[s]!))
    }
    if (filter.resourceType?.length) {
      const codes = new Set(filter.resourceType.map((r) => RESOURCE_CODE.get(r)))
      checks.push((s) => codes.has(this.#resource[s]!))
    }
    if (filter.outcome?.length) {
      const codes = new Set(filter.outcome.map((o) => OUTCOME_CODE.get(o)))
      checks.push((s) => codes.has(this.#outcome[s]!))
    }
    if (filter.source?.length) {
      const codes = new Set(filter.source.map((o) => SOURCE_CODE.get(o)))
      checks.push((s) => codes.has(this.#source[s]!))
    }
    const since = filter.since ? Date.parse(filter.since) : NaN
    if (!Number.isNaN(since)) checks.push((s) => this.#time[s]! >= since)
    const until = filter.until ? Date.parse(filter.until) : NaN
    if (!Number.isNaN(until)) checks.push((s) => this.#time[s]! < until)
    if (filter.user !== undefined) {
      const id = this.#keyIds.get(filter.user.trim().toLowerCase())
      checks.push((s) => {
        if (id === undefined) return false
        for (let c = 0; c < KEYS; c++) if (this.#keys[s * KEYS + c] === id) return true
        return false
      })
    }
    if (filter.text) {
      const re = textMatcher(filter.text)
      checks.push((s) => this.#text.matches(s, re))
    }
    return (ord) => {
      const slot = ord % cap
      for (const check of checks) if (!check(slot)) return false
      return true
    }
  }

  #intern(key: string): number {
    let id = this.#keyIds.get(key)
    if (id !== undefined) return id
    id = this.#keyIds.size
    this.#keyIds.set(key, id)
    if (id >= this.#keyHead.length) {
      const grown = new Float64Array(this.#keyHead.length * 2)
      grown.set(this.#keyHead)
      this.#keyHead = grown
    }
    this.#keyHead[id] = NONE
    return id
  }

  #methodCode(method: string): number {
    const known = METHOD_CODE.get(method)
    if (known !== undefined) return known
    let i = this.#extraMethods.indexOf(method)
    if (i === -1 && this.#extraMethods.length < 250) {
      this.#extraMethods.push(method)
      i = this.#extraMethods.length - 1
    }
    return i === -1 ? 255 : eventMethods.length + i
  }
}
