import type { EventFilter, StreamState } from '../../../src-shared/provisioning-event.ts'
import type { Tone } from './tone.ts'

/** The next retry is seconds away: its time of day is enough. */
function timeOfDay(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(11, 23)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/**
 * An event's time in UTC, like the backend's log: today's to the millisecond ("15:40:05.123"),
 * another day's with its date ("22 Nov 15:40:05"), another year's with the year too
 * ("22 Nov 2025 15:40"). The full ISO time goes in the title.
 */
export function formatEventTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const t = d.toISOString()
  if (t.slice(0, 10) === now.toISOString().slice(0, 10)) return t.slice(11, 23)
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`
  return d.getUTCFullYear() === now.getUTCFullYear()
    ? `${day} ${t.slice(11, 19)}`
    : `${day} ${d.getUTCFullYear()} ${t.slice(11, 16)}`
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
}

export function statusTone(status: number): Tone {
  if (status >= 500 || status === 401 || status === 403 || status === 409) return 'bad'
  if (status >= 400) return 'warn'
  if (status >= 200 && status < 400) return 'good'
  return 'neutral'
}

/** The stream badge: what the person needs to know about the live connection, in words. */
export function describeStreamState(state: StreamState | null): {
  label: string
  tone: Tone
  detail: string | null
} {
  if (!state) return { label: 'Connecting', tone: 'neutral', detail: null }
  switch (state.state) {
    case 'connecting':
      return { label: 'Connecting', tone: 'neutral', detail: null }
    case 'live':
      return { label: 'Live', tone: 'good', detail: null }
    case 'paused':
      return {
        label: 'Paused',
        tone: 'warn',
        detail: 'New events are not received until you resume.',
      }
    case 'reconnecting':
      return {
        label: 'Reconnecting',
        tone: 'warn',
        detail: `Attempt ${state.attempt} at ${timeOfDay(state.nextAttemptAt)} UTC — ${state.reason}`,
      }
    case 'stopped':
      return { label: 'Stopped', tone: 'bad', detail: state.reason ?? null }
  }
}

/** Adds or removes one value of a multi-valued filter field; an empty list means "any". */
export function toggleValue<T>(list: readonly T[] | undefined, value: T): T[] | undefined {
  const current = list ?? []
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value]
  return next.length ? next : undefined
}

/** Drops empty fields so the filter (and the query key built from it) has one form. */
export function cleanFilter(filter: EventFilter): EventFilter {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === '') continue
    if (Array.isArray(value) && value.length === 0) continue
    out[key] = typeof value === 'string' ? value.trim() || undefined : value
    if (out[key] === undefined) delete out[key]
  }
  return out as EventFilter
}

/** `<input type="datetime-local">` gives local time without a zone; the filter wants ISO UTC. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

export function prettyBody(body: unknown): string {
  if (body === null || body === undefined) return ''
  if (typeof body === 'string') {
    try {
      return JSON.stringify(JSON.parse(body), null, 2)
    } catch {
      return body
    }
  }
  return JSON.stringify(body, null, 2)
}

/** Paths as a person reads them: `/Users?filter=userName eq "jane@acme.com"`, not %20%22. */
export function readablePath(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}
