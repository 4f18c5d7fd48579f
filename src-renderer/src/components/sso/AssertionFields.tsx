import type { z } from 'zod'
import type { samlAssertionSchema } from '../../../../src-shared/channels/sso-signin.ts'
import './sso.css'

type Assertion = z.infer<typeof samlAssertionSchema>

/** The decoded assertion: issuer, NameID, audience, times, attributes. */
export function AssertionFields({
  assertion: a,
  verified,
}: {
  assertion: Assertion
  verified: boolean
}) {
  const bearer = a.subjectConfirmations[0]
  return (
    <div className="sso-assertion" data-testid="sso-assertion">
      <h4 className="sso-explanation-title">
        Assertion {verified ? '(read from the signed XML)' : '(NOT verified)'}
      </h4>
      <dl className="fields">
        <dt>Issuer</dt>
        <dd>
          <code>{a.issuer ?? '-'}</code>
        </dd>
        <dt>NameID</dt>
        <dd data-testid="sso-assertion-nameid">
          <code>{a.nameId ?? '-'}</code> <span className="small muted">{a.nameIdFormat}</span>
        </dd>
        <dt>Audience</dt>
        <dd>
          <code>{a.audiences.join(', ') || '-'}</code>
        </dd>
        <dt>Recipient</dt>
        <dd>
          <code>{bearer?.recipient ?? '-'}</code>
        </dd>
        <dt>Valid</dt>
        <dd>
          {a.notBefore ?? '?'} to {a.notOnOrAfter ?? '?'} (issued {a.issueInstant ?? '?'})
        </dd>
      </dl>
      <table className="table sso-attributes" aria-label="Attributes">
        <thead>
          <tr>
            <th scope="col">Attribute</th>
            <th scope="col">Values</th>
          </tr>
        </thead>
        <tbody>
          {a.attributes.length === 0 ? (
            <tr>
              <td colSpan={2}>(none)</td>
            </tr>
          ) : (
            a.attributes.map((at) => (
              <tr key={at.name}>
                <td>
                  <code>{at.name}</code>
                </td>
                <td>{at.values.join(', ')}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  )
}
