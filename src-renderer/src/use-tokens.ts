import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { unwrap } from './api-error.ts'
import { useApi } from './api-context.tsx'
import type { ActiveTarget } from './use-connections.ts'

/**
 * `live`: read again every few seconds while shown (the Tokens screen). After a rotation the admin
 * watches "Last used by the IdP" for the new token, and Okta's next request must show up without
 * a reload. react-query pauses the interval while the window is hidden.
 */
export const TOKEN_LIST_REFRESH_MS = 5_000

export function useTokenList(target: ActiveTarget | null, { live = false } = {}) {
  const api = useApi()
  return useQuery({
    queryKey: ['tokens.list', target?.connection, target?.tenantId],
    queryFn: () => unwrap(api['tokens.list'](target!)),
    enabled: target !== null,
    refetchInterval: live ? TOKEN_LIST_REFRESH_MS : false,
  })
}

function useRefreshTokens() {
  const client = useQueryClient()
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['tokens.list'] }),
      client.invalidateQueries({ queryKey: ['connections.overview'] }),
    ])
}

/**
 * Create, rotate and reveal return a secret: `gcTime: 0` keeps it out of the mutation cache once
 * the component that shows it is gone, so it lives only as long as it is on screen.
 */
export function useCreateToken(target: ActiveTarget | null) {
  const api = useApi()
  const refresh = useRefreshTokens()
  return useMutation({
    gcTime: 0,
    mutationFn: (label: string) => unwrap(api['tokens.create']({ ...target!, label })),
    onSuccess: () => refresh(),
  })
}

export function useRotateToken(target: ActiveTarget | null) {
  const api = useApi()
  const refresh = useRefreshTokens()
  return useMutation({
    gcTime: 0,
    mutationFn: (tokenId: string) => unwrap(api['tokens.rotate']({ ...target!, tokenId })),
    onSuccess: () => refresh(),
  })
}

export function useRevokeToken(target: ActiveTarget | null) {
  const api = useApi()
  const refresh = useRefreshTokens()
  return useMutation({
    mutationFn: (tokenId: string) => unwrap(api['tokens.revoke']({ ...target!, tokenId })),
    onSuccess: () => refresh(),
  })
}

export function useRevealToken(target: ActiveTarget | null) {
  const api = useApi()
  return useMutation({
    gcTime: 0,
    mutationFn: (tokenId: string) => unwrap(api['tokens.reveal']({ ...target!, tokenId })),
  })
}
