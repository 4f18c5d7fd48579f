import { useLayoutEffect, useRef, useState } from 'react'
import type { EventFilter } from '../../../../src-shared/provisioning-event.ts'
import { formatDuration, formatEventTime, statusTone, readablePath } from '../../lib/log-format.ts'
import type { ActiveTarget } from '../../use-connections.ts'
import { useFixedRowWindow } from '../../use-fixed-row-window.ts'
import { useLogRows } from '../../use-log-rows.ts'
import { useReturnFocus, useRowGridFocus } from '../../use-row-grid-focus.ts'
import { methodTone, outcomeTone, toneClass } from '../../lib/tone.ts'
import { SourceBadge } from './SourceBadge.tsx'
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

  const grid = useRowGridFocus({
    scrollRef,
    rowHeight: ROW_HEIGHT,
    total,
    onOpen: (index) => {
      const row = rowAt(index)
      if (row) onSelect(row.seq)
    },
  })
  useReturnFocus(selectedSeq !== null, () => grid.focusRow(grid.active))
  const indexes = win.indexes(total)
  // The grid's one Tab stop: the active row, or the first rendered one when it scrolled away.
  const tabStop = indexes.includes(grid.active) ? grid.active : indexes[0]

  const newSinceLeft = following ? 0 : Math.max(0, total - totalWhenLeft)

  return (
    <div className="log-table" data-testid="log-table" data-total={total}>
      <div
        role="grid"
        aria-label="Provisioning events"
        aria-rowcount={total + 1}
        aria-colcount={7}
        onKeyDown={grid.onKeyDown}
      >
        <div className="log-row log-head" role="row" aria-rowindex={1}>
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
          role="rowgroup"
          data-testid="log-scroll"
        >
          <div style={{ height: total * ROW_HEIGHT, position: 'relative' }}>
            {indexes.map((index) => {
              const row = rowAt(index)
              const style = {
                position: 'absolute' as const,
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${index * ROW_HEIGHT}px)`,
              }
              const common = {
                role: 'row',
                'aria-rowindex': index + 2,
                'data-index': index,
                tabIndex: index === tabStop ? 0 : -1,
                style,
              }
              if (!row) {
                return (
                  <div key={index} className="log-row log-loading" {...common}>
                    <span role="gridcell" className="muted">
                      …
                    </span>
                  </div>
                )
              }
              const tone = statusTone(row.status)
              return (
                <div
                  key={index}
                  {...common}
                  aria-selected={row.seq === selectedSeq}
                  className={`log-row log-data ${row.seq === selectedSeq ? 'log-selected' : ''}`}
                  data-testid="log-row"
                  data-seq={row.seq}
                  data-user={row.userName ?? ''}
                  data-status={row.status}
                  data-source={row.source}
                  onClick={() => {
                    grid.setActive(index)
                    onSelect(row.seq)
                  }}
                  title={row.errorDetail ?? undefined}
                >
                  <span role="gridcell" className="mono" title={row.time}>
                    {formatEventTime(row.time)}
                  </span>
                  <span
                    role="gridcell"
                    className={`method ${toneClass(methodTone(row.method), 'text')}`}
                  >
                    {row.method}
                  </span>
                  <span role="gridcell" className="mono log-path" title={row.path}>
                    {readablePath(row.path)}
                  </span>
                  <span role="gridcell" className={`status-code ${toneClass(tone, 'text')}`}>
                    {row.status}
                  </span>
                  <span role="gridcell" className="log-user">
                    <SourceBadge event={row} />
                    {row.userName ? (
                      <span className="log-user-name">{row.userName}</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </span>
                  <span
                    role="gridcell"
                    className={`outcome outcome-${row.outcome} ${toneClass(outcomeTone(row.outcome), 'text')}`}
                  >
                    {row.outcome.replace('_', ' ')}
                  </span>
                  <span role="gridcell" className="num mono">
                    {formatDuration(row.durationMs)}
                  </span>
                </div>
              )
            })}
          </div>
        </div>
      </div>
      {total === 0 && !count.isPending ? (
        <p className="empty-note log-empty" data-testid="log-empty">
          {Object.keys(filter).length
            ? 'No event matches these filters.'
            : 'No provisioning request has reached this tenant yet.'}
        </p>
      ) : null}
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
