import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import type { ChannelInput } from '../../src-shared/contract.ts'
import { unwrap } from './api-error.ts'
import { useApi } from './api-context.tsx'

export type InspectSource = ChannelInput<'metadata.inspect'>['source']

/**
 * Inspects metadata in main. Remembers the last source so the IdP chooser can re-inspect the same
 * aggregate with a different entity ID without the person importing it again.
 */
export function useInspectMetadata() {
  const api = useApi()
  const [lastSource, setLastSource] = useState<InspectSource | null>(null)
  const mutation = useMutation({
    mutationKey: ['metadata.inspect'],
    mutationFn: (vars: { source: InspectSource; entityId?: string }) =>
      unwrap(api['metadata.inspect'](vars.entityId ? vars : { source: vars.source })),
  })
  return {
    ...mutation,
    /** What was inspected last, so the SSO push can send the same document to the tenant. */
    source: lastSource,
    inspect(source: InspectSource) {
      setLastSource(source)
      mutation.mutate({ source })
    },
    selectEntity(entityId: string) {
      if (lastSource) mutation.mutate({ source: lastSource, entityId })
    },
  }
}
