import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { ChannelInput } from '../../src-shared/contract.ts'
import { unwrap } from './api-error.ts'
import { useApi } from './api-context.tsx'
import type { ActiveTarget } from './use-connections.ts'

export type PushSource = ChannelInput<'sso.diff'>['source']

export function useSsoDiff() {
  const api = useApi()
  return useMutation({
    mutationFn: (vars: ActiveTarget & { source: PushSource; entityId?: string }) =>
      unwrap(api['sso.diff'](vars)),
  })
}

export function useSsoPush() {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (
      vars: ActiveTarget & { source: PushSource; entityId?: string; confirmed: boolean },
    ) => unwrap(api['sso.push'](vars)),
    onSuccess: () => client.invalidateQueries({ queryKey: ['connections.overview'] }),
  })
}
