import type { DatabaseSync } from 'node:sqlite'
import { rollbackQuietly, runControl, transaction } from './db.ts'
import type { EventInput, EventStore, ProvisioningEvent } from './store/events.ts'

type Listener = (event: ProvisioningEvent) => void

/**
 * Records provisioning events and fans them out to live SSE subscribers.
 *
 * One truth per request: `commit` runs the request's writes and stores its event in one
 * transaction, and publishes the event only once that transaction is on disk. A client therefore
 * never sees an acknowledged write without its event, a stream never shows an event that a crash
 * can take back, and a restart continues numbering from what was really stored.
 *
 * Publishing happens in the same synchronous step as the commit, and a subscriber replays from the
 * store in the same tick it registers, so nothing can fall between the replay and the live part.
 */
export class EventFeed {
  private readonly db: DatabaseSync
  private readonly store: EventStore
  private readonly listeners = new Map<string | null, Set<Listener>>()
  /** Caches outside the event store that a rolled-back transaction may have run ahead of disk. */
  private readonly onRollback: () => void

  constructor(db: DatabaseSync, store: EventStore, onRollback: () => void = () => {}) {
    this.db = db
    this.store = store
    this.onRollback = onRollback
  }

  /**
   * Runs `work` and stores the event it returns, all in one transaction, then publishes the
   * event. Throws (and stores nothing, publishes nothing) when the transaction cannot commit.
   */
  commit<T>(work: () => { result: T; event: EventInput }): {
    result: T
    event: ProvisioningEvent
  } {
    let out: { result: T; event: ProvisioningEvent }
    runControl(this.db, 'BEGIN IMMEDIATE')
    try {
      const done = work()
      out = { result: done.result, event: this.store.append(done.event) }
      runControl(this.db, 'COMMIT')
    } catch (err) {
      rollbackQuietly(this.db)
      this.store.forgetUncommitted()
      this.onRollback()
      throw err
    }
    this.publish(out.event)
    return out
  }

  /**
   * Runs `fn` inside the open request transaction as a savepoint: a handler that fails halfway
   * leaves none of its writes behind, while the request's event is still stored.
   */
  step<T>(fn: () => T): T {
    return transaction(this.db, fn)
  }

  /** Stores one event on its own and publishes it: for events that come with no write. */
  record(input: EventInput): ProvisioningEvent {
    return this.commit(() => ({ result: undefined, event: input })).event
  }

  private publish(event: ProvisioningEvent): void {
    const set = this.listeners.get(event.tenantId)
    if (!set) return
    for (const fn of set) {
      try {
        fn(event)
      } catch {
        // A broken subscriber must not break the SCIM request that produced the event.
      }
    }
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
