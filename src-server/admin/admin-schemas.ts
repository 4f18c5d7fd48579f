import { z } from 'zod'
import { eventSources } from '../../src-shared/provisioning-event.ts'

/**
 * The zod mirror of the request shapes in resources/admin-api.openapi.yaml. The server validates
 * with these; admin-schemas.test.ts checks them against the YAML so the two cannot drift apart.
 * Keys are the YAML's component names (bodies) or operation ids (query parameters).
 */
export const requestBodies = {
  TenantCreate: z.strictObject({ name: z.string().min(1).max(200) }),
  SsoUpdate: z.strictObject({ metadataXml: z.string().min(1).max(1_048_576) }),
  ScimTokenCreate: z.strictObject({
    label: z.string().min(1).max(200),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (a SHA-256)'),
  }),
}

const limit = z.coerce.number().int().min(1).max(500).default(50)
const cursor = z.string().regex(/^\d+$/, 'must be the nextCursor of a previous page').optional()
const instant = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time')
  .optional()

const sourceNames: readonly string[] = eventSources
const sourceName = `(${sourceNames.join('|')})`
/** `source=idp,unknown`: any of these (the route also joins repeated `source=` parameters). */
const sources = z
  .string()
  .regex(
    new RegExp(`^${sourceName}(,${sourceName})*$`),
    `must be a comma-separated list of ${sourceNames.join(', ')}`,
  )
  .transform((s) => [...new Set(s.split(','))])
  .optional()

export const queryParams = {
  listUsers: z.object({ cursor, limit, q: z.string().optional() }),
  listGroups: z.object({ cursor, limit, q: z.string().optional() }),
  listGroupMembers: z.object({ cursor, limit }),
  listEvents: z.object({
    cursor,
    limit,
    user: z.string().min(1).optional(),
    statusClass: z.enum(['2xx', '3xx', '4xx', '5xx']).optional(),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
    resourceType: z.enum(['User', 'Group', 'Discovery', 'Unknown']).optional(),
    outcome: z
      .enum([
        'created',
        'updated',
        'deactivated',
        'reactivated',
        'deleted',
        'membership_changed',
        'read',
        'lookup_empty',
        'rejected',
      ])
      .optional(),
    source: sources,
    since: instant,
    until: instant,
  }),
  streamEvents: z.object({ lastEventId: z.string().regex(/^\d+$/).optional(), source: sources }),
}

/** `{ path: message }` lines for the error's `details`, and one sentence for `message`. */
export function describeIssues(error: z.ZodError): {
  message: string
  details: { path: string; message: string }[]
} {
  const details = error.issues.map((i) => ({
    path: i.path.length ? i.path.join('.') : '(body)',
    message: i.message,
  }))
  const message = details.map((d) => `${d.path}: ${d.message}`).join('; ')
  return { message, details }
}
