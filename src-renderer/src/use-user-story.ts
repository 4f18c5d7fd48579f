import { useMutation, useQuery } from '@tanstack/react-query'
import { unwrap } from './api-error.ts'
import { useApi } from './api-context.tsx'
import type { ActiveTarget } from './use-connections.ts'

export function useUserStory(target: ActiveTarget | null, query: string | null) {
  const api = useApi()
  return useQuery({
    queryKey: ['log.userStory', target?.connection, target?.tenantId, query],
    queryFn: () => unwrap(api['log.userStory']({ ...target!, query: query! })),
    enabled: target !== null && query !== null,
  })
}

/** Replays the IdP's sequence for the user; the caller has asked the person to confirm. */
export function useReplayUser(target: ActiveTarget | null) {
  const api = useApi()
  return useMutation({
    mutationFn: (userName: string) =>
      unwrap(api['log.replayUser']({ ...target!, userName, confirmed: true })),
  })
}
