import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { EventFilter } from '../../../../src-shared/provisioning-event.ts'
import { useApi } from '../../api-context.tsx'
import { unwrap } from '../../api-error.ts'
import { testTrafficFilter } from '../../lib/event-source.ts'
import type { ActiveTarget } from '../../use-connections.ts'
import './source-badge.css'

/**
 * "Show test traffic (N)": the pre-go-live test's and the replay's requests are hidden by default
 * (their expected 400/404/409s are not the IdP's failures); one click shows them. N counts them
 * under the other filters. Not shown while a source is chosen in the filters (that choice wins).
 */
export function TestTrafficToggle({
  target,
  filter,
  generation,
  shown,
  onToggle,
}: {
  target: ActiveTarget | null
  filter: EventFilter
  generation: number
  shown: boolean
  onToggle: (show: boolean) => void
}) {
  const api = useApi()
  const test = testTrafficFilter(filter)
  const count = useQuery({
    queryKey: [
      'log.query',
      target?.connection,
      target?.tenantId,
      JSON.stringify(test),
      'count',
      generation,
    ],
    queryFn: () => unwrap(api['log.query']({ ...target!, filter: test, offset: 0, limit: 1 })),
    enabled: target !== null && !filter.source?.length,
    placeholderData: keepPreviousData,
  })
  if (filter.source?.length) return null
  const n = count.data?.total ?? 0
  return (
    <button
      type="button"
      className={`button small-button log-test-toggle ${shown ? 'chip-on' : ''}`}
      aria-pressed={shown}
      data-testid="log-test-traffic-toggle"
      data-count={n}
      title="Requests of the pre-go-live test and of “replay this user”"
      onClick={() => onToggle(!shown)}
    >
      {shown
        ? `Hide test traffic (${n.toLocaleString('en')})`
        : `Show test traffic (${n.toLocaleString('en')})`}
    </button>
  )
}
