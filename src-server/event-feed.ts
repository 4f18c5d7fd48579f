import type { EventInput, EventStore, ProvisioningEvent } from './store/events.ts'

type Listener = (event: ProvisioningEvent) => void

/**
 * Records provisioning events and fans them out to live SSE subscribers. Storing and publishing
 * happen in the same synchronous step, and a subscriber replays from the store in the same tick it
 * registers, so nothing can fall between the replay and the live part of a stream.
 */
export class EventFeed {
  private readonly store: EventStore
  private readonly listeners = new Map<string | null, Set<Listener>>()

  constructor(store: EventStore) {
    this.store = store
  }

  record(input: EventInput): ProvisioningEvent {
    const event = this.store.append(input)
    const set = this.listeners.get(input.tenantId)
    if (set) {
      for (const fn of set) {
        try {
          fn(event)
        } catch {
          // A broken subscriber must not break the SCIM request that produced the event.
        }
      }
    }
    return event
  }

  subscribe(tenantId: string, fn: Listener): () => void {
    let set = this.listeners.get(tenantId)
    if (!set) {
      set = new Set()
      this.listeners.set(tenantId, set)
    }
    set.add(fn)
    return () => {
      set.delete(fn)
      if (set.size === 0) this.listeners.delete(tenantId)
    }
  }

  subscriberCount(tenantId: string): number {
    return this.listeners.get(tenantId)?.size ?? 0
  }
}
