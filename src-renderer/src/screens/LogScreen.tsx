import { useState } from 'react'
import { ApiError } from '../api-error.ts'
import { ErrorPanel } from '../components/ErrorPanel.tsx'
import { EventDetail } from '../components/log/EventDetail.tsx'
import { ExportButtons } from '../components/log/ExportButtons.tsx'
import { LogFilters } from '../components/log/LogFilters.tsx'
import { LogTable } from '../components/log/LogTable.tsx'
import { StreamBadge } from '../components/log/StreamBadge.tsx'
import { TestTrafficToggle } from '../components/log/TestTrafficToggle.tsx'
import { effectiveFilter } from '../lib/event-source.ts'
import { UserStoryPanel } from '../components/log/UserStoryPanel.tsx'
import { useActiveTarget } from '../use-connections.ts'
import { useLogStream } from '../use-log-stream.ts'
import { useLogUi } from '../use-log-ui.ts'
import '../components/log/log.css'
import '../components/log/log-detail.css'

export function LogScreen() {
  const { target, list } = useActiveTarget()
  const stream = useLogStream(target)
  const filter = useLogUi((s) => s.filter)
  const setFilter = useLogUi((s) => s.setFilter)
  const showTestTraffic = useLogUi((s) => s.showTestTraffic)
  const setShowTestTraffic = useLogUi((s) => s.setShowTestTraffic)
  // What the table and the export run: test traffic hidden unless shown or a source is chosen.
  const shownFilter = effectiveFilter(filter, showTestTraffic)
  const selectedSeq = useLogUi((s) => s.selectedSeq)
  const select = useLogUi((s) => s.select)
  const storyQuery = useLogUi((s) => s.storyQuery)
  const openStory = useLogUi((s) => s.openStory)
  const [storyDraft, setStoryDraft] = useState(storyQuery ?? '')
  const error =
    [list.error, stream.error]
      .map((e) => (e instanceof ApiError ? e.data : null))
      .find((e) => e !== null) ?? null
  const paused = stream.state?.state === 'paused'

  return (
    <div className="screen screen-wide" data-testid="log-screen">
      <header className="screen-header">
        <h1>Provisioning log</h1>
        <p className="lede">
          Every SCIM request the tenant received, live. Search one user to see the whole story and
          why they are not showing up.
        </p>
      </header>

      <div className="log-toolbar">
        <StreamBadge state={stream.state} />
        <button
          type="button"
          className="button small-button"
          data-testid="stream-toggle"
          disabled={
            !target || stream.loading || stream.toggling || stream.state?.state === 'stopped'
          }
          onClick={() => (paused ? stream.resume() : stream.pause())}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        {target ? (
          <span className="muted small">
            Tenant <code>{target.tenantId}</code> on <strong>{target.connection}</strong> ·{' '}
            <span data-testid="log-size">{stream.size.toLocaleString('en')}</span> events held
          </span>
        ) : null}
        <TestTrafficToggle
          target={stream.loading ? null : target}
          filter={filter}
          generation={stream.generation}
          shown={showTestTraffic}
          onToggle={setShowTestTraffic}
        />
        <ExportButtons target={target} filter={shownFilter} disabled={!target || stream.loading} />
      </div>

      <form
        className="card log-story-search"
        onSubmit={(e) => {
          e.preventDefault()
          const q = storyDraft.trim()
          if (q) openStory(q)
        }}
      >
        <label className="field-label" htmlFor="story-search">
          Why is a user not showing up?
        </label>
        <input
          id="story-search"
          className="text-input"
          data-testid="story-search"
          placeholder="userName, email, external id or SCIM id"
          value={storyDraft}
          onChange={(e) => setStoryDraft(e.target.value)}
        />
        <button type="submit" className="button button-primary" data-testid="story-search-submit">
          Explain
        </button>
      </form>

      {stream.notices.length ? (
        <ul className="log-notices tone-fill tone-info" data-testid="stream-notices">
          {stream.notices.map((n) => (
            <li key={`${n.time}-${n.kind}`}>
              <code>{n.kind}</code> {n.message}
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <ErrorPanel error={error} testId="log-error" /> : null}
      {stream.loading ? (
        <p className="pending" role="status">
          Loading the tenant’s history…
        </p>
      ) : null}

      {storyQuery ? (
        <UserStoryPanel
          key={storyQuery}
          target={target}
          query={storyQuery}
          selectedSeq={selectedSeq}
          onSelect={select}
          onFilter={(user) => setFilter({ user })}
          onClose={() => openStory(null)}
        />
      ) : null}

      <LogFilters filter={filter} onChange={setFilter} />

      <div className={`log-main ${selectedSeq !== null ? 'log-main-detail' : ''}`}>
        <LogTable
          key={JSON.stringify(shownFilter)}
          target={stream.loading ? null : target}
          filter={shownFilter}
          generation={stream.generation}
          selectedSeq={selectedSeq}
          onSelect={select}
        />
        {selectedSeq !== null ? (
          <EventDetail
            key={selectedSeq}
            target={target}
            seq={selectedSeq}
            onStory={(q) => {
              setStoryDraft(q)
              openStory(q)
            }}
            onClose={() => select(null)}
          />
        ) : null}
      </div>
    </div>
  )
}
