import type {
  EventOutcome,
  EventResourceType,
  ProvisioningEvent,
} from '../../src-shared/provisioning-event.ts'

/** The one event shape (src-shared), re-exported under the names the server's modules use. */
export type { EventResourceType, ProvisioningEvent }
export type Outcome = EventOutcome
export type EventError = NonNullable<ProvisioningEvent['error']>

/** What a request records: the served event minus what the store assigns (seq) or derives (time). */
export interface EventInput extends Omit<ProvisioningEvent, 'seq' | 'time'> {
  timeMs: number
  /** Already redacted and capped by the caller (see `capBody`). */
  requestBody: unknown
  responseBody: unknown
  /** `JSON.stringify` of the body above when the caller has it already (`cappedJson`). */
  requestJson?: string | null
  responseJson?: string | null
}

export interface EventRow {
  seq: number
  tenant_id: string | null
  time_ms: number
  method: string
  path: string
  status: number
  duration_ms: number
  resource_type: EventResourceType
  resource_id: string | null
  user_name: string | null
  outcome: Outcome
  error_json: string | null
  token_prefix: string | null
  request_body: string | null
  response_body: string | null
  members_json: string | null
  /** NULL on rows stored before sources were recorded (db.ts, addEventSourceColumns). */
  source: string | null
  source_idp: string | null
  run_id: string | null
  user_agent: string | null
}

export const BODY_CAP_BYTES = 16 * 1024
/**
 * A list response keeps less: its totals and first resources say what the page was, a page of
 * 100 users is ~60 KB, and an IdP's import sends thousands of pages (16 KB each made them most
 * of a log's size, and of its writes and pruning).
 */
export const LIST_BODY_CAP_BYTES = 4 * 1024

/** Caps an already-redacted body so one huge request cannot bloat the event log. */
export function capBody(body: unknown): unknown {
  if (body === undefined || body === null) return null
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  if (text.length <= BODY_CAP_BYTES) return body
  return `${text.slice(0, BODY_CAP_BYTES)}…[truncated]`
}

/**
 * `capBody` and the JSON text the event stores for its result, measured and serialised in one
 * `JSON.stringify` instead of one here and one more at the insert.
 */
export function cappedJson(
  body: unknown,
  cap = BODY_CAP_BYTES,
): { body: unknown; json: string | null } {
  if (body === undefined || body === null) return { body: null, json: null }
  if (typeof body === 'string') {
    const capped = capBody(body)
    return { body: capped, json: JSON.stringify(capped) }
  }
  return cappedText(JSON.stringify(body), () => body, cap)
}

/**
 * `cappedJson` for a body already serialised: `body` gives the value when it fits, called only
 * when something reads it (the served event is built only for a tenant someone is watching).
 */
export function cappedText(
  text: string,
  body: () => unknown,
  cap = BODY_CAP_BYTES,
): { readonly body: unknown; json: string } {
  if (text.length <= cap) {
    let value: unknown
    let made = false
    return {
      get body() {
        if (!made) {
          value = body()
          made = true
        }
        return value
      },
      json: text,
    }
  }
  const capped = `${text.slice(0, cap)}…[truncated]`
  return { body: capped, json: JSON.stringify(capped) }
}

function parseJson(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** The membership part of an event as stored (one JSON column), or null when there is none. */
export function membersJson(input: EventInput): string | null {
  return input.membersAdded?.length || input.membersRemoved?.length
    ? JSON.stringify({ added: input.membersAdded ?? [], removed: input.membersRemoved ?? [] })
    : null
}

/** Who sent the request, as served: `unknown` for rows from before sources were recorded. */
function sourceFields(
  r: EventRow,
): Pick<ProvisioningEvent, 'source' | 'sourceIdp' | 'runId' | 'userAgent'> {
  const out: Pick<ProvisioningEvent, 'source' | 'sourceIdp' | 'runId' | 'userAgent'> = {
    source: (r.source ?? 'unknown') as NonNullable<ProvisioningEvent['source']>,
  }
  if (r.source_idp !== null) out.sourceIdp = r.source_idp as ProvisioningEvent['sourceIdp']
  if (r.run_id !== null) out.runId = r.run_id
  if (r.source !== null) out.userAgent = r.user_agent
  return out
}

function inputSourceFields(
  input: EventInput,
): Pick<ProvisioningEvent, 'source' | 'sourceIdp' | 'runId' | 'userAgent'> {
  const out: Pick<ProvisioningEvent, 'source' | 'sourceIdp' | 'runId' | 'userAgent'> = {
    source: input.source ?? 'unknown',
  }
  if (input.sourceIdp !== undefined) out.sourceIdp = input.sourceIdp
  if (input.runId !== undefined) out.runId = input.runId
  if (input.source !== undefined) out.userAgent = input.userAgent ?? null
  return out
}

export function toEvent(r: EventRow): ProvisioningEvent {
  const e: ProvisioningEvent = {
    seq: r.seq,
    tenantId: r.tenant_id,
    time: new Date(r.time_ms).toISOString(),
    method: r.method,
    path: r.path,
    status: r.status,
    durationMs: r.duration_ms,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    userName: r.user_name,
    outcome: r.outcome,
    error: r.error_json === null ? null : (JSON.parse(r.error_json) as EventError),
    tokenHashPrefix: r.token_prefix,
    ...sourceFields(r),
    requestBody: parseJson(r.request_body),
    responseBody: parseJson(r.response_body),
  }
  if (r.members_json !== null) {
    const m = JSON.parse(r.members_json) as { added: string[]; removed: string[] }
    e.membersAdded = m.added
    e.membersRemoved = m.removed
  }
  return e
}

/** The event exactly as `toEvent` would read it back, built from what was just inserted. */
export function eventOf(input: EventInput, seq: number, members: string | null): ProvisioningEvent {
  const event: ProvisioningEvent = {
    seq,
    tenantId: input.tenantId,
    time: new Date(input.timeMs).toISOString(),
    method: input.method,
    path: input.path,
    status: input.status,
    durationMs: input.durationMs,
    resourceType: input.resourceType,
    resourceId: input.resourceId,
    userName: input.userName,
    outcome: input.outcome,
    error: input.error,
    tokenHashPrefix: input.tokenHashPrefix,
    ...inputSourceFields(input),
    requestBody: input.requestBody ?? null,
    responseBody: input.responseBody ?? null,
  }
  if (members !== null) {
    event.membersAdded = input.membersAdded ?? []
    event.membersRemoved = input.membersRemoved ?? []
  }
  return event
}
