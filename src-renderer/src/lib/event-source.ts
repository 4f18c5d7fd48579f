import {
  eventSources,
  testTrafficSources,
  type EventFilter,
  type EventSource,
  type EventSourceIdp,
} from '../../../src-shared/provisioning-event.ts'
import type { Tone } from './tone.ts'

/**
 * How the log shows who sent a request: a compact label per source (the IdP by name), and the
 * filter the table really runs, which hides the console's own test traffic unless asked.
 */

export interface SourceLabel {
  /** Short, for the table's badge. */
  short: string
  /** A sentence part for titles and the detail view. */
  long: string
  tone: Tone
}

const IDP_LABELS: Record<EventSourceIdp, SourceLabel> = {
  okta: { short: 'Okta', long: 'Okta (its provisioning requests)', tone: 'info' },
  entra: { short: 'Entra', long: 'Microsoft Entra ID (its provisioning service)', tone: 'info' },
  other: { short: 'IdP', long: 'An IdP or client the backend does not name', tone: 'info' },
}

const LABELS: Record<Exclude<EventSource, 'idp'>, SourceLabel> = {
  harness: {
    short: 'Test run',
    long: 'The pre-go-live test (conformance harness)',
    tone: 'neutral',
  },
  replay: { short: 'Replay', long: 'The console’s “replay this user”', tone: 'neutral' },
  other: { short: 'Other', long: 'Another client (curl, a script, a browser)', tone: 'warn' },
  unknown: {
    short: 'Unknown',
    long: 'Not recorded (an older or hosted backend that does not record sources)',
    tone: 'neutral',
  },
}

export function sourceLabel(source: EventSource, sourceIdp?: EventSourceIdp | null): SourceLabel {
  return source === 'idp' ? IDP_LABELS[sourceIdp ?? 'other'] : LABELS[source]
}

/** The chips of the source filter, in the order they are offered. */
export const SOURCE_CHOICES: Array<{ source: EventSource; label: string }> = [
  { source: 'idp', label: 'IdP' },
  { source: 'harness', label: 'Test run' },
  { source: 'replay', label: 'Replay' },
  { source: 'other', label: 'Other' },
  { source: 'unknown', label: 'Unknown' },
]

const NOT_TEST: EventSource[] = eventSources.filter((s) => !testTrafficSources.includes(s))

/**
 * The filter the table runs. A source chosen in the filters wins; otherwise test traffic
 * (harness and replay) is left out unless the person asked to see it.
 */
export function effectiveFilter(filter: EventFilter, showTestTraffic: boolean): EventFilter {
  if (filter.source?.length || showTestTraffic) return filter
  return { ...filter, source: NOT_TEST }
}

/** The test traffic the toggle would show: the same filter, harness and replay only. */
export function testTrafficFilter(filter: EventFilter): EventFilter {
  return { ...filter, source: [...testTrafficSources] }
}
