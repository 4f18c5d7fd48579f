import { useQuery } from '@tanstack/react-query'
import { unwrap } from './api-error.ts'
import { useApi } from './api-context.tsx'

export function useAppInfo() {
  const api = useApi()
  return useQuery({
    queryKey: ['app.info'],
    queryFn: () => unwrap(api['app.info']({})),
    staleTime: Infinity,
  })
}
