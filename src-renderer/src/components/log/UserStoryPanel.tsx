import { useState } from 'react'
import type { ChannelOutput } from '../../../../src-shared/contract.ts'
import type { Finding } from '../../../../src-shared/provisioning-diagnosis.ts'
import { ApiError } from '../../api-error.ts'
import { formatEventTime, statusTone, readablePath } from '../../lib/log-format.ts'
import type { ActiveTarget } from '../../use-connections.ts'
import { useReplayUser, useUserStory } from '../../use-user-story.ts'
import { ErrorPanel } from '../ErrorPanel.tsx'
import { SourceBadge } from './SourceBadge.tsx'
import { methodTone, toneClass } from '../../lib/tone.ts'
import './log.css'
import './log-detail.css'

type Story = ChannelOutput<'log.userStory'>

const VERDICT_TEXT = {
  problem: 'Problem found',
  healthy: 'Healthy',
  inconclusive: 'Not conclusive',
} as const

/** One user's timeline, current state and diagnosis; evidence rows open the event. */
export function UserStoryPanel({
  target,
  query,
  selectedSeq,
  onSelect,
  onFilter,
  onClose,
}: {
  target: ActiveTarget | null
  query: string
  selectedSeq: number | null
  onSelect: (seq: number) => void
  onFilter: (user: string) => void
  onClose: () => void
}) {
  const story = useUserStory(target, query)
  const error = story.error instanceof ApiError ? story.error.data : null
  return (
    <section className="card log-story" data-testid="user-story" data-query={query}>
      <div className="log-detail-head">
        <h2 className="section-title">
          Story of <span className="log-story-query">{query}</span>
        </h2>
        <div className="actions">
          <button
            type="button"
            className="button small-button"
            data-testid="story-filter-table"
            onClick={() => onFilter(query)}
          >
            Show in table
          </button>
          <button
            type="button"
            className="button small-button"
            data-testid="story-refresh"
            disabled={story.isFetching}
            onClick={() => void story.refetch()}
          >
            Refresh
          </button>
          <button type="button" className="button small-button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {story.isPending ? <p className="pending">Reading the log…</p> : null}
      {error ? <ErrorPanel error={error} testId="story-error" /> : null}
      {story.data ? (
        <StoryBody
          story={story.data}
          target={target}
          selectedSeq={selectedSeq}
          onSelect={onSelect}
        />
      ) : null}
    </section>
  )
}

