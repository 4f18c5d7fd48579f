import type { SignInResult } from '../../../../src-shared/channels/onboarding.ts'
import { formatEventTime } from '../../lib/log-format.ts'
import { ExplanationBlock } from './ExplanationBlock.tsx'
import './sso.css'

/** What a sign-in test saw: the person, their attributes, their SCIM status; or the refusal. */
export function SignInResultCard({ result }: { result: SignInResult }) {
  const ok = result.outcome === 'success'
  const who = result.userName ?? result.nameId ?? '(no NameID)'
  return (
    <section
      className={`card sso-result tone-edge ${ok ? 'tone-good' : 'tone-bad'}`}
      aria-label="Sign-in test result"
      data-testid="sso-signin-result"
      data-outcome={result.outcome}
    >
      <div className={`status-banner ${ok ? 'tone-good' : 'tone-bad'}`} role="status">
        <strong data-testid="sso-signin-user">
          {ok ? `Signed in as ${who}` : `Sign-in refused: ${result.reason ?? 'unknown reason'}`}
        </strong>
        <span className="status-sub">
          Attempt #{result.seq} at{' '}
          <time dateTime={result.time} title={result.time}>
            {formatEventTime(result.time)} UTC
          </time>
          {ok ? '' : ` · ${result.message}`}
        </span>
      </div>
      {ok || result.scimUser ? (
        <p className="sso-scim" data-testid="sso-signin-scim">
          {result.scimUser ? (
            <>
              <span
                className={`tag tone-fill ${result.scimUser.active ? 'tone-good' : 'tone-warn'}`}
              >
                {result.scimUser.active ? 'Provisioned by SCIM' : 'SCIM user inactive'}
              </span>{' '}
              SCIM user <code>{result.scimUser.userName}</code> (id {result.scimUser.id})
            </>
          ) : (
            <>
              <span className="tag tone-fill tone-warn">Not provisioned by SCIM</span> No SCIM user
              has this userName or e-mail yet: assign this person to the SCIM app too.
            </>
          )}
        </p>
      ) : null}
      {result.attributes.length > 0 ? (
        <table className="table sso-attributes" aria-label="Attributes in the assertion">
          <thead>
            <tr>
              <th scope="col">Attribute</th>
              <th scope="col">Values</th>
            </tr>
          </thead>
          <tbody>
            {result.attributes.map((a) => (
              <tr key={a.name}>
                <td>
                  <code>{a.name}</code>
                </td>
                <td>{a.values.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {result.explanation ? <ExplanationBlock explanation={result.explanation} /> : null}
      {!ok && !result.explanation && result.hint ? (
        <p className="finding-hint">{result.hint}</p>
      ) : null}
    </section>
  )
}
