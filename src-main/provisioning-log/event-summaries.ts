import type { ProvisioningEvent } from '../../src-shared/provisioning-event.ts'

/**
 * The text side of the EventIndex: each event's summary (everything but its bodies) as one JSON
 * string, and its request and response bodies apart, as one JSON string, within a byte budget.
 * Over the budget the oldest events' bodies are dropped; their summaries stay. Events are stored
 * by ordinal (insertion number) in the ring slot `ord % capacity`.
 */

/** Bytes (UTF-16 code units, as V8 counts one-byte strings) of bodies kept for the newest events. */
export const DEFAULT_BODY_BUDGET = 128 * 1024 * 1024
/** Flags of which bodies an event stored apart from its summary (null bodies stay inline). */
const REQ_BODY = 1
const RES_BODY = 2

export class EventSummaries {
  readonly #capacity: number
  readonly budget: number
  readonly #summary: Array<string | undefined>
  readonly #bodies: Array<string | undefined>
  readonly #bodyFlags: Uint8Array
  #bytes = 0
  /** Bodies are held for ordinals from here on (eviction is oldest-first, so they are contiguous). */
  #floor = 0

  constructor(capacity: number, budget: number) {
    this.#capacity = capacity
    this.budget = budget
    this.#summary = new Array<string | undefined>(capacity)
    this.#bodies = new Array<string | undefined>(capacity)
    this.#bodyFlags = new Uint8Array(capacity)
  }

  /** Bytes of bodies held. */
  get bytes(): number {
    return this.#bytes
  }

  /** The first ordinal whose bodies are held. */
  get floor(): number {
    return this.#floor
  }

  store(ord: number, event: ProvisioningEvent): void {
    const slot = ord % this.#capacity
    const req = event.requestBody
    const res = event.responseBody
    const flags =
      (req !== null && req !== undefined ? REQ_BODY : 0) |
      (res !== null && res !== undefined ? RES_BODY : 0)
    this.#bodyFlags[slot] = flags
    this.#bodies[slot] = undefined
    if (flags === 0) {
      this.#summary[slot] = JSON.stringify(event)
      return
    }
    this.#summary[slot] = JSON.stringify({
      ...event,
      ...(flags & REQ_BODY ? { requestBody: 0 } : {}),
      ...(flags & RES_BODY ? { responseBody: 0 } : {}),
    })
    const bodies = JSON.stringify([req ?? null, res ?? null])
    while (this.#floor < ord && this.#bytes + bodies.length > this.budget)
      this.dropUpTo(this.#floor)
    if (bodies.length > this.budget) {
      // Larger than the whole budget: the summary alone, like an evicted event.
      this.#floor = ord + 1
      return
    }
    this.#bodies[slot] = bodies
    this.#bytes += bodies.length
  }

  /** The event, with its bodies while they are held (without them they are absent, not null). */
  read(ord: number): ProvisioningEvent {
    const slot = ord % this.#capacity
    const event = JSON.parse(this.#summary[slot]!) as Record<string, unknown>
    const flags = this.#bodyFlags[slot]!
    if (flags === 0) return event as ProvisioningEvent
    const bodies = this.#bodies[slot]
    const held = bodies === undefined ? undefined : (JSON.parse(bodies) as [unknown, unknown])
    // The summary holds a placeholder where each body was, so the keys keep the event's order.
    if (flags & REQ_BODY) {
      if (held) event.requestBody = held[0]
      else delete event.requestBody
    }
    if (flags & RES_BODY) {
      if (held) event.responseBody = held[1]
      else delete event.responseBody
    }
    return event as ProvisioningEvent
  }

  /** Whether the event is complete: it had no bodies, or they are still held. */
  held(ord: number): boolean {
    return this.#bodyFlags[ord % this.#capacity] === 0 || ord >= this.#floor
  }

  /** Whether the summary, or the bodies while held, match. */
  matches(ord: number, re: RegExp): boolean {
    const slot = ord % this.#capacity
    if (re.test(this.#summary[slot]!)) return true
    const bodies = this.#bodies[slot]
    return bodies !== undefined && re.test(bodies)
  }

  /** Drops the bodies of every event up to and including this ordinal. */
  dropUpTo(upTo: number): void {
    for (; this.#floor <= upTo; this.#floor++) {
      const slot = this.#floor % this.#capacity
      const bodies = this.#bodies[slot]
      if (bodies !== undefined) {
        this.#bytes -= bodies.length
        this.#bodies[slot] = undefined
      }
    }
  }
}

/**
 * Free text is matched against the stored JSON, where quotes are escaped and paths are
 * URL-encoded; the needle is tried in each of those spellings, case-insensitively.
 */
export function textMatcher(text: string): RegExp {
  const variants = new Set([text, JSON.stringify(text).slice(1, -1), encodeURIComponent(text)])
  const alternatives = [...variants].map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(alternatives.join('|'), 'i')
}
