import { useState } from 'react'
import type { ChannelInput } from '../../../../src-shared/contract.ts'
import type { HarnessProfile } from '../../../../src-shared/harness.ts'
import { rovingKeyDown } from '../../lib/roving.ts'
import type { ActiveTarget } from '../../use-connections.ts'
import './conformance.css'
import './conformance-results.css'

export interface KeychainToken {
  id: string
  label: string
  hashPrefix: string
}

const profiles: { id: HarnessProfile; label: string; text: string }[] = [
  {
    id: 'okta',
    label: 'Okta',
    text: 'Okta’s exact requests: lookup before create, PUT updates, no-path PATCH deactivation, group push.',
  },
  {
    id: 'entra',
    label: 'Entra ID',
    text: 'Microsoft Entra’s dialect: capitalised PATCH ops, "False" strings, nulls, unquoted externalId filters.',
  },
  {
    id: 'rfc',
    label: 'RFC 7644',
    text: 'The SCIM RFCs strictly, including the discovery endpoints.',
  },
]

type TokenChoice = 'keychain' | 'pasted'

/**
 * The run settings. The pasted token lives in this component's state only and leaves it once,
 * in the start call; a keychain token is sent by id and read in main.
 */
export function RunForm({
  defaultUrl,
  target,
  tokens,
  running,
  starting,
  stopping,
  onStart,
  onStop,
}: {
  defaultUrl: string | null
  target: ActiveTarget | null
  tokens: KeychainToken[]
  running: boolean
  starting: boolean
  stopping: boolean
  onStart(input: ChannelInput<'harness.start'>): void
  onStop(): void
}) {
  const [urlDraft, setUrlDraft] = useState<string | null>(null)
  const url = urlDraft ?? defaultUrl ?? ''
  const [choice, setChoice] = useState<TokenChoice | null>(null)
  const tokenChoice: TokenChoice = choice ?? (tokens.length > 0 && target ? 'keychain' : 'pasted')
  const [tokenId, setTokenId] = useState<string | null>(null)
  const chosenToken = tokens.find((t) => t.id === tokenId) ?? tokens[0] ?? null
  const [pasted, setPasted] = useState('')
  const [profile, setProfile] = useState<HarnessProfile>('okta')
  const [readOnly, setReadOnly] = useState(false)
  const [concurrency, setConcurrency] = useState(4)
  const [problem, setProblem] = useState<string | null>(null)
  const busy = running || starting

  function submit(): void {
    const problemText = validate()
    setProblem(problemText)
    if (problemText) return
    const token: ChannelInput<'harness.start'>['token'] =
      tokenChoice === 'keychain'
        ? { source: 'keychain', ...target!, tokenId: chosenToken!.id }
        : { source: 'pasted', value: pasted.trim() }
    onStart({ baseUrl: url.trim(), profile, readOnly, concurrency, token })
  }

  function validate(): string | null {
    let parsed: URL
    try {
      parsed = new URL(url.trim())
    } catch {
      return 'Enter the SCIM base URL, for example https://app.example.com/scim/v2.'
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      return `The SCIM base URL must start with https:// (got ${parsed.protocol}).`
    }
    if (tokenChoice === 'keychain' && (!target || !chosenToken)) {
      return 'No token of this tenant is in the keychain: create one on SCIM tokens, or paste one.'
    }
    if (tokenChoice === 'pasted' && pasted.trim() === '') {
      return 'Paste the bearer token the IdP will use, or pick one from the keychain.'
    }
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
      return 'Concurrency must be a whole number from 1 to 32.'
    }
    return null
  }

  return (
    <form
      className="card conf-form"
      data-testid="conformance-form"
      onSubmit={(e) => {
        e.preventDefault()
        if (!busy) submit()
      }}
    >
      <div className="conf-field conf-span">
        <label className="field-label" htmlFor="conf-url">
          SCIM base URL
        </label>
        <input
          id="conf-url"
          className="text-input mono-input"
          data-testid="conf-url"
          value={url}
          spellCheck={false}
          disabled={busy}
          placeholder="https://app.example.com/scim/v2"
          // Once the person is in the field, a tenant URL that loads late must not change it.
          onFocus={() => setUrlDraft((d) => d ?? url)}
          onChange={(e) => setUrlDraft(e.target.value)}
        />
        {defaultUrl && url !== defaultUrl ? (
          <button
            type="button"
            className="link-button"
            data-testid="conf-url-reset"
            disabled={busy}
            onClick={() => setUrlDraft(defaultUrl)}
          >
            Use the tenant’s URL
          </button>
        ) : null}
      </div>

      <div className="conf-field conf-span">
        <span className="field-label" id="conf-token-label">
          Bearer token
        </span>
        <div
          className="tabs conf-tabs"
          role="radiogroup"
          aria-labelledby="conf-token-label"
          onKeyDown={(e) =>
            rovingKeyDown(e, 'radio', (o) => setChoice(o.dataset.choice as TokenChoice))
          }
        >
          {(['keychain', 'pasted'] as const).map((c) => (
            <button
              key={c}
              type="button"
              role="radio"
              aria-checked={tokenChoice === c}
              tabIndex={tokenChoice === c ? 0 : -1}
              data-choice={c}
              className={`tab ${tokenChoice === c ? 'tab-active' : ''}`}
              data-testid={`conf-token-${c}`}
              disabled={busy}
              onClick={() => setChoice(c)}
            >
              {c === 'keychain' ? 'From the keychain' : 'Paste a token'}
            </button>
          ))}
        </div>
        {tokenChoice === 'keychain' ? (
          tokens.length > 0 ? (
            <select
              className="conf-select"
              data-testid="conf-token-select"
              aria-label="Token from the keychain"
              value={chosenToken?.id ?? ''}
              disabled={busy}
              onChange={(e) => setTokenId(e.target.value)}
            >
              {tokens.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label} · sha256 {t.hashPrefix}…
                </option>
              ))}
            </select>
          ) : (
            <p className="field-help" data-testid="conf-no-keychain-token">
              No token of this tenant is in the keychain. Create one on SCIM tokens, or paste one.
            </p>
          )
        ) : (
          <input
            type="password"
            className="text-input mono-input"
            data-testid="conf-token-paste"
            aria-label="Pasted bearer token"
            autoComplete="off"
            spellCheck={false}
            value={pasted}
            disabled={busy}
            placeholder="scim_… (a Bearer prefix is fine)"
            onChange={(e) => {
              setChoice('pasted')
              setPasted(e.target.value)
            }}
          />
        )}
        <p className="field-help">
          {tokenChoice === 'keychain'
            ? 'The console reads the secret from the keychain itself; it never reaches this page.'
            : 'Used for this run only, never stored, and redacted from every report.'}
        </p>
      </div>

      <div className="conf-field conf-span">
        <span className="field-label" id="conf-profile-label">
          Profile
        </span>
        <div
          className="conf-profiles"
          role="radiogroup"
          aria-labelledby="conf-profile-label"
          onKeyDown={(e) =>
            rovingKeyDown(e, 'radio', (o) => setProfile(o.dataset.choice as HarnessProfile))
          }
        >
          {profiles.map((p) => (
            <button
              key={p.id}
              type="button"
              role="radio"
              aria-checked={profile === p.id}
              tabIndex={profile === p.id ? 0 : -1}
              data-choice={p.id}
              className={`conf-profile ${profile === p.id ? 'conf-profile-active' : ''}`}
              data-testid={`conf-profile-${p.id}`}
              disabled={busy}
              onClick={() => setProfile(p.id)}
            >
              <strong>{p.label}</strong>
              <span>{p.text}</span>
            </button>
          ))}
        </div>
      </div>

      <div className="conf-options conf-span">
        <label className="conf-switch">
          <input
            type="checkbox"
            role="switch"
            data-testid="conf-read-only"
            checked={readOnly}
            disabled={busy}
            onChange={(e) => setReadOnly(e.target.checked)}
          />
          <span className="conf-switch-track" aria-hidden="true" />
          <span>
            <strong>Read-only</strong>
            <span className="field-help">
              {' '}
              GET requests only; creates, changes and deletes nothing.
            </span>
          </span>
        </label>
        <label className="conf-concurrency">
          <span className="field-label">Concurrency</span>
          <input
            type="number"
            className="text-input"
            data-testid="conf-concurrency"
            min={1}
            max={32}
            value={concurrency}
            disabled={busy}
            onChange={(e) => setConcurrency(e.target.valueAsNumber)}
          />
        </label>
      </div>

      {problem ? (
        <p className="conf-problem conf-span" role="alert" data-testid="conf-form-problem">
          {problem}
        </p>
      ) : null}

      <div className="actions conf-span">
        <button
          type="submit"
          className="button button-primary"
          data-testid="conf-start"
          disabled={busy}
        >
          {starting ? 'Starting…' : running ? 'Running…' : 'Run checks'}
        </button>
        {running ? (
          <button
            type="button"
            className="button button-danger"
            data-testid="conf-stop"
            disabled={stopping}
            onClick={onStop}
          >
            {stopping ? 'Stopping and cleaning up…' : 'Stop'}
          </button>
        ) : null}
      </div>
    </form>
  )
}
