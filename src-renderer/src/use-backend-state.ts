import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { EmbeddedBackendState } from '../../src-shared/channels/app.ts'
import { useApi } from './api-context.tsx'
import { unwrap } from './api-error.ts'

const key = ['app.backendState'] as const

/** The embedded backend as main supervises it; main's `app.backendChanged` events keep it current. */
export function useBackendState() {
  const api = useApi()
  const client = useQueryClient()
  useEffect(
    () =>
      api.on('app.backendChanged', (state) =>
        client.setQueryData<EmbeddedBackendState>(key, state),
      ),
    [api, client],
  )
  return useQuery({
    queryKey: key,
    queryFn: () => unwrap(api['app.backendState']({})),
    staleTime: Infinity,
  })
}
