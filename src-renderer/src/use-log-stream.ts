import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { StreamNotice, StreamState } from '../../src-shared/provisioning-event.ts'
import { api, unwrap } from './api.ts'
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

const sameTarget = (t: ActiveTarget | null, p: { connection: string; tenantId: string }) =>
  t !== null && t.connection === p.connection && t.tenantId === p.tenantId

/** Opens the tenant's live log in main and follows its state and new-event announcements. */
export function useLogStream(target: ActiveTarget | null): LogStream {
  const [state, setState] = useState<StreamState | null>(null)
  const [generation, setGeneration] = useState(0)
  const [size, setSize] = useState(0)
  const [notices, setNotices] = useState<StreamNotice[]>([])
  const opening = useQuery({
    queryKey: ['log.open', target?.connection, target?.tenantId],
    queryFn: async () => {
      const opened = await unwrap(api['log.open'](target!))
      setState(opened.state)
      setSize(opened.size)
      setGeneration((g) => g + 1)
      return opened
    },
    enabled: target !== null,
    // Coming back to the screen asks again: main answers at once with the stream's current state.
    staleTime: 0,
  })

  useEffect(() => {
    if (!target) return
    const offs = [
      api.on('log.state', (p) => {
        if (sameTarget(target, p)) setState(p.state)
      }),
      api.on('log.event', (p) => {
        if (!sameTarget(target, p)) return
        setSize(p.size)
        setGeneration((g) => g + 1)
      }),
      api.on('log.notice', (p) => {
        if (sameTarget(target, p)) setNotices((n) => [...n.slice(-4), p.notice])
      }),
    ]
    return () => offs.forEach((off) => off())
  }, [target?.connection, target?.tenantId]) // the target's identity is its two strings

  const toggle = useMutation({
    mutationFn: (action: 'pause' | 'resume') =>
      unwrap(api[action === 'pause' ? 'log.pause' : 'log.resume'](target!)),
    // Resuming changes the state asynchronously (reconnect), and the state events may overtake
    // this answer: a still-"paused" answer to resume must not overwrite a newer "live".
    onSuccess: (r, action) => {
      if (!(action === 'resume' && r.state.state === 'paused')) setState(r.state)
    },
  })

  return {
    loading: opening.isPending && target !== null,
    error: opening.error ?? toggle.error,
    state: state ?? opening.data?.state ?? null,
    generation,
    size,
    notices,
    pause: () => toggle.mutate('pause'),
    resume: () => toggle.mutate('resume'),
    toggling: toggle.isPending,
  }
}
