import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query'
import type { LogRow } from '../../src-shared/channels/log.ts'
import type { EventFilter } from '../../src-shared/provisioning-event.ts'
import { unwrap } from './api-error.ts'
import { useApi } from './api-context.tsx'
import type { ActiveTarget } from './use-connections.ts'

/** Rows fetched per request; the table asks only for the pages its visible window touches. */
export const LOG_PAGE = 200

/**
 * The rows of the visible window, never the whole log: main holds up to a million events and
 * answers offset/limit pages. Every key carries `generation`, so a batch of new events re-reads
 * the count and the visible pages, while the previous data stays on screen meanwhile.
 */
export function useLogRows(opts: {
  target: ActiveTarget | null
  filter: EventFilter
  generation: number
  /** First and last visible row indexes (inclusive). */
  range: { start: number; end: number }
  enabled: boolean
}) {
  const { target, filter, generation, range, enabled } = opts
  const api = useApi()
  const base = ['log.query', target?.connection, target?.tenantId, JSON.stringify(filter)]
  const count = useQuery({
    queryKey: [...base, 'count', generation],
    queryFn: () => unwrap(api['log.query']({ ...target!, filter, offset: 0, limit: 1 })),
    enabled: enabled && target !== null,
    placeholderData: keepPreviousData,
  })
  const total = count.data?.total ?? 0
  const first = Math.floor(Math.max(0, range.start) / LOG_PAGE)
  const last = Math.floor(Math.max(0, Math.min(range.end, total - 1)) / LOG_PAGE)
  const pageIndexes: number[] = []
  if (total > 0) for (let p = first; p <= last; p++) pageIndexes.push(p)

  const pages = useQueries({
    queries: pageIndexes.map((p) => ({
      queryKey: [...base, 'page', p, generation],
      queryFn: () =>
        unwrap(api['log.query']({ ...target!, filter, offset: p * LOG_PAGE, limit: LOG_PAGE })),
      enabled: enabled && target !== null,
      placeholderData: keepPreviousData,
    })),
  })

  const byPage = new Map<number, LogRow[]>()
  pageIndexes.forEach((p, i) => {
    const rows = pages[i]?.data?.rows
    if (rows) byPage.set(p, rows)
  })
  const rowAt = (index: number): LogRow | undefined =>
    byPage.get(Math.floor(index / LOG_PAGE))?.[index % LOG_PAGE]

  return { total, size: count.data?.size ?? 0, count, rowAt }
}
