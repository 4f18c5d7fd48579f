import { useState } from 'react'
import type { AppErrorData } from '../../../src-shared/errors.ts'
import { ApiError } from '../api-error.ts'
import { ConnectionForm } from '../components/ConnectionForm.tsx'
import { ErrorPanel } from '../components/ErrorPanel.tsx'
import { TenantOverview } from '../components/TenantOverview.tsx'
import { useActiveTarget, useRemoveConnection, useTenantOverview } from '../use-connections.ts'
import { useUiStore } from '../use-ui-store.ts'
import { toneClass } from '../lib/tone.ts'
import './connection.css'

function errorOf(err: unknown) {
  return err instanceof ApiError ? err.data : null
}

/** The services' hints name CLI commands; on this screen the fix is a button away. */
function inUi(error: AppErrorData): AppErrorData {
  if (error.code === 'backend.unauthorized') {
    return {
      ...error,
      hint: 'The admin key is wrong or was replaced on the backend: press Edit on this connection and paste the current admin key.',
    }
  }
  return error
}

export function ConnectionScreen() {
  const { list, current, test, tenants, target } = useActiveTarget()
  const setTarget = useUiStore((s) => s.setTarget)
  const overview = useTenantOverview(target)
  const remove = useRemoveConnection()
  const [form, setForm] = useState<'add' | { edit: string } | null>(null)
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null)
  const connections = list.data?.connections ?? []
  const listError = errorOf(list.error)

  return (
    <div className="screen" data-testid="connection-screen">
      <header className="screen-header">
        <h1>Connection</h1>
        <p className="lede">
          The backend this console administers and the tenant you are setting up. With nothing
          configured, the console runs the embedded reference backend with a demo tenant.
        </p>
      </header>

      {list.isPending ? <p className="pending">Connecting…</p> : null}
      {listError ? <ErrorPanel error={listError} testId="connections-error" /> : null}

      {connections.length > 0 ? (
        <section className="card" data-testid="connection-list">
          <header className="card-header">
            <h2 className="card-title">Backends</h2>
            <button
              type="button"
              className="button small-button"
              data-testid="add-connection"
              onClick={() => setForm('add')}
            >
              Add connection…
            </button>
          </header>
          <ul className="connection-list">
            {connections.map((c) => {
              const active = c.name === current?.name
              return (
                <li
                  key={c.name}
                  className={`connection-item ${active ? 'connection-active' : ''}`}
                  data-testid="connection-item"
                  data-name={c.name}
                  data-active={active}
                >
                  <label className="connection-pick">
                    <input
                      type="radio"
                      name="active-connection"
                      checked={active}
                      onChange={() => setTarget(c.name, null)}
                    />
                    <span className="connection-name">{c.name}</span>
                    <span className={`tag ${c.embedded ? toneClass('info', 'fill') : ''}`}>
                      {c.embedded ? 'embedded' : 'saved'}
                    </span>
                  </label>
                  <code className="value connection-url" data-testid="connection-admin-url">
                    {c.adminBaseUrl}
                  </code>
                  <span className="muted small">
                    {c.embedded
                      ? 'Admin key held by this process'
                      : c.adminKeyStored
                        ? 'Admin key in keychain'
                        : 'Admin key missing: edit to store it'}
                  </span>
                  {c.embedded ? null : (
                    <span className="actions">
                      <button
                        type="button"
                        className="button small-button"
                        data-testid="connection-edit"
                        onClick={() => setForm({ edit: c.name })}
                      >
                        Edit
                      </button>
                      {confirmRemove === c.name ? (
                        <>
                          <button
                            type="button"
                            className="button small-button button-danger"
                            data-testid="connection-remove-confirm"
                            onClick={() =>
                              remove.mutate(c.name, { onSettled: () => setConfirmRemove(null) })
                            }
                          >
                            Remove, and its admin key
                          </button>
                          <button
                            type="button"
                            className="button small-button"
                            onClick={() => setConfirmRemove(null)}
                          >
                            Keep
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          className="button small-button"
                          data-testid="connection-remove"
                          onClick={() => setConfirmRemove(c.name)}
                        >
                          Remove
                        </button>
                      )}
                    </span>
                  )}
                </li>
              )
            })}
          </ul>
          {errorOf(remove.error) ? <ErrorPanel error={errorOf(remove.error)!} /> : null}

          <div className="connection-status">
            <div
              className={`status-pill ${toneClass(test.isSuccess ? 'good' : test.isError ? 'bad' : 'neutral', 'fill')}`}
              data-testid="test-result"
              data-ok={test.isSuccess}
            >
              {test.isFetching
                ? 'Testing…'
                : test.isSuccess
                  ? `Connected · backend ${test.data.backendVersion} · ${tenants.length} tenant${tenants.length === 1 ? '' : 's'}`
                  : test.isError
                    ? 'Not connected'
                    : '—'}
            </div>
            <button
              type="button"
              className="button"
              data-testid="test-connection"
              disabled={!current || test.isFetching}
              onClick={() => void test.refetch()}
            >
              Test connection
            </button>
            {tenants.length > 0 ? (
              <label className="tenant-pick">
                <span className="field-label">Tenant</span>
                <select
                  data-testid="tenant-select"
                  value={target?.tenantId ?? ''}
                  onChange={(e) => setTarget(current!.name, e.target.value)}
                >
                  {tenants.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name} ({t.id})
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </div>
          {errorOf(test.error) ? (
            <ErrorPanel error={inUi(errorOf(test.error)!)} testId="test-error" />
          ) : null}
        </section>
      ) : null}

      {form === 'add' ? (
        <ConnectionForm
          onDone={(name) => {
            setForm(null)
            if (name) setTarget(name, null)
          }}
        />
      ) : form ? (
        <ConnectionForm
          key={form.edit}
          existing={connections.find((c) => c.name === form.edit)}
          onDone={() => setForm(null)}
        />
      ) : null}

      {target ? (
        <div className="tenant-heading">
          <h2 data-testid="tenant-name">{overview.data?.tenant.name ?? target.tenantId}</h2>
          <span className="muted">
            tenant <code data-testid="tenant-id">{target.tenantId}</code> on{' '}
            <strong>{target.connection}</strong>
          </span>
        </div>
      ) : null}
      {overview.isPending && target ? <p className="pending">Loading the tenant…</p> : null}
      {/* A failed connection test already says what is wrong; stale data would only mislead. */}
      {errorOf(overview.error) && !test.isError ? (
        <ErrorPanel error={inUi(errorOf(overview.error)!)} testId="overview-error" />
      ) : null}
      {overview.data && target && !overview.isError && !test.isError ? (
        <TenantOverview overview={overview.data} target={target} refresh={overview.dataUpdatedAt} />
      ) : null}
    </div>
  )
}
