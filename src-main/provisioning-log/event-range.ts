import {
  provisioningEventSchema,
  type ProvisioningEvent,
} from '../../src-shared/provisioning-event.ts'
import { fetchEventPage, type LogBackend } from './events-api.ts'

/**
 * Catch-up from the paginated query: a range of events (history, or a gap the stream skipped),
 * and what to say about the part of a gap the query no longer has.
 */

export interface RangeQuery {
  backend: LogBackend
  tenantId: string
  pageLimit?: number
  onMalformed(seq: number | undefined, why: string | undefined): void
}

/**
 * Events with after < seq < before (null = unbounded), newest-first pages, returned in
 * ascending order; at most `max` of the newest. `reachedFloor`: the query went down to `after`
 * itself (so whatever is missing in between is not merely older than its oldest event).
 */
export async function fetchEventRange(
  q: RangeQuery,
  after: number | null,
  before: number | null,
  max: number,
): Promise<{ events: ProvisioningEvent[]; reachedFloor: boolean }> {
  const out: ProvisioningEvent[] = []
  let cursor: string | undefined = before === null ? undefined : String(before)
  // A gap needs at most its own size plus the floor event: one small page in the usual case.
  const span = after !== null && before !== null ? before - after : Infinity
  const limit = Math.min(q.pageLimit ?? 500, span)
  let floor = false
  for (;;) {
    const page = await fetchEventPage(q.backend, q.tenantId, { cursor, limit })
    let reachedFloor = false
    for (const item of page.items) {
      const seq = (item as { seq?: unknown } | null)?.seq
      if (typeof seq === 'number' && after !== null && seq <= after) {
        reachedFloor = true
        floor = true
        break
      }
      const parsed = provisioningEventSchema.safeParse(item)
      if (parsed.success) out.push(parsed.data)
      else q.onMalformed(typeof seq === 'number' ? seq : undefined, parsed.error.issues[0]?.message)
      if (out.length >= max) {
        reachedFloor = true
        break
      }
    }
    if (reachedFloor || !page.nextCursor || page.items.length === 0) break
    cursor = page.nextCursor
  }
  out.sort((a, b) => a.seq - b.seq)
  return { events: out, reachedFloor: floor }
}

export interface GapNotice {
  message: string
  seqs: number[] | undefined
}

/**
 * What the query lacks of after < seq < before: pruned (older than the oldest event it still
 * holds) or lost. Known-malformed seqs were reported already and are left out.
 */
export function unrecoverableInGap(
  after: number,
  before: number,
  found: { events: ProvisioningEvent[]; reachedFloor: boolean },
  malformed: ReadonlySet<number>,
): GapNotice[] {
  const seen = new Set(found.events.map((e) => e.seq))
  // With the floor reached everything in range that the query lacks is lost; otherwise the log
  // ends above `after`, and what lies below its oldest event in range went to retention.
  const retainedFrom = found.reachedFloor ? after + 1 : (found.events[0]?.seq ?? before)
  let pruned = 0
  for (let s = after + 1; s < retainedFrom; s++) if (!malformed.has(s)) pruned += 1
  const lost: number[] = []
  for (let s = retainedFrom; s < before; s++) if (!seen.has(s) && !malformed.has(s)) lost.push(s)
  const notices: GapNotice[] = []
  if (pruned > 0) {
    const range =
      retainedFrom - 1 === after + 1 ? `${after + 1}` : `${after + 1}–${retainedFrom - 1}`
    notices.push({
      message: `${pruned} event${pruned === 1 ? ' was' : 's were'} (seq ${range}) missed by the stream and already removed by the backend's retention, so they cannot be shown. Later events are complete.`,
      seqs: pruned <= 1000 ? seqRange(after + 1, retainedFrom - 1) : undefined,
    })
  }
  if (lost.length > 0) {
    notices.push({
      message: `${lost.length} event${lost.length === 1 ? ' is' : 's are'} missing from both the stream and the backend's log (seq ${lost.slice(0, 10).join(', ')}${lost.length > 10 ? ', …' : ''}); the backend lost them. Later events are complete.`,
      seqs: lost.slice(0, 1000),
    })
  }
  return notices
}

function seqRange(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)
}
