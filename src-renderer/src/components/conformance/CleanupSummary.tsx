import type { HarnessReport } from '../../../../src-shared/harness.ts'
import './conformance.css'
import './conformance-results.css'

/** What the harness deleted after itself, and anything it could not, with ids to remove by hand. */
export function CleanupSummary({ cleanup }: { cleanup: HarnessReport['cleanup'] }) {
  const { removed, leftovers } = cleanup
  if (removed.length === 0 && leftovers.length === 0) return null
  return (
    <section
      className={`card conf-cleanup ${leftovers.length ? 'conf-cleanup-left' : ''}`}
      data-testid="conf-cleanup"
      data-removed={removed.length}
      data-leftovers={leftovers.length}
    >
      <h2 className="section-title">Cleanup</h2>
      <p>
        Removed {removed.length} test resource{removed.length === 1 ? '' : 's'} this run created
        {leftovers.length === 0 ? '; nothing was left behind.' : '.'}
      </p>
      {removed.length > 0 ? (
        <details className="conf-cleanup-list">
          <summary>Show removed</summary>
          <ul>
            {removed.map((r) => (
              <li key={`${r.type}-${r.id ?? r.name}`}>
                <span className="tag">{r.type}</span> <code>{r.name}</code>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {leftovers.length > 0 ? (
        <div className="conf-leftovers" data-testid="conf-leftovers" role="alert">
          <strong>Could not remove {leftovers.length}; delete these by hand:</strong>
          <ul>
            {leftovers.map((r) => (
              <li key={`${r.type}-${r.id ?? r.name}`}>
                <span className="tag">{r.type}</span> <code>{r.name}</code>
                {r.id ? (
                  <>
                    {' '}
                    id <code>{r.id}</code>
                  </>
                ) : null}{' '}
                <span className="muted">— {r.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  )
}
