import { useMemo, useState } from 'react'
import type { CheckResult, Exchange } from '../../../../src-shared/harness.ts'
import { areaLabels, groupByArea } from '../../lib/harness-progress.ts'
import { CheckItem } from './CheckItem.tsx'
import { StatusCounts } from './StatusCounts.tsx'
import './conformance.css'
import './conformance-results.css'

/** Results grouped by area; failures open by default so what to fix is in view at once. */
export function ResultsByArea({
  checks,
  exchanges,
}: {
  checks: CheckResult[]
  /** The report's exchanges; undefined while the run is going. */
  exchanges: Exchange[] | undefined
}) {
  const groups = useMemo(() => groupByArea(checks), [checks])
  const byId = useMemo(() => new Map((exchanges ?? []).map((x) => [x.id, x])), [exchanges])
  const [toggled, setToggled] = useState<Record<string, boolean>>({})
  const isOpen = (c: CheckResult): boolean => toggled[c.id] ?? c.status === 'fail'

  if (groups.length === 0) return null
  return (
    <div className="conf-areas" data-testid="conf-results">
      {groups.map((g) => (
        <section key={g.area} className="card conf-area" data-testid="conf-area" data-area={g.area}>
          <header className="conf-area-head">
            <h2 className="section-title">
              {areaLabels[g.area]} <span className="count">{g.checks.length}</span>
            </h2>
            <StatusCounts counts={g.counts} />
          </header>
          <ul className="conf-checks">
            {g.checks.map((c) => (
              <CheckItem
                key={c.id}
                check={c}
                open={isOpen(c)}
                onToggle={() => setToggled((t) => ({ ...t, [c.id]: !isOpen(c) }))}
                exchanges={
                  exchanges
                    ? c.exchangeIds.flatMap((id) => {
                        const x = byId.get(id)
                        return x ? [x] : []
                      })
                    : undefined
                }
              />
            ))}
          </ul>
        </section>
      ))}
    </div>
  )
}
