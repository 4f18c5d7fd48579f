import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../db.ts'
import { readEvent } from '../../test/support/event-input.ts'
import { EventStore } from './events.ts'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** Every seq the tenant still has, oldest first. */
function seqsOf(store: EventStore, tenantId: string): number[] {
  const out: number[] = []
  for (let after = 0; ;) {
    const page = store.eventsAfter(tenantId, after, 1000)
    if (page.length === 0) return out
    out.push(...page.map((e) => e.seq))
    after = page.at(-1)!.seq
  }
}

describe('event retention', () => {
  it('keeps each tenant its newest events, however the writes of tenants interleave and restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scimc-retention-'))
    dirs.push(dir)
    const db = openDatabase(dir)
    const appended: Record<string, number[]> = { a: [], b: [] }
    const count = db.prepare('SELECT COUNT(*) AS n FROM events WHERE tenant_id = ?')
    // [limit, slice]: pruning waits for min(max(256, 1 %), slice) over the limit, removes at
    // most a slice per write. The restarts find a log far over the new limit.
    const phases: [number, number][] = [
      [300, 1_000],
      [100, 1_000],
      [40, 15],
      [300, 15],
    ]
    let [limit, slice] = phases[0]!
    let store = new EventStore(db, limit, slice)
    const last: Record<string, number> = { a: 0, b: 0 }
    for (let i = 0; i < 3_000; i++) {
      if (i > 0 && i % 750 === 0) {
        ;[limit, slice] = phases[i / 750]!
        store = new EventStore(db, limit, slice)
      }
      // A rollback elsewhere forgets the counts.
      if (i === 500 || i === 2_600) store.forgetUncommitted()
      const tenant = i % 3 === 0 ? 'b' : 'a'
      appended[tenant]!.push(store.append(readEvent(tenant, i)).seq)
      const n = (count.get(tenant) as { n: number }).n
      const margin = Math.min(256, slice)
      const at = `${tenant} after write ${i} (limit ${limit}, slice ${slice})`
      // A write adds one and pruning never goes below the limit; at most a slice goes per write;
      // once within the margin, kept there.
      expect(n, at).toBeGreaterThanOrEqual(Math.min(limit, last[tenant]! + 1))
      expect(n, at).toBeGreaterThanOrEqual(last[tenant]! + 1 - slice)
      if (last[tenant]! <= limit + margin) expect(n, at).toBeLessThanOrEqual(limit + margin)
      last[tenant] = n
    }
    for (const tenant of ['a', 'b']) {
      // Caught up by the end, and always the newest, with none of the newest missing.
      const kept = seqsOf(store, tenant)
      expect(kept.length, tenant).toBeLessThanOrEqual(limit + Math.min(256, slice))
      expect(kept, tenant).toEqual(appended[tenant]!.slice(-kept.length))
    }
    db.close()
  })
})
