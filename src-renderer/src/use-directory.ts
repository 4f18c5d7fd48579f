import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import type { ChannelOutput } from '../../src-shared/contract.ts'
import { unwrap } from './api-error.ts'
import { useApi } from './api-context.tsx'
import type { ActiveTarget } from './use-connections.ts'
import { useLogStream } from './use-log-stream.ts'

/** Rows per page; "Load more" fetches the next page by cursor. */
export const DIRECTORY_PAGE_SIZE = 50
/** Typing settles this long before the search goes to the backend. */
export const SEARCH_DEBOUNCE_MS = 250
/** New events are gathered this long before the directory is read again (a bulk push is one refetch). */
export const LIVE_SETTLE_MS = 500

const directoryKey = (t: ActiveTarget | null) => ['directory', t?.connection, t?.tenantId] as const

/** The value once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

type Page<K extends 'directory.users' | 'directory.groups' | 'directory.groupMembers'> =
  ChannelOutput<K>

function flatten<T>(pages: { items: T[] }[] | undefined): T[] {
  return pages?.flatMap((p) => p.items) ?? []
}

/** The tenant's users matching `q`, page by page. */
export function useDirectoryUsers(target: ActiveTarget | null, q: string) {
  const api = useApi()
  const query = useInfiniteQuery({
    queryKey: [...directoryKey(target), 'users', q],
    queryFn: ({ pageParam }) =>
      unwrap(
        api['directory.users']({
          ...target!,
          limit: DIRECTORY_PAGE_SIZE,
          ...(q ? { q } : {}),
          ...(pageParam ? { cursor: pageParam } : {}),
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<'directory.users'>) => last.nextCursor,
    enabled: target !== null,
    // A new search keeps the old rows on screen until the answer arrives, so the table does not jump.
    placeholderData: (prev) => prev,
  })
  return { query, items: flatten(query.data?.pages), total: query.data?.pages[0]?.total ?? null }
}

/** The tenant's groups matching `q`, page by page. */
export function useDirectoryGroups(target: ActiveTarget | null, q: string) {
  const api = useApi()
  const query = useInfiniteQuery({
    queryKey: [...directoryKey(target), 'groups', q],
    queryFn: ({ pageParam }) =>
      unwrap(
        api['directory.groups']({
          ...target!,
          limit: DIRECTORY_PAGE_SIZE,
          ...(q ? { q } : {}),
          ...(pageParam ? { cursor: pageParam } : {}),
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<'directory.groups'>) => last.nextCursor,
    enabled: target !== null,
    placeholderData: (prev) => prev,
  })
  return { query, items: flatten(query.data?.pages), total: query.data?.pages[0]?.total ?? null }
}

/** One group's members, page by page; idle until a group is chosen. */
export function useGroupMembers(target: ActiveTarget | null, groupId: string | null) {
  const api = useApi()
  const query = useInfiniteQuery({
    queryKey: [...directoryKey(target), 'members', groupId],
    queryFn: ({ pageParam }) =>
      unwrap(
        api['directory.groupMembers']({
          ...target!,
          groupId: groupId!,
          limit: DIRECTORY_PAGE_SIZE,
          ...(pageParam ? { cursor: pageParam } : {}),
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<'directory.groupMembers'>) => last.nextCursor,
    enabled: target !== null && groupId !== null,
  })
  const first = query.data?.pages[0]
  return {
    query,
    items: flatten(query.data?.pages),
    total: first?.total ?? null,
    displayName: first?.displayName ?? null,
  }
}

/**
 * Keeps the directory live: follows the tenant's provisioning log (the same stream the log
 * screen opens) and, once new events have settled, reads the directory again. Returns the
 * stream's state for the screen's live badge.
 */
export function useDirectoryLive(target: ActiveTarget | null) {
  const stream = useLogStream(target)
  const client = useQueryClient()
  const seen = useRef(stream.generation)
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const connection = target?.connection
  const tenantId = target?.tenantId
  useEffect(() => {
    const before = seen.current
    seen.current = stream.generation
    // The first generation is the open itself: the queries are fresh already. While a refetch is
    // already scheduled, later events ride along with it (a bulk push is not starved by its own).
    if (before === 0 || stream.generation === before || pending.current !== null) return
    pending.current = setTimeout(() => {
      pending.current = null
      void client.invalidateQueries({ queryKey: ['directory', connection, tenantId] })
    }, LIVE_SETTLE_MS)
  }, [stream.generation, client, connection, tenantId])
  useEffect(
    () => () => {
      if (pending.current !== null) clearTimeout(pending.current)
      pending.current = null
    },
    [],
  )
  return stream
}

/**
 * The users the table shows: those the console's own tests created (source "This console (test)":
 * harness runs and replays) are left out unless asked for, as the log hides test traffic. Read
 * over the pages loaded so far, so `hidden` may grow with "Load more".
 */
export function visibleUsers<U extends { source: { client: string } }>(
  users: U[],
  showTestUsers: boolean,
): { shown: U[]; hidden: number } {
  if (showTestUsers) return { shown: users, hidden: users.filter(isTestUser).length }
  const shown = users.filter((u) => !isTestUser(u))
  return { shown, hidden: users.length - shown.length }
}

function isTestUser(u: { source: { client: string } }): boolean {
  return u.source.client === 'console'
}
