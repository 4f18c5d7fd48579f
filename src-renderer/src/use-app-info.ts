import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from './api.ts'

export function useAppInfo() {
  return useQuery({
    queryKey: ['app.info'],
    queryFn: () => unwrap(api['app.info']({})),
    staleTime: Infinity,
  })
}
