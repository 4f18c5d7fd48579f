import type { EventFilter } from '../../../../src-shared/provisioning-event.ts'
import { SOURCE_CHOICES } from '../../lib/event-source.ts'
import { toggleValue } from '../../lib/log-format.ts'
import './log.css'

/** The filters' "Source" chips; choosing any overrides the test-traffic toggle. */
export function SourceFilter({
  filter,
  apply,
}: {
  filter: EventFilter
  apply: (patch: Partial<EventFilter>) => void
}) {
  return (
    <div className="log-filter-group" role="group" aria-label="Source">
      <span className="field-label">Source</span>
      {SOURCE_CHOICES.map(({ source, label }) => (
        <button
          key={source}
          type="button"
          className={`chip-toggle ${filter.source?.includes(source) ? 'chip-on' : ''}`}
          aria-pressed={filter.source?.includes(source) ?? false}
          data-testid={`filter-source-${source}`}
          onClick={() => apply({ source: toggleValue(filter.source, source) })}
        >
          {label}
        </button>
      ))}
    </div>
  )
}
