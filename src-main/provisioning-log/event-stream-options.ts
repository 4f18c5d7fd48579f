import type {
  ProvisioningEvent,
  StreamNotice,
  StreamState,
} from '../../src-shared/provisioning-event.ts'
import type { LogBackend } from './events-api.ts'
import type { BackoffOptions } from './stream-reconnect.ts'

/** How a ProvisioningEventStream is configured, and what it counts. */

export interface EventStreamOptions {
  backend: LogBackend
  tenantId: string
  /** Called with events in ascending seq order; each seq at most once over the object's life. */
  onEvents(events: ProvisioningEvent[]): void
  onState?(state: StreamState): void
  onNotice?(notice: StreamNotice): void
  /** Most recent events to load before going live (default 1,000,000; 0 = live only). */
  history?: number
  /** Resume after this seq instead of loading history (e.g. the index already has events). */
  afterSeq?: number
  backoff?: Partial<BackoffOptions>
  /** No byte (not even a heartbeat) for this long means the connection is dead (default 45 s). */
  idleTimeoutMs?: number
  /**
   * How long stream events are collected into one delivery (default 0: what one network read
   * brought is one delivery).
   */
  settleMs?: number
  pageLimit?: number
  /** false: load history only and never connect (one-shot questions such as `log explain`). */
  live?: boolean
  random?: () => number
}

export interface EventStreamStats {
  delivered: number
  duplicates: number
  malformed: number
  gapFilled: number
  reconnects: number
}
