import { z } from 'zod'

/**
 * One provisioning event as the reference backend records it (resources/admin-api.openapi.yaml,
 * `ProvisioningEvent`). Main validates every event it receives from the backend with this schema,
 * so the index, the user story, the diagnosis and the renderer all see one shape.
 */

export const eventOutcomes = [
  'created',
  'updated',
  'deactivated',
  'reactivated',
  'deleted',
  'membership_changed',
  'read',
  'lookup_empty',
  'rejected',
] as const
export type EventOutcome = (typeof eventOutcomes)[number]

export const eventResourceTypes = ['User', 'Group', 'Discovery', 'Unknown'] as const
export type EventResourceType = (typeof eventResourceTypes)[number]

export const eventMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * Who sent a SCIM request, as the backend decided (src-server/scim/request-source.ts): the IdP,
 * this console's conformance harness or its "replay this user", another client (curl, a script),
 * or `unknown` for events recorded by a backend that does not say (an older reference backend, or
 * a hosted one that does not record it).
 */
export const eventSources = ['idp', 'harness', 'replay', 'other', 'unknown'] as const
export type EventSource = (typeof eventSources)[number]

/** Which IdP, for `source: 'idp'`; `other` is an IdP we do not name, or a client we cannot place. */
export const eventSourceIdps = ['okta', 'entra', 'other'] as const
export type EventSourceIdp = (typeof eventSourceIdps)[number]

/** The console's own test traffic: hidden in the log unless asked for. */
export const testTrafficSources: readonly EventSource[] = ['harness', 'replay']

/**
 * What the diagnosis and go-live detection count as the IdP's traffic. `unknown` is included: a
 * backend that records no source still has the IdP's requests, and leaving them out would make
 * every user look never sent.
 */
export const idpTrafficSources: readonly EventSource[] = ['idp', 'unknown']

export function sourceOf(e: { source?: EventSource | undefined }): EventSource {
  return e.source ?? 'unknown'
}

export function isIdpTraffic(e: { source?: EventSource | undefined }): boolean {
  return idpTrafficSources.includes(sourceOf(e))
}

export function isTestTraffic(e: { source?: EventSource | undefined }): boolean {
  return testTrafficSources.includes(sourceOf(e))
}

export const statusClasses = ['2xx', '3xx', '4xx', '5xx'] as const
export type StatusClass = (typeof statusClasses)[number]

export const provisioningEventSchema = z.object({
  // Per tenant 1, 2, 3, ... without gaps: a jump on the stream means missed events.
  seq: z.number().int().nonnegative(),
  tenantId: z.string().nullable(),
  time: z.string().min(1),
  method: z.string().min(1),
  /** Path and query as received, below /scim/v2. */
  path: z.string(),
  status: z.number().int(),
  durationMs: z.number().nonnegative(),
  resourceType: z.enum(eventResourceTypes),
  resourceId: z.string().nullable(),
  userName: z.string().nullable(),
  outcome: z.enum(eventOutcomes),
  error: z
    .object({
      status: z.string(),
      scimType: z.string().optional(),
      detail: z.string(),
      /**
       * The backend's machine reason (src-shared/scim-error-reasons.ts); absent on events recorded
       * before reasons existed. A string, not an enum, so a newer backend's code is kept, not refused.
       */
      reason: z.string().optional(),
    })
    .nullable(),
  tokenHashPrefix: z.string().nullable(),
  /** Absent from backends that do not record it: read it with `sourceOf()`. */
  source: z.enum(eventSources).optional(),
  /** For `source: 'idp'`: which IdP the User-Agent names. */
  sourceIdp: z.enum(eventSourceIdps).optional(),
  /** For `harness` (the report's run id) and `replay` (the replay's id), when the client sent one. */
  runId: z.string().optional(),
  /** The request's User-Agent as received (redacted, capped at 256 characters); null when none. */
  userAgent: z.string().nullable().optional(),
  /** Redacted by the backend and capped at 16 KB (then a string ending in "…[truncated]"). */
  requestBody: z.unknown(),
  responseBody: z.unknown(),
  membersAdded: z.array(z.string()).optional(),
  membersRemoved: z.array(z.string()).optional(),
})

export type ProvisioningEvent = z.infer<typeof provisioningEventSchema>

export function statusClassOf(status: number): StatusClass | null {
  const c = Math.floor(status / 100)
  return c >= 2 && c <= 5 ? (`${c}xx` as StatusClass) : null
}

/** What the log table, the CLI filters and the index query agree on. */
export const eventFilterSchema = z.object({
  /** userName (any case), email, externalId or SCIM id. */
  user: z.string().min(1).optional(),
  statusClass: z.array(z.enum(statusClasses)).optional(),
  /** Exact statuses (401, 429), for the diagnosis and a click on a status cell. */
  status: z.array(z.number().int().min(100).max(599)).optional(),
  method: z.array(z.string().min(1)).optional(),
  resourceType: z.array(z.enum(eventResourceTypes)).optional(),
  outcome: z.array(z.enum(eventOutcomes)).optional(),
  /** Who sent the request (`sourceOf`: an event without one is `unknown`). */
  source: z.array(z.enum(eventSources)).optional(),
  /** ISO 8601, inclusive. */
  since: z.string().optional(),
  /** ISO 8601, exclusive. */
  until: z.string().optional(),
  /** Case-insensitive substring of the event: path, user and error always; bodies while the index holds them. */
  text: z.string().min(1).optional(),
})
export type EventFilter = z.infer<typeof eventFilterSchema>

/** The stream's state as the log screen shows it. */
export const streamStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('connecting') }),
  z.object({ state: z.literal('live'), since: z.string() }),
  z.object({
    state: z.literal('reconnecting'),
    attempt: z.number().int(),
    nextAttemptAt: z.string(),
    reason: z.string(),
  }),
  z.object({ state: z.literal('paused') }),
  z.object({ state: z.literal('stopped'), reason: z.string().optional() }),
])
export type StreamState = z.infer<typeof streamStateSchema>

/** Things the stream tells the person about without stopping: skipped or recovered data. */
export const streamNoticeSchema = z.object({
  kind: z.enum(['stream.malformed', 'stream.gap_filled', 'stream.resumed', 'stream.error']),
  message: z.string(),
  /** Sequence numbers involved (the malformed event's id, the events a gap fill recovered). */
  seqs: z.array(z.number()).optional(),
  time: z.string(),
})
export type StreamNotice = z.infer<typeof streamNoticeSchema>