function StoryBody({
  story,
  target,
  selectedSeq,
  onSelect,
}: {
  story: Story
  target: ActiveTarget | null
  selectedSeq: number | null
  onSelect: (seq: number) => void
}) {
  const d = story.diagnosis
  const open = d.findings.filter((f) => !f.resolved)
  const resolved = d.findings.filter((f) => f.resolved)
  return (
    <div className="log-story-grid">
      <div className="stack">
        <div
          className={`status-banner ${d.verdict === 'healthy' ? 'tone-good' : d.verdict === 'problem' ? 'tone-bad' : 'tone-warn'}`}
          data-testid="story-verdict"
          data-verdict={d.verdict}
        >
          <strong>{VERDICT_TEXT[d.verdict]}</strong>
          <span className="status-sub">{d.summary}</span>
        </div>
        {open.map((f) => (
          <FindingCard key={f.cause} finding={f} onSelect={onSelect} selectedSeq={selectedSeq} />
        ))}
        {d.nextChecks.length ? (
          <div className="log-next-checks" data-testid="story-next-checks">
            <h3 className="log-sub">Check next</h3>
            <ul>
              {d.nextChecks.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {resolved.length ? (
          <details className="log-resolved">
            <summary>
              {resolved.length} earlier problem{resolved.length === 1 ? '' : 's'}, since resolved
            </summary>
            {resolved.map((f) => (
              <FindingCard
                key={f.cause}
                finding={f}
                onSelect={onSelect}
                selectedSeq={selectedSeq}
              />
            ))}
          </details>
        ) : null}
        <ReplayBox target={target} story={story} />
      </div>
      <div className="stack">
        <CurrentState story={story} />
        <h3 className="log-sub">
          Timeline <span className="count">{story.events.length}</span>
        </h3>
        {story.events.length === 0 ? (
          <p className="empty-note">No request for this user reached the tenant.</p>
        ) : (
          <ol className="log-timeline" data-testid="story-timeline">
            {story.events.map((e) => (
              <li key={e.seq}>
                <button
                  type="button"
                  className={`log-timeline-item ${e.seq === selectedSeq ? 'log-selected' : ''}`}
                  data-testid="story-event"
                  data-seq={e.seq}
                  onClick={() => onSelect(e.seq)}
                >
                  <span className="mono muted" title={e.time}>
                    {formatEventTime(e.time)}
                  </span>
                  <span className={`method ${toneClass(methodTone(e.method), 'text')}`}>
                    {e.method}
                  </span>
                  <span className="mono log-path">
                    {/* Who sent it: a replay's or a test run's requests sit among Okta's here. */}
                    <SourceBadge event={e} />
                    {readablePath(e.path)}
                  </span>
                  <span className={`status-code ${toneClass(statusTone(e.status), 'text')}`}>
                    {e.status}
                  </span>
                </button>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  )
}

function FindingCard({
  finding,
  selectedSeq,
  onSelect,
}: {
  finding: Finding
  selectedSeq: number | null
  onSelect: (seq: number) => void
}) {
  return (
    <div
      className={`finding ${finding.resolved ? `finding-resolved ${toneClass('neutral', 'edge')}` : toneClass('bad', 'edge')}`}
      data-testid="story-finding"
      data-cause={finding.cause}
      data-resolved={finding.resolved}
    >
      <div className="finding-message">{finding.title}</div>
      <p className="log-explanation">{finding.explanation}</p>
      <p className="finding-hint">
        <strong>Fix:</strong> {finding.fix}
      </p>
      {finding.evidence.length ? (
        <ul className="log-evidence">
          {finding.evidence.map((ev) => (
            <li key={ev.seq}>
              <button
                type="button"
                className={`link-button ${ev.seq === selectedSeq ? 'log-selected' : ''}`}
                data-testid="story-evidence"
                data-seq={ev.seq}
                onClick={() => onSelect(ev.seq)}
                title={ev.time}
              >
                {formatEventTime(ev.time)} {ev.summary}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

function CurrentState({ story }: { story: Story }) {
  const c = story.current
  return (
    <div className="log-current" data-testid="story-current" data-kind={c.kind}>
      <h3 className="log-sub">Now in the tenant</h3>
      {c.kind === 'found' ? (
        <dl className="fields log-fields">
          <dt>userName</dt>
          <dd>{c.user.userName}</dd>
          <dt>Status</dt>
          <dd>
            <span
              className={`tag ${toneClass(c.user.active ? 'good' : 'bad', 'fill')}`}
              data-testid="story-active"
            >
              {c.user.active ? 'active' : 'inactive'}
            </span>
          </dd>
          <dt>SCIM id</dt>
          <dd>
            <code>{c.user.id}</code>
          </dd>
          {c.user.externalId ? (
            <>
              <dt>externalId</dt>
              <dd>
                <code>{c.user.externalId}</code>
              </dd>
            </>
          ) : null}
          <dt>Groups</dt>
          <dd>
            {c.user.groups.length ? c.user.groups.join(', ') : <span className="muted">none</span>}
          </dd>
        </dl>
      ) : c.kind === 'not_found' ? (
        <p className="empty-note">The tenant has no such user.</p>
      ) : (
        <p className="empty-note">Unknown: {c.reason}</p>
      )}
    </div>
  )
}

/** "Replay this user": writes to the tenant, so it asks first and says what it will do. */
function ReplayBox({ target, story }: { target: ActiveTarget | null; story: Story }) {
  const replay = useReplayUser(target)
  const [confirming, setConfirming] = useState(false)
  const userName =
    story.current.kind === 'found'
      ? story.current.user.userName
      : (story.identity.userNames[0] ?? story.query)
  const error = replay.error instanceof ApiError ? replay.error.data : null
  const divergence = replay.data?.steps.find((s) => !s.ok)
  return (
    <div className="log-replay" data-testid="replay-box">
      <h3 className="log-sub">Replay</h3>
      <p className="field-help">
        Sends Okta’s exact request sequence for <strong>{userName}</strong> to the tenant and stops
        at the first answer that would send Okta a different way.
      </p>
      {!confirming && !replay.isPending ? (
        <button
          type="button"
          className="button"
          data-testid="replay-start"
          onClick={() => {
            replay.reset()
            setConfirming(true)
          }}
        >
          Replay this user…
        </button>
      ) : null}
      {confirming ? (
        <div className="log-confirm" role="alertdialog" data-testid="replay-confirm">
          <p>
            This writes to the tenant: it may create or update <strong>{userName}</strong> with a
            SCIM token this console holds. Continue?
          </p>
          <div className="actions">
            <button
              type="button"
              className="button button-danger"
              data-testid="replay-confirm-yes"
              onClick={() => {
                setConfirming(false)
                replay.mutate(userName)
              }}
            >
              Replay against the tenant
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {replay.isPending ? <p className="pending">Replaying…</p> : null}
      {error ? <ErrorPanel error={error} testId="replay-error" /> : null}
      {replay.data ? (
        <div data-testid="replay-result" data-outcome={replay.data.outcome}>
          <p className="small muted">
            {replay.data.outcome === 'completed'
              ? 'Every step went the way Okta expects.'
              : `Diverged at step ${divergence?.n}.`}{' '}
            Token used: {replay.data.tokenLabel}.
          </p>
          <ol className="log-steps">
            {replay.data.steps.map((s) => (
              <li
                key={s.n}
                className={s.ok ? 'step-ok' : 'step-bad'}
                data-testid="replay-step"
                data-ok={s.ok}
              >
                <div>
                  <strong>{s.title}</strong> <code>{s.request}</code> →{' '}
                  <span className="status-code">{s.status}</span>
                </div>
                <div className="small">{s.result}</div>
                {s.idpImpact ? <div className="small">{s.idpImpact}</div> : null}
                {s.fix ? (
                  <div className="small">
                    <strong>Fix:</strong> {s.fix}
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </div>
  )
}
