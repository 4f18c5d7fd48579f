import { useEffect, useState } from 'react'
import {
  eventMethods,
  eventResourceTypes,
  type EventFilter,
  type EventResourceType,
  type StatusClass,
} from '../../../../src-shared/provisioning-event.ts'
import { cleanFilter, localInputToIso, toggleValue } from '../../lib/log-format.ts'
import { SourceFilter } from './SourceFilter.tsx'
import './log.css'
import './log-detail.css'

const STATUS_CLASSES: StatusClass[] = ['2xx', '4xx', '5xx']

/**
 * Filters of the table. Choices (status class, method, resource) apply at once; typed fields
 * (user, text, time range) apply on Enter or "Apply", so the log is not re-queried per keystroke.
 */
export function LogFilters({
  filter,
  onChange,
}: {
  filter: EventFilter
  onChange: (filter: EventFilter) => void
}) {
  const [user, setUser] = useState(filter.user ?? '')
  // "Show in table" on a story sets the user filter from outside: the field follows.
  useEffect(() => setUser(filter.user ?? ''), [filter.user])
  const [text, setText] = useState(filter.text ?? '')
  const [since, setSince] = useState('')
  const [until, setUntil] = useState('')
  const apply = (patch: Partial<EventFilter>): void =>
    onChange(cleanFilter({ ...filter, ...patch }))
  const applyTyped = (): void =>
    apply({
      user: user || undefined,
      text: text || undefined,
      since: localInputToIso(since),
      until: localInputToIso(until),
    })
  const active = Object.keys(filter).length > 0

  return (
    <form
      className="card log-filters"
      data-testid="log-filters"
      onSubmit={(e) => {
        e.preventDefault()
        applyTyped()
      }}
    >
      <div className="log-filter-group" role="group" aria-label="Status class">
        <span className="field-label">Status</span>
        {STATUS_CLASSES.map((c) => (
          <button
            key={c}
            type="button"
            className={`chip-toggle ${filter.statusClass?.includes(c) ? 'chip-on' : ''}`}
            aria-pressed={filter.statusClass?.includes(c) ?? false}
            data-testid={`filter-status-${c}`}
            onClick={() => apply({ statusClass: toggleValue(filter.statusClass, c) })}
          >
            {c}
          </button>
        ))}
      </div>
      <div className="log-filter-group" role="group" aria-label="Method">
        <span className="field-label">Method</span>
        {eventMethods.map((m) => (
          <button
            key={m}
            type="button"
            className={`chip-toggle ${filter.method?.includes(m) ? 'chip-on' : ''}`}
            aria-pressed={filter.method?.includes(m) ?? false}
            data-testid={`filter-method-${m}`}
            onClick={() => apply({ method: toggleValue(filter.method, m) })}
          >
            {m}
          </button>
        ))}
      </div>
      <SourceFilter filter={filter} apply={apply} />
      <label className="log-filter-group">
        <span className="field-label">Resource</span>
        <select
          className="log-select"
          data-testid="filter-resource"
          value={filter.resourceType?.[0] ?? ''}
          onChange={(e) =>
            apply({
              resourceType: e.target.value ? [e.target.value as EventResourceType] : undefined,
            })
          }
        >
          <option value="">Any</option>
          {eventResourceTypes.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <div className="log-filter-typed">
        <label className="log-field">
          <span className="field-label">User</span>
          <input
            className="text-input"
            data-testid="filter-user"
            placeholder="userName, email, external id or SCIM id"
            value={user}
            onChange={(e) => setUser(e.target.value)}
          />
        </label>
        <label className="log-field">
          <span className="field-label">Text</span>
          <input
            className="text-input"
            data-testid="filter-text"
            placeholder="anywhere in path, bodies, error"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label className="log-field log-field-time">
          <span className="field-label">From</span>
          <input
            className="text-input"
            type="datetime-local"
            step="1"
            data-testid="filter-since"
            value={since}
            onChange={(e) => setSince(e.target.value)}
          />
        </label>
        <label className="log-field log-field-time">
          <span className="field-label">To</span>
          <input
            className="text-input"
            type="datetime-local"
            step="1"
            data-testid="filter-until"
            value={until}
            onChange={(e) => setUntil(e.target.value)}
          />
        </label>
        <div className="actions log-filter-actions">
          <button type="submit" className="button" data-testid="filter-apply">
            Apply
          </button>
          <button
            type="button"
            className="button"
            disabled={!active && !user && !text && !since && !until}
            data-testid="filter-clear"
            onClick={() => {
              setUser('')
              setText('')
              setSince('')
              setUntil('')
              onChange({})
            }}
          >
            Clear
          </button>
        </div>
      </div>
    </form>
  )
}
