import { z } from 'zod'
import { userStorySchema } from '../provisioning-diagnosis.ts'
import {
  eventFilterSchema,
  eventSourceIdps,
  eventSources,
  provisioningEventSchema,
  streamNoticeSchema,
  streamStateSchema,
} from '../provisioning-event.ts'
import { replayStepSchema } from '../harness.ts'
import { tenantTarget } from './connections.ts'

/**
 * The provisioning log screen's channels. Main holds the events (src-main/provisioning-log); the
 * renderer asks for the rows it shows (offset/limit), so a million events never cross the bridge.
 */

/** One table row: what the columns show, no bodies (those come with `log.event`). */
export const logRowSchema = z.strictObject({
  seq: z.number(),
  time: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.number(),
  durationMs: z.number(),
  resourceType: z.string(),
  userName: z.string().nullable(),
  outcome: z.string(),
  errorDetail: z.string().nullable(),
  /** Who sent the request (`unknown` when the backend does not say), for the row's badge. */
  source: z.enum(eventSources),
  sourceIdp: z.enum(eventSourceIdps).nullable(),
  runId: z.string().nullable(),
})
export type LogRow = z.infer<typeof logRowSchema>

const header = z.strictObject({ name: z.string(), value: z.string() })

export const logExportFormats = ['jsonl', 'csv', 'har'] as const

export const logChannels = {
  /** Starts (or reuses) the live log of a tenant; history then arrives as `log.event` batches. */
  'log.open': {
    input: tenantTarget,
    output: z.strictObject({ state: streamStateSchema, size: z.number(), capacity: z.number() }),
  },
  'log.pause': { input: tenantTarget, output: z.strictObject({ state: streamStateSchema }) },
  'log.resume': { input: tenantTarget, output: z.strictObject({ state: streamStateSchema }) },
  'log.query': {
    input: tenantTarget
      .extend({
        filter: eventFilterSchema.default({}),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
        order: z.enum(['asc', 'desc']).default('asc'),
      })
      .strict(),
    output: z.strictObject({
      /** Matches of the filter in the whole index: the table's scroll height. */
      total: z.number(),
      offset: z.number(),
      /** Events held, unfiltered. */
      size: z.number(),
      rows: z.array(logRowSchema),
    }),
  },
  /** One event for the detail pane: bodies (redacted by the backend) and the known headers. */
  'log.getEvent': {
    input: tenantTarget.extend({ seq: z.number().int().min(0) }).strict(),
    output: z.strictObject({
      event: provisioningEventSchema,
      scimBaseUrl: z.string().nullable(),
      requestHeaders: z.array(header),
    }),
  },
  /** A runnable curl command for one event; the token is read from $SCIM_TOKEN, never included. */
  'log.curl': {
    input: tenantTarget.extend({ seq: z.number().int().min(0) }).strict(),
    output: z.strictObject({ command: z.string() }),
  },
  'log.export': {
    input: tenantTarget
      .extend({ filter: eventFilterSchema.default({}), format: z.enum(logExportFormats) })
      .strict(),
    output: z.strictObject({
      fileName: z.string(),
      mimeType: z.string(),
      text: z.string(),
      count: z.number(),
    }),
  },
  'log.userStory': {
    input: tenantTarget.extend({ query: z.string().trim().min(1).max(500) }).strict(),
    output: userStorySchema,
  },
  /**
   * Runs the IdP's request sequence for one user against the tenant with a SCIM token this
   * console holds. It writes real data, so the person must have confirmed it.
   */
  'log.replayUser': {
    input: tenantTarget
      .extend({
        userName: z.string().trim().min(1).max(500),
        profile: z.enum(['okta', 'entra']).default('okta'),
        confirmed: z.literal(true),
      })
      .strict(),
    output: z.strictObject({
      outcome: z.enum(['completed', 'diverged']),
      userId: z.string().nullable(),
      tokenLabel: z.string(),
      steps: z.array(replayStepSchema),
    }),
  },
} as const

const target = { connection: z.string(), tenantId: z.string() }

export const logEvents = {
  /** New events reached main's index (batched): the renderer re-reads the rows it shows. */
  'log.event': z.strictObject({
    ...target,
    added: z.number(),
    newestSeq: z.number().nullable(),
    size: z.number(),
  }),
  'log.state': z.strictObject({ ...target, state: streamStateSchema }),
  'log.notice': z.strictObject({ ...target, notice: streamNoticeSchema }),
} as const
