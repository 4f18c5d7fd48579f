import { z } from 'zod'
import { tenantTarget } from './connections.ts'

/** Which client created a user or group (from its creating event), or `unknown` once pruned. */
export const directoryClients = ['okta', 'entra', 'console', 'other', 'unknown'] as const
export type DirectoryClient = (typeof directoryClients)[number]

const page = {
  /** `nextCursor` of the previous page; absent for the first. */
  cursor: z.string().regex(/^\d+$/, 'must be the nextCursor of a previous page').optional(),
  limit: z.number().int().min(1).max(200).optional(),
}

const search = tenantTarget
  .extend({
    /** Case-insensitive substring (userName, displayName, externalId; groups: displayName, externalId). */
    q: z.string().max(200).optional(),
    ...page,
  })
  .strict()

const source = z.strictObject({
  client: z.enum(directoryClients),
  userAgent: z.string().nullable(),
  /** The creating event, to open the log's story at it; null when the log no longer keeps it. */
  seq: z.number().int().nullable(),
  time: z.string().nullable(),
})

const lastChange = z
  .strictObject({ seq: z.number().int(), time: z.string(), outcome: z.string() })
  .nullable()

const directoryUser = z.strictObject({
  id: z.string(),
  userName: z.string(),
  displayName: z.string().nullable(),
  externalId: z.string().nullable(),
  active: z.boolean(),
  /** Group display names. */
  groups: z.array(z.string()),
  createdAt: z.string(),
  lastModified: z.string(),
  source,
  lastChange,
})
export type DirectoryUser = z.infer<typeof directoryUser>

const directoryGroup = z.strictObject({
  id: z.string(),
  displayName: z.string(),
  externalId: z.string().nullable(),
  memberCount: z.number().int(),
  createdAt: z.string(),
  lastModified: z.string(),
  source,
  lastChange,
})
export type DirectoryGroup = z.infer<typeof directoryGroup>

const groupMember = z.strictObject({
  id: z.string(),
  type: z.enum(['User', 'Group']),
  /** A user's userName or a nested group's displayName. */
  display: z.string().nullable(),
  /** A user member's state; null for a nested group. */
  active: z.boolean().nullable(),
})
export type DirectoryGroupMember = z.infer<typeof groupMember>

const pageOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    items: z.array(item),
    nextCursor: z.string().nullable(),
    /** Matching the search (all without one). */
    total: z.number().int(),
  })

/** The Directory screen: who and what the tenant holds, where each came from, what changed last. */
export const directoryChannels = {
  'directory.users': { input: search, output: pageOf(directoryUser) },
  'directory.groups': { input: search, output: pageOf(directoryGroup) },
  'directory.groupMembers': {
    input: tenantTarget.extend({ groupId: z.string().min(1).max(200), ...page }).strict(),
    output: pageOf(groupMember).extend({ groupId: z.string(), displayName: z.string() }).strict(),
  },
} as const
