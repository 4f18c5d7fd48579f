import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { StreamNotice, StreamState } from '../../src-shared/provisioning-event.ts'
import { useApi } from './api-context.tsx'
import { unwrap } from './api-error.ts'
import type { ActiveTarget } from './use-connections.ts'

export interface LogStream {
  /** True while main loads the history (the first open of a tenant). */
  loading: boolean
  error: unknown
  state: StreamState | null
  /** Bumped on every batch of new events: the table re-reads the rows it shows. */
  generation: number
  size: number
  notices: StreamNotice[]
  pause(): void
  resume(): void
  toggling: boolean
}

/** What main has told about one tenant's live log: the open answer, then its events. */
export interface StreamSnapshot {
  state: StreamState
  size: number
  generation: number
}

type TenantKey = { connection: string; tenantId: string } | null
export const streamKey = (t: TenantKey) => ['log.stream', t?.connection, t?.tenantId] as const
/** Notices apart: they may arrive while the first open still loads the history. */
export const noticesKey = (t: TenantKey) => ['log.notices', t?.connection, t?.tenantId] as const

/**
 * Opens the tenant's live log in main and follows its state and new-event announcements. All of
 * it is server state, so it lives in the query cache: the open answer is the query's data and the
 * stream's events patch that same entry.
 */
export function useLogStream(target: ActiveTarget | null): LogStream {
  const api = useApi()
  const client = useQueryClient()
  const opening = useQuery({
    queryKey: streamKey(target),
    queryFn: async (): Promise<StreamSnapshot> => {
      const opened = await unwrap(api['log.open'](target!))
      // A re-open keeps counting generations, so no page cached under an older one is reused.
      const prev = client.getQueryData<StreamSnapshot>(streamKey(target))
      return { state: opened.state, size: opened.size, generation: (prev?.generation ?? 0) + 1 }
    },
    enabled: target !== null,
    // Coming back to the screen asks again: main answers at once with the stream's current state.
    staleTime: 0,
  })
  const notices = useQuery({
    queryKey: noticesKey(target),
    queryFn: () => client.getQueryData<StreamNotice[]>(noticesKey(target)) ?? [],
    enabled: false,
  })

  useEffect(() => {
    // Events before the open answer are covered by it (it carries the current state and size).
    const patch = (
      p: { connection: string; tenantId: string },
      change: (prev: StreamSnapshot) => Partial<StreamSnapshot>,
    ) =>
      client.setQueryData<StreamSnapshot>(streamKey(p), (prev) =>
        prev ? { ...prev, ...change(prev) } : prev,
      )
    const offs = [
      api.on('log.state', (p) => patch(p, () => ({ state: p.state }))),
      api.on('log.event', (p) =>
        patch(p, (prev) => ({ size: p.size, generation: prev.generation + 1 })),
      ),
      api.on('log.notice', (p) =>
        client.setQueryData<StreamNotice[]>(noticesKey(p), (prev = []) => [
          ...prev.slice(-4),
          p.notice,
        ]),
      ),
    ]
    return () => offs.forEach((off) => off())
  }, [api, client])

  const toggle = useMutation({
    mutationFn: (action: 'pause' | 'resume') =>
      unwrap(api[action === 'pause' ? 'log.pause' : 'log.resume'](target!)),
    // Resuming changes the state asynchronously (reconnect), and the state events may overtake
    // this answer: a still-"paused" answer to resume must not overwrite a newer "live".
    onSuccess: (r, action) => {
      if (!(action === 'resume' && r.state.state === 'paused') && target)
        client.setQueryData<StreamSnapshot>(streamKey(target), (prev) =>
          prev ? { ...prev, state: r.state } : prev,
        )
    },
  })

  const snapshot = opening.data
  return {
    loading: opening.isPending && target !== null,
    error: opening.error ?? toggle.error,
    state: snapshot?.state ?? null,
    generation: snapshot?.generation ?? 0,
    size: snapshot?.size ?? 0,
    notices: notices.data ?? [],
    pause: () => toggle.mutate('pause'),
    resume: () => toggle.mutate('resume'),
    toggling: toggle.isPending,
  }
}
