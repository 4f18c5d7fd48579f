import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ChannelInput } from '../../src-shared/contract.ts'
import { testTrafficSources } from '../../src-shared/provisioning-event.ts'
import { unwrap } from './api-error.ts'
import { useApi } from './api-context.tsx'
import { useUiStore } from './use-ui-store.ts'

export function useConnections() {
  const api = useApi()
  return useQuery({
    queryKey: ['connections.list'],
    queryFn: () => unwrap(api['connections.list']({})),
  })
}

/** Tenants of one connection; also the "test connection" call (health plus tenant list). */
export function useConnectionTest(connection: string | null) {
  const api = useApi()
  return useQuery({
    queryKey: ['connections.test', connection],
    queryFn: () => unwrap(api['connections.test']({ connection: connection! })),
    enabled: connection !== null,
  })
}

export interface ActiveTarget {
  connection: string
  tenantId: string
}

/**
 * The connection and tenant every backend screen works on: the person's choice if still valid,
 * else the default (the embedded backend's demo tenant, or a saved connection's first tenant).
 */
export function useActiveTarget() {
  const list = useConnections()
  const chosen = useUiStore((s) => s.connectionName)
  const chosenTenant = useUiStore((s) => s.tenantId)
  const connections = list.data?.connections ?? []
  const current =
    connections.find((c) => c.name === chosen) ??
    connections.find((c) => c.name === list.data?.defaultConnection) ??
    null
  const test = useConnectionTest(current?.name ?? null)
  const tenants = test.data?.tenants ?? []
  const tenantId =
    (chosenTenant && current?.name === chosen && tenants.some((t) => t.id === chosenTenant)
      ? chosenTenant
      : null) ??
    current?.defaultTenantId ??
    tenants[0]?.id ??
    null
  const target: ActiveTarget | null =
    current && tenantId ? { connection: current.name, tenantId } : null
  return { list, current, test, tenants, target }
}

function useInvalidateBackend() {
  const client = useQueryClient()
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['connections.list'] }),
      client.invalidateQueries({ queryKey: ['connections.test'] }),
      client.invalidateQueries({ queryKey: ['connections.overview'] }),
      client.invalidateQueries({ queryKey: ['tokens.list'] }),
    ])
}

export function useSaveConnection(mode: 'add' | 'edit') {
  const api = useApi()
  const invalidate = useInvalidateBackend()
  return useMutation({
    // The admin key passes through here once, on its way to the keychain; gcTime 0 drops it.
    gcTime: 0,
    mutationFn: (input: ChannelInput<'connections.add'>) =>
      mode === 'add'
        ? unwrap(api['connections.add'](input))
        : unwrap(
            api['connections.edit']({
              name: input.name,
              adminBaseUrl: input.adminBaseUrl,
              ...(input.adminKey ? { adminKey: input.adminKey } : {}),
            }),
          ),
    onSuccess: () => invalidate(),
  })
}

export function useRemoveConnection() {
  const api = useApi()
  const invalidate = useInvalidateBackend()
  return useMutation({
    mutationFn: (name: string) => unwrap(api['connections.remove']({ name })),
    onSuccess: () => invalidate(),
  })
}

export function useTenantOverview(target: ActiveTarget | null) {
  const api = useApi()
  return useQuery({
    queryKey: ['connections.overview', target?.connection, target?.tenantId],
    queryFn: () => unwrap(api['connections.overview'](target!)),
    enabled: target !== null,
  })
}

export function useSecretStoreInfo() {
  const api = useApi()
  return useQuery({
    queryKey: ['secrets.storeInfo'],
    queryFn: () => unwrap(api['secrets.storeInfo']({})),
    staleTime: Infinity,
  })
}

/**
 * How many of the tenant's requests came from the console's own tests (harness runs, replays):
 * the same count as the log's "Show test traffic (N)", from the same index. `refresh` re-reads
 * it when the overview it sits beside is re-read.
 */
export function useTestTrafficCount(target: ActiveTarget | null, refresh: number) {
  const api = useApi()
  return useQuery({
    queryKey: ['log.query', target?.connection, target?.tenantId, 'test-traffic-count', refresh],
    queryFn: async () =>
      (
        await unwrap(
          api['log.query']({
            ...target!,
            filter: { source: [...testTrafficSources] },
            offset: 0,
            limit: 1,
          }),
        )
      ).total,
    enabled: target !== null,
  })
}
