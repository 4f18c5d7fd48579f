import type { EventFilter, ProvisioningEvent } from '../../src-shared/provisioning-event.ts'

/** What the EventIndex answers: pages of a query, and its fill and memory figures. */

export interface IndexQuery {
  filter?: EventFilter
  offset?: number
  limit?: number
  /** 'asc' = oldest first (the table's natural order); 'desc' = newest first. */
  order?: 'asc' | 'desc'
}

export interface IndexPage {
  /** Matches in the whole index, for the virtualized table's scroll height. */
  total: number
  offset: number
  events: ProvisioningEvent[]
}

export interface IndexStats {
  size: number
  capacity: number
  inserted: number
  evicted: number
  oldestSeq: number | null
  newestSeq: number | null
  distinctUserKeys: number
  /** Bytes of bodies held, and the budget they are kept within. */
  bodyBytes: number
  bodyBudget: number
  /** The oldest seq whose bodies are held (older events keep only their summary); null if none. */
  bodiesHeldFromSeq: number | null
}
