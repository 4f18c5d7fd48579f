import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../db.ts'
import { EventStore } from './events.ts'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function append(store: EventStore, tenantId: string, i: number): number {
  return appendEvent(store, tenantId, i).seq
}

function appendEvent(store: EventStore, tenantId: string, i: number) {
  return store.append({
    tenantId,
    timeMs: 1_700_000_000_000 + i,
    method: 'GET',
    path: `/Users/${i}`,
    status: 200,
    durationMs: 1,
    resourceType: 'User',
    resourceId: null,
    userName: null,
    outcome: 'read',
    error: null,
    tokenHashPrefix: null,
    requestBody: null,
    responseBody: null,
  })
}

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
    let limit = 300
    let store = new EventStore(db, limit)
    const count = db.prepare('SELECT COUNT(*) AS n FROM events WHERE tenant_id = ?')
    for (let i = 0; i < 2_000; i++) {
      const tenant = i % 3 === 0 ? 'b' : 'a'
      appended[tenant]!.push(append(store, tenant, i))
      // After every write: at least the limit (or all there were), at most the limit plus the
      // margin pruning waits for (256 at these sizes).
      const n = (count.get(tenant) as { n: number }).n
      expect(n, `${tenant} after ${i}`).toBeGreaterThanOrEqual(
        Math.min(limit, appended[tenant]!.length),
      )
      expect(n, `${tenant} after ${i}`).toBeLessThanOrEqual(limit + 256)
      // A rollback elsewhere forgets the counts; a restart with a lower limit finds a longer log.
      if (i === 700) store.forgetUncommitted()
      if (i === 1_200) store = new EventStore(db, (limit = 100))
    }
    for (const tenant of ['a', 'b']) {
      const kept = seqsOf(store, tenant)
      // Pruned once past the limit by its margin (256 here): never fewer than the limit, and
      // always the newest, with none of the newest missing.
      expect(kept.length, tenant).toBeGreaterThanOrEqual(100)
      expect(kept.length, tenant).toBeLessThanOrEqual(100 + 256)
      expect(kept, tenant).toEqual(appended[tenant]!.slice(-kept.length))
    }
    db.close()
  })
})
