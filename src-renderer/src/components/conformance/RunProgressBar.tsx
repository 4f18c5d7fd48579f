import { percentDone, type RunProgress } from '../../lib/harness-progress.ts'
import './conformance.css'

/** The streaming part: how far the run is and which check it is on. */
export function RunProgressBar({
  progress,
  stopping,
}: {
  progress: RunProgress
  stopping: boolean
}) {
  const percent = percentDone(progress)
  const current = progress.running[0]
  const label =
    progress.phase === 'starting'
      ? 'Checking that the URL is a SCIM endpoint…'
      : progress.phase === 'cleanup'
        ? `Cleaning up ${progress.cleanupResources} test resource${progress.cleanupResources === 1 ? '' : 's'}…`
        : stopping
          ? 'Stopping…'
          : current
            ? (progress.titles[current] ?? current)
            : 'Working…'
  return (
    <section
      className="card conf-progress"
      data-testid="conf-progress"
      data-done={progress.done}
      data-total={progress.total}
      aria-label="Run progress"
    >
      <div className="conf-progress-head">
        <span className="conf-progress-current" data-testid="conf-progress-current" role="status">
          {label}
        </span>
        <span className="muted conf-progress-count">
          {progress.done} / {progress.total || '…'} checks · {progress.exchanges} requests
        </span>
      </div>
      <div
        className="conf-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="conf-bar-fill" style={{ width: `${percent}%` }} />
      </div>
    </section>
  )
}
