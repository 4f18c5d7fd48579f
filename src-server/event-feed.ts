import type { DatabaseSync } from 'node:sqlite'
import { rollbackQuietly, runControl, transaction } from './db.ts'
import { eventOf, membersJson } from './store/events.ts'
import type { EventInput, EventStore, ProvisioningEvent } from './store/events.ts'

type Listener = (event: ProvisioningEvent) => void

interface Queued {
  work: () => { result: unknown; event: EventInput }
  resolve: (result: unknown) => void
  reject: (err: unknown) => void
}

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
 *
 * `commitSoon` is the same promise for many requests at once (group commit): the requests that
 * reach it in one turn of the event loop run one after another, each in its own savepoint, inside
 * one transaction that commits once, in one synchronous step (nothing else can run inside it), and
 * only then does any of them get its answer. A COMMIT with its WAL write is most of what a
 * request costs, and the pages every request touches (the event table's and its indexes' last
 * leaves) are then written once per turn instead of once per request.
 */
export class EventFeed {
  private readonly db: DatabaseSync
  private readonly store: EventStore
  private readonly listeners = new Map<string | null, Set<Listener>>()
  /** Caches outside the event store that a rolled-back transaction may have run ahead of disk. */
  private readonly onRollback: () => void
  /** Work waiting for the next group commit (see `commitSoon`). */
  private queue: Queued[] = []

  /** Told after every commit (the WAL checkpointer counts them). */
  private readonly onCommit: () => void

  constructor(
    db: DatabaseSync,
    store: EventStore,
    onRollback: () => void = () => {},
    onCommit: () => void = () => {},
  ) {
    this.db = db
    this.store = store
    this.onRollback = onRollback
    this.onCommit = onCommit
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
      this.forget()
      throw err
    }
    this.onCommit()
    this.publish(out.event)
    return out
  }

  /**
   * What `commit` does, for work queued in this turn of the event loop, all in one transaction:
   * each piece of work and its event in a savepoint of their own (a failing one leaves nothing
   * behind and rejects alone), one COMMIT, then the events are published in order and the promises
   * resolve with the work's results. When the commit fails every promise of the batch rejects and
   * nothing is published.
   */
  commitSoon<T>(work: () => { result: T; event: EventInput }): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush())
      this.queue.push({
        work,
        resolve: resolve as Queued['resolve'],
        reject,
      })
    })
  }

  private forget(): void {
    this.store.forgetUncommitted()
    this.onRollback()
  }

  private flush(): void {
    const batch = this.queue
    this.queue = []
    const done: { q: Queued; result: unknown; input: EventInput; seq: number }[] = []
    const failAll = (err: unknown): void => {
      for (const d of done) d.q.reject(err)
      done.length = 0
    }
    try {
      runControl(this.db, 'BEGIN IMMEDIATE')
    } catch (err) {
      for (const q of batch) q.reject(err)
      return
    }
    let lost: unknown
    for (const q of batch) {
      if (lost !== undefined) {
        q.reject(lost)
        continue
      }
      try {
        runControl(this.db, 'SAVEPOINT request')
        const d = q.work()
        const seq = this.store.insertEvent(d.event)
        runControl(this.db, 'RELEASE request')
        done.push({ q, result: d.result, input: d.event, seq })
      } catch (err) {
        if (this.db.isTransaction) {
          try {
            runControl(this.db, 'ROLLBACK TO request')
            runControl(this.db, 'RELEASE request')
          } catch {
            rollbackQuietly(this.db)
          }
        }
        this.forget()
        q.reject(err)
        // After SQLITE_FULL or an I/O error SQLite may have rolled the whole transaction back:
        // the batch's earlier work is gone with it, and no later work may run outside one.
        if (!this.db.isTransaction) {
          lost = err
          failAll(err)
        }
      }
    }
    if (lost !== undefined) return
    try {
      runControl(this.db, 'COMMIT')
    } catch (err) {
      rollbackQuietly(this.db)
      this.forget()
      failAll(err)
      return
    }
    this.onCommit()
    for (const d of done) {
      // The served event is built only for a tenant someone is watching.
      if (this.listeners.has(d.input.tenantId)) {
        this.publish(eventOf(d.input, d.seq, membersJson(d.input)))
      }
    }
    for (const d of done) d.q.resolve(d.result)
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
