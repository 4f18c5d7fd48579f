import type { DirectoryClient, directoryChannels } from '../../src-shared/channels/directory.ts'
import type { AppServices } from '../app-services.ts'
import type { DomainHandlers } from './handler-types.ts'

/** The cursor and limit the backend takes, without the keys the renderer left out. */
function paging(input: { cursor?: string | undefined; limit?: number | undefined }) {
  return {
    ...(input.cursor !== undefined ? { cursor: input.cursor } : {}),
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
  }
}

type Source = {
  client: DirectoryClient
  userAgent: string | null
  seq: number | null
  time: string | null
}
type Change = { seq: number; time: string; outcome: string } | null

const sourceOf = ({ client, userAgent, seq, time }: Source) => ({ client, userAgent, seq, time })
const changeOf = (c: Change) => c && { seq: c.seq, time: c.time, outcome: c.outcome }

/**
 * The Directory screen's reads, straight from the admin API. Each field is copied by name so a
 * newer backend's extra fields never fail the contract's strict output check.
 */
export function directoryHandlers({
  backends,
}: AppServices): DomainHandlers<typeof directoryChannels> {
  const client = async (connection: string) => (await backends.access()).client(connection)
  return {
    'directory.users': async ({ connection, tenantId, q, ...rest }) => {
      const page = await (
        await client(connection)
      ).listUsers(tenantId, { ...paging(rest), ...(q?.trim() ? { q: q.trim() } : {}) })
      return {
        items: page.items.map((u) => ({
          id: u.id,
          userName: u.userName,
          displayName: u.displayName,
          externalId: u.externalId,
          active: u.active,
          groups: u.groups,
          createdAt: u.createdAt,
          lastModified: u.lastModified,
          source: sourceOf(u.source),
          lastChange: changeOf(u.lastChange),
        })),
        nextCursor: page.nextCursor,
        total: page.total,
      }
    },
    'directory.groups': async ({ connection, tenantId, q, ...rest }) => {
      const page = await (
        await client(connection)
      ).listGroups(tenantId, { ...paging(rest), ...(q?.trim() ? { q: q.trim() } : {}) })
      return {
        items: page.items.map((g) => ({
          id: g.id,
          displayName: g.displayName,
          externalId: g.externalId,
          memberCount: g.memberCount,
          createdAt: g.createdAt,
          lastModified: g.lastModified,
          source: sourceOf(g.source),
          lastChange: changeOf(g.lastChange),
        })),
        nextCursor: page.nextCursor,
        total: page.total,
      }
    },
    'directory.groupMembers': async ({ connection, tenantId, groupId, ...rest }) => {
      const page = await (
        await client(connection)
      ).listGroupMembers(tenantId, groupId, paging(rest))
      return {
        groupId: page.groupId,
        displayName: page.displayName,
        items: page.items.map(({ id, type, display, active }) => ({ id, type, display, active })),
        nextCursor: page.nextCursor,
        total: page.total,
      }
    },
  }
}
