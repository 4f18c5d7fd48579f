import { useLayoutEffect, useRef, useState } from 'react'
import type { EventFilter } from '../../../../src-shared/provisioning-event.ts'
import { formatDuration, formatEventTime, statusTone, readablePath } from '../../lib/log-format.ts'
import type { ActiveTarget } from '../../use-connections.ts'
import { useFixedRowWindow } from '../../use-fixed-row-window.ts'
import { useLogRows } from '../../use-log-rows.ts'
import { methodTone, outcomeTone, toneClass } from '../../lib/tone.ts'
import './log.css'
import './log-detail.css'

export const ROW_HEIGHT = 30
/** Rows from the bottom that still count as "at the latest" (follow mode stays on). */
const FOLLOW_SLACK_ROWS = 2

/**
 * The virtualized event table. Only the visible window is rendered and fetched; the scroll height
 * comes from the match count in main. While the person is at the bottom it follows new events;
 * scrolling up stops following and counts what arrived since.
 */
export function LogTable({
  target,
  filter,
  generation,
  selectedSeq,
  onSelect,
}: {
  target: ActiveTarget | null
  filter: EventFilter
  generation: number
  selectedSeq: number | null
  onSelect: (seq: number) => void
}) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const [following, setFollowing] = useState(true)
  const [totalWhenLeft, setTotalWhenLeft] = useState(0)
  const win = useFixedRowWindow(scrollRef, { rowHeight: ROW_HEIGHT, overscan: 12 })
  const { total, rowAt, count } = useLogRows({
    target,
    filter,
    generation,
    range: { start: win.start, end: win.end },
    enabled: target !== null,
  })

  // Live tail: keep the newest row in view while following (before paint, so it does not jump).
  useLayoutEffect(() => {
    const el = scrollRef.current
    if (following && el && total > 0) el.scrollTop = el.scrollHeight
  }, [following, total])

  const onScroll = (): void => {
    const el = scrollRef.current
    if (!el) return
    const atBottom =
      el.scrollTop + el.clientHeight >= el.scrollHeight - FOLLOW_SLACK_ROWS * ROW_HEIGHT
    if (atBottom !== following) {
      setFollowing(atBottom)
      if (!atBottom) setTotalWhenLeft(total)
    }
  }

  const newSinceLeft = following ? 0 : Math.max(0, total - totalWhenLeft)

  return (
    <div className="log-table" data-testid="log-table" data-total={total}>
      <div className="log-row log-head" role="row">
        <span role="columnheader">Time (UTC)</span>
        <span role="columnheader">Method</span>
        <span role="columnheader">Path</span>
        <span role="columnheader">Status</span>
        <span role="columnheader">User</span>
        <span role="columnheader">Outcome</span>
        <span role="columnheader" className="num">
          Duration
        </span>
      </div>
      <div
        ref={scrollRef}
        className="log-scroll"
        onScroll={() => {
          win.onScroll()
          onScroll()
        }}
        role="grid"
        aria-rowcount={total}
        data-testid="log-scroll"
      >
        {total === 0 && !count.isPending ? (
          <p className="empty-note log-empty" data-testid="log-empty">
            {Object.keys(filter).length
              ? 'No event matches these filters.'
              : 'No provisioning request has reached this tenant yet.'}
          </p>
        ) : null}
        <div style={{ height: total * ROW_HEIGHT, position: 'relative' }}>
          {win.indexes(total).map((index) => {
            const row = rowAt(index)
            const style = {
              position: 'absolute' as const,
              top: 0,
              left: 0,
              right: 0,
              height: ROW_HEIGHT,
              transform: `translateY(${index * ROW_HEIGHT}px)`,
            }
            if (!row) {
              return (
                <div key={index} className="log-row log-loading" style={style} role="row">
                  <span className="muted">…</span>
                </div>
              )
            }
            const tone = statusTone(row.status)
            return (
              <div
                key={index}
                role="row"
                aria-selected={row.seq === selectedSeq}
                className={`log-row log-data ${row.seq === selectedSeq ? 'log-selected' : ''}`}
                style={style}
                data-testid="log-row"
                data-seq={row.seq}
                data-user={row.userName ?? ''}
                data-status={row.status}
                onClick={() => onSelect(row.seq)}
                title={row.errorDetail ?? undefined}
              >
                <span className="mono" title={row.time}>
                  {formatEventTime(row.time)}
                </span>
                <span className={`method ${toneClass(methodTone(row.method), 'text')}`}>
                  {row.method}
                </span>
                <span className="mono log-path" title={row.path}>
                  {readablePath(row.path)}
                </span>
                <span className={`status-code ${toneClass(tone, 'text')}`}>{row.status}</span>
                <span className="log-user">{row.userName ?? <span className="muted">—</span>}</span>
                <span
                  className={`outcome outcome-${row.outcome} ${toneClass(outcomeTone(row.outcome), 'text')}`}
                >
                  {row.outcome.replace('_', ' ')}
                </span>
                <span className="num mono">{formatDuration(row.durationMs)}</span>
              </div>
            )
          })}
        </div>
      </div>
      {newSinceLeft > 0 ? (
        <button
          type="button"
          className="button button-primary log-jump"
          data-testid="log-jump-latest"
          onClick={() => setFollowing(true)}
        >
          {newSinceLeft} new event{newSinceLeft === 1 ? '' : 's'} — jump to latest
        </button>
      ) : null}
      <div className="log-foot muted" data-testid="log-count">
        {total.toLocaleString('en')} event{total === 1 ? '' : 's'}
        {following ? ' · following new events' : ' · scrolled back: not following'}
      </div>
    </div>
  )
}
