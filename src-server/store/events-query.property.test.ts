import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../db.ts'
import { readEvent } from '../../test/support/event-input.ts'
import { EventStore } from './events.ts'
import type { EventQuery } from './events.ts'

/** `FC_NUM_RUNS=20000 npm run fuzz` for a long run; bounded in `npm test`. */
const RUNS = Number(process.env.FC_NUM_RUNS ?? 60)
const SOURCES = ['idp', 'harness', 'replay', 'other', 'unknown'] as const
type Source = (typeof SOURCES)[number]

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A real store with these events, in this order (seq 1, 2, ...), for one tenant. */
function storeWith(events: { source: Source; status: number }[]): EventStore {
  const dir = mkdtempSync(join(tmpdir(), 'scimc-events-query-'))
  dirs.push(dir)
  const store = new EventStore(openDatabase(dir), 1_000_000)
  for (const [i, e] of events.entries()) {
    store.append(readEvent('t1', i, { status: e.status, source: e.source }))
  }
  return store
}

describe('the event list filtered by source (one index range per source, merged)', () => {
  it('is the newest matches first, as a walk over every event would give, whatever the mix', () => {
    const event = fc.record({
      source: fc.constantFrom(...SOURCES),
      status: fc.constantFrom(200, 201, 404, 409, 500),
    })
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 60 }),
        fc.uniqueArray(fc.constantFrom(...SOURCES), { minLength: 1 }),
        fc.integer({ min: 1, max: 12 }),
        fc.option(fc.integer({ min: 1, max: 62 }), { nil: undefined }),
        fc.option(fc.constantFrom('2xx', '4xx', '5xx') as fc.Arbitrary<'2xx' | '4xx' | '5xx'>, {
          nil: undefined,
        }),
        (events, sources, limit, beforeSeq, statusClass) => {
          const q: EventQuery = { tenantId: 't1', limit, source: [...sources] }
          if (beforeSeq !== undefined) q.beforeSeq = beforeSeq
          if (statusClass !== undefined) q.statusClass = statusClass
          const got = storeWith(events)
            .query(q)
            .map((e) => e.seq)
          const want = events
            .map((e, i) => ({ ...e, seq: i + 1 }))
            .filter((e) => sources.includes(e.source))
            .filter((e) => beforeSeq === undefined || e.seq < beforeSeq)
            .filter((e) => statusClass === undefined || String(e.status)[0] === statusClass[0])
            .map((e) => e.seq)
            .reverse()
            .slice(0, limit)
          expect(got).toEqual(want)
        },
      ),
      { numRuns: RUNS },
    )
  })
})
