import { useState } from 'react'
import type { Exchange } from '../../../../src-shared/harness.ts'
import { prettyBody } from '../../lib/harness-progress.ts'
import { toneClass } from '../../lib/tone.ts'
import './conformance.css'
import './conformance-results.css'

/** One request and its response, as the harness recorded them (already redacted in main). */
export function ExchangeInspector({ exchanges }: { exchanges: Exchange[] }) {
  const [openId, setOpenId] = useState<string | null>(null)
  if (exchanges.length === 0) {
    return <p className="empty-note">This check sent no request of its own.</p>
  }
  return (
    <ol className="conf-exchanges" data-testid="conf-exchanges">
      {exchanges.map((x) => {
        const open = openId === x.id
        const status = x.response?.status
        return (
          <li key={x.id} className="conf-exchange" data-testid="conf-exchange">
            <button
              type="button"
              className="conf-exchange-line"
              aria-expanded={open}
              data-testid="conf-exchange-toggle"
              onClick={() => setOpenId(open ? null : x.id)}
            >
              <span className="conf-method">{x.request.method}</span>
              <span className="conf-exchange-url">{pathOf(x.request.url)}</span>
              <span
                className={`status-code ${toneClass(status !== undefined && status < 400 ? 'good' : 'bad', 'text')}`}
              >
                {status ?? x.error?.code ?? '—'}
              </span>
              <span className="muted conf-ms">{Math.round(x.durationMs)} ms</span>
              {x.attempt > 1 ? <span className="tag">retry {x.attempt - 1}</span> : null}
            </button>
            {open ? <ExchangeDetail exchange={x} /> : null}
          </li>
        )
      })}
    </ol>
  )
}

function ExchangeDetail({ exchange: x }: { exchange: Exchange }) {
  return (
    <div className="conf-exchange-detail" data-testid="conf-exchange-detail">
      <section className="conf-pane">
        <h4 className="conf-pane-title">Request</h4>
        <code className="conf-request-line" data-testid="conf-request-line">
          {x.request.method} {x.request.url}
        </code>
        <Headers headers={x.request.headers} />
        {x.request.body ? <Body text={x.request.body} testId="conf-request-body" /> : null}
      </section>
      <section className="conf-pane">
        <h4 className="conf-pane-title">Response</h4>
        {x.response ? (
          <>
            <code className="conf-request-line" data-testid="conf-response-status">
              {x.response.status} {x.response.statusText}
            </code>
            <Headers headers={x.response.headers} />
            {x.response.body ? (
              <Body text={x.response.body} testId="conf-response-body" />
            ) : (
              <p className="empty-note">No body.</p>
            )}
          </>
        ) : (
          <p className="conf-problem">
            No response: {x.error?.message ?? 'the request did not complete'}{' '}
            {x.error ? <code>{x.error.code}</code> : null}
          </p>
        )}
      </section>
    </div>
  )
}

function Headers({ headers }: { headers: Record<string, string> }) {
  const entries = Object.entries(headers)
  if (entries.length === 0) return null
  return (
    <dl className="conf-headers">
      {entries.map(([name, value]) => (
        <div key={name} className="conf-header">
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

function Body({ text, testId }: { text: string; testId: string }) {
  return (
    <pre className="conf-body" data-testid={testId}>
      {prettyBody(text)}
    </pre>
  )
}

function pathOf(url: string): string {
  try {
    const u = new URL(url)
    return decodeURIComponent(u.pathname + u.search)
  } catch {
    return url
  }
}
