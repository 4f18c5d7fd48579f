import { useState } from 'react'
import { ApiError } from '../api-error.ts'
import { useSaveConnection } from '../use-connections.ts'
import { ErrorPanel } from './ErrorPanel.tsx'
import '../screens/connection.css'

/** Add a connection, or edit one (name fixed; an empty key field keeps the stored key). */
export function ConnectionForm({
  existing,
  onDone,
}: {
  existing?: { name: string; adminBaseUrl: string }
  onDone: (name: string) => void
}) {
  const mode = existing ? 'edit' : 'add'
  const save = useSaveConnection(mode)
  const [name, setName] = useState(existing?.name ?? '')
  const [url, setUrl] = useState(existing?.adminBaseUrl ?? '')
  // The key lives in this field only until it is saved; it is never read back from main.
  const [key, setKey] = useState('')
  const error = save.error instanceof ApiError ? save.error.data : null
  return (
    <form
      className="card stack"
      data-testid={`connection-form-${mode}`}
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate(
          { name: name.trim(), adminBaseUrl: url.trim(), adminKey: key },
          {
            onSuccess: (saved) => {
              setKey('')
              onDone(saved.name)
            },
          },
        )
      }}
    >
      <h2 className="card-title">{existing ? `Edit “${existing.name}”` : 'Add a connection'}</h2>
      <div className="form-grid">
        <label className="field-label" htmlFor={`conn-name-${mode}`}>
          Name
        </label>
        <input
          id={`conn-name-${mode}`}
          className="text-input"
          data-testid="connection-name"
          value={name}
          disabled={existing !== undefined}
          placeholder="prod-eu"
          onChange={(e) => setName(e.target.value)}
          required
        />
        <label className="field-label" htmlFor={`conn-url-${mode}`}>
          Admin API URL
        </label>
        <input
          id={`conn-url-${mode}`}
          className="text-input"
          data-testid="connection-url"
          value={url}
          placeholder="https://scim.example.com/admin/v1"
          onChange={(e) => setUrl(e.target.value)}
          required
        />
        <label className="field-label" htmlFor={`conn-key-${mode}`}>
          Admin key
        </label>
        <div className="stack">
          <input
            id={`conn-key-${mode}`}
            className="text-input"
            type="password"
            autoComplete="off"
            data-testid="connection-key"
            value={key}
            placeholder={existing ? 'Leave empty to keep the stored key' : ''}
            onChange={(e) => setKey(e.target.value)}
            required={!existing}
          />
          <span className="field-help">Stored in the OS keychain, never in the settings file.</span>
        </div>
      </div>
      {error ? <ErrorPanel error={error} testId="connection-form-error" /> : null}
      <div className="actions">
        <button
          type="submit"
          className="button button-primary"
          data-testid="connection-save"
          disabled={save.isPending}
        >
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={() => onDone(existing?.name ?? '')}>
          Cancel
        </button>
      </div>
    </form>
  )
}
