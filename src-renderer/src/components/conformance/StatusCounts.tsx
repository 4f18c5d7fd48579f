import type { StatusCounts as Counts } from '../../lib/harness-progress.ts'
import { toneClass } from '../../lib/tone.ts'
import './conformance.css'
import './conformance-results.css'

const shown: { key: keyof Counts; label: string; className: string; always?: boolean }[] = [
  { key: 'pass', label: 'pass', className: toneClass('good', 'fill'), always: true },
  { key: 'warn', label: 'warn', className: toneClass('warn', 'fill'), always: true },
  { key: 'fail', label: 'fail', className: toneClass('bad', 'fill'), always: true },
  { key: 'error', label: 'error', className: toneClass('bad', 'fill') },
  { key: 'info', label: 'info', className: toneClass('info', 'fill') },
  { key: 'skip', label: 'skipped', className: `conf-count-skip ${toneClass('neutral', 'fill')}` },
]

/** Pass / warn / fail always (a zero is information too); the rest only when present. */
export function StatusCounts({ counts, testId }: { counts: Counts; testId?: string }) {
  return (
    <span className="conf-counts" data-testid={testId}>
      {shown
        .filter((s) => s.always || counts[s.key] > 0)
        .map((s) => (
          <span
            key={s.key}
            className={`conf-count ${counts[s.key] > 0 ? s.className : `conf-count-zero ${toneClass('neutral', 'fill')}`}`}
            data-status={s.key}
            data-count={counts[s.key]}
          >
            {counts[s.key]} {s.label}
          </span>
        ))}
    </span>
  )
}
