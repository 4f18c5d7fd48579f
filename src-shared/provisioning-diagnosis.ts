import { z } from 'zod'
import { provisioningEventSchema } from './provisioning-event.ts'

/**
 * "Why is this user not showing up?" as data: what the console found, which events prove it and
 * what to do. Produced in main (src-main/provisioning-log/diagnosis.ts), shown by the renderer and
 * printed by `scim-console log explain`.
 */

export const diagnosisCauses = [
  'no_requests',
  'token_other_tenant',
  'auth_rejected',
  'lookup_miss_conflict',
  'create_rejected',
  'update_rejected',
  'deactivated',
  'deleted',
  'not_in_group',
  'rate_limited',
  'slow_responses',
  'server_error',
] as const
export type DiagnosisCause = (typeof diagnosisCauses)[number]

export const evidenceSchema = z.object({
  seq: z.number(),
  time: z.string(),
  /** e.g. `POST /Users → 409: A user with userName "jane@acme.com" already exists…` (redacted). */
  summary: z.string(),
})
export type Evidence = z.infer<typeof evidenceSchema>

export const findingSchema = z.object({
  cause: z.enum(diagnosisCauses),
  title: z.string(),
  /** What happened and why it matters for provisioning. */
  explanation: z.string(),
  fix: z.string(),
  evidence: z.array(evidenceSchema),
  /** A later request succeeded: shown for the record, not the reason the user is missing now. */
  resolved: z.boolean(),
})
export type Finding = z.infer<typeof findingSchema>

export const diagnosisSchema = z.object({
  query: z.string(),
  verdict: z.enum(['problem', 'healthy', 'inconclusive']),
  summary: z.string(),
  findings: z.array(findingSchema),
  /** What to look at next when the evidence does not settle it. */
  nextChecks: z.array(z.string()),
})
export type Diagnosis = z.infer<typeof diagnosisSchema>

export const userStateSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('found'),
    matchedBy: z.enum(['userName', 'externalId', 'id']),
    user: z.object({
      id: z.string(),
      userName: z.string(),
      active: z.boolean(),
      externalId: z.string().nullable(),
      displayName: z.string().nullable(),
      groups: z.array(z.string()),
    }),
  }),
  z.object({ kind: z.literal('not_found') }),
  z.object({ kind: z.literal('unknown'), reason: z.string() }),
])

/** What `log.userStory` returns to the renderer: the timeline, the state and the diagnosis. */
export const userStorySchema = z.object({
  query: z.string(),
  identity: z.object({
    userNames: z.array(z.string()),
    emails: z.array(z.string()),
    externalIds: z.array(z.string()),
    ids: z.array(z.string()),
  }),
  events: z.array(provisioningEventSchema),
  current: userStateSchema,
  diagnosis: diagnosisSchema,
})
export type UserStoryView = z.infer<typeof userStorySchema>
