import { useState } from 'react'
import type { Finding } from '../../../src-shared/metadata.ts'
import { ApiError } from '../api-error.ts'
import { useActiveTarget, useTenantOverview } from '../use-connections.ts'
import { focusIfLost } from '../use-focus-management.ts'
import { useSsoDiff, useSsoPush, type PushSource } from '../use-sso-push.ts'
import { ErrorPanel } from './ErrorPanel.tsx'
import { FindingsList } from './FindingsList.tsx'
import { SpValues } from './SpValues.tsx'
import { SsoDiffView } from './SsoDiffView.tsx'
import '../screens/connection.css'

/**
 * After an inspection: compare with the tenant's current IdP configuration, then push. The diff
 * comes first; when it warns, the person confirms explicitly, and main checks that again.
 */
export function SsoPushPanel({
  source,
  entityId,
  usable,
}: {
  source: PushSource
  entityId: string | undefined
  usable: boolean
}) {
  const { target } = useActiveTarget()
  const overview = useTenantOverview(target)
  const diff = useSsoDiff()
  const push = useSsoPush()
  const [confirmed, setConfirmed] = useState(false)
  const vars = target ? { ...target, source, ...(entityId ? { entityId } : {}) } : null
  const error = [diff.error, push.error]
    .map((e) => (e instanceof ApiError ? e.data : null))
    .find((e) => e !== null)
  const rejected = (error?.details as { findings?: Finding[] } | undefined)?.findings

  return (
    <section className="card push-panel" data-testid="sso-push-panel">
      <header className="push-header">
        <div>
          <h2 className="card-title">Push to tenant</h2>
          <p className="muted small">
            {target ? (
              <>
                Tenant <code>{target.tenantId}</code>
                {overview.data ? ` (${overview.data.tenant.name})` : ''} on{' '}
                <strong>{target.connection}</strong>
              </>
            ) : (
              'No backend connected yet.'
            )}
          </p>
        </div>
        <button
          type="button"
          className="button"
          data-testid="sso-push-start"
          disabled={!vars || !usable || diff.isPending}
          title={
            usable
              ? undefined
              : 'Fix the errors above first: the backend refuses unusable metadata.'
          }
          onClick={() => {
            push.reset()
            setConfirmed(false)
            if (vars) diff.mutate(vars)
          }}
        >
          {diff.isPending ? 'Comparing…' : diff.data ? 'Compare again' : 'Compare with tenant…'}
        </button>
      </header>

      {diff.data && !push.isSuccess ? (
        <>
          <SsoDiffView diff={diff.data.diff} />
          {diff.data.diff.requiresConfirmation ? (
            <label className="confirm-row">
              <input
                type="checkbox"
                data-testid="sso-push-confirm-check"
                checked={confirmed}
                onChange={(e) => setConfirmed(e.target.checked)}
              />
              I have read the warnings and want to replace the current configuration.
            </label>
          ) : null}
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              data-testid="sso-push"
              disabled={
                push.isPending || (diff.data.diff.requiresConfirmation && !confirmed) || !vars
              }
              onClick={() => vars && push.mutate({ ...vars, confirmed })}
            >
              {push.isPending ? 'Pushing…' : 'Push to tenant'}
            </button>
          </div>
        </>
      ) : null}

      {push.isSuccess ? (
        <div
          className="status-banner tone-good"
          data-testid="sso-push-done"
          role="status"
          ref={focusIfLost}
          tabIndex={-1}
        >
          <strong>Pushed: the tenant now trusts this IdP</strong>
          <span className="status-sub">
            {push.data.entityId} · {push.data.certificates} signing certificate
            {push.data.certificates === 1 ? '' : 's'}
          </span>
        </div>
      ) : null}

      {error ? <ErrorPanel error={error} testId="sso-push-error" /> : null}
      {rejected && rejected.length > 0 ? <FindingsList findings={rejected} /> : null}

      {overview.data ? <SpValues sp={overview.data.sso.sp} /> : null}
    </section>
  )
}
