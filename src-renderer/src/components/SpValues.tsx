import { CloudReachabilityNote } from './CloudReachabilityNote.tsx'
import { CopyButton } from './CopyButton.tsx'
import '../screens/connection.css'

interface Sp {
  acsUrl: string
  entityId: string
  relayState: string
  nameIdFormat: string
}

/** What the admin pastes into the Okta SAML app, each with its Okta field name. */
export function SpValues({ sp }: { sp: Sp }) {
  const rows: { key: string; label: string; okta: string; value: string }[] = [
    { key: 'acs-url', label: 'ACS URL', okta: 'Single sign-on URL', value: sp.acsUrl },
    {
      key: 'entity-id',
      label: 'SP entity ID',
      okta: 'Audience URI (SP Entity ID)',
      value: sp.entityId,
    },
    { key: 'relay-state', label: 'RelayState', okta: 'Default RelayState', value: sp.relayState },
    {
      key: 'name-id',
      label: 'NameID format',
      okta: 'Name ID format (EmailAddress)',
      value: sp.nameIdFormat,
    },
  ]
  return (
    <section className="card" data-testid="sp-values">
      <h2 className="card-title">Paste into Okta</h2>
      <dl className="fields">
        {rows.map((r) => (
          <div className="field-pair" key={r.key}>
            <dt>
              {r.label}
              <span className="okta-field">{r.okta}</span>
            </dt>
            <dd className="copy-row">
              {r.value ? (
                <>
                  <code className="value" data-testid={`sp-${r.key}`}>
                    {r.value}
                  </code>
                  <CopyButton text={r.value} label={r.label} testId={`copy-sp-${r.key}`} />
                </>
              ) : (
                <span className="muted" data-testid={`sp-${r.key}`}>
                  Leave empty
                </span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <CloudReachabilityNote url={sp.acsUrl} what="ACS URL" testId="sp-acs-unreachable" />
    </section>
  )
}
