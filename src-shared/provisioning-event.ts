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
