import './sso.css'

export interface ExplanationView {
  title: string
  explanation: string
  evidence: string[]
  fix: { okta: string; entra: string }
}

/** A refusal explained: why, the evidence, and the fix in Okta's then Entra's terms. */
export function ExplanationBlock({
  explanation: e,
  heading = 'h4',
}: {
  explanation: ExplanationView
  heading?: 'h3' | 'h4'
}) {
  const H = heading
  return (
    <div className="sso-explanation" data-testid="sso-explanation">
      <H className="sso-explanation-title">{e.title}</H>
      <p>{e.explanation}</p>
      {e.evidence.length > 0 ? (
        <ul className="sso-evidence" aria-label="Evidence">
          {e.evidence.map((line) => (
            <li key={line}>
              <code>{line}</code>
            </li>
          ))}
        </ul>
      ) : null}
      <dl className="fields sso-fix">
        <dt>Fix in Okta</dt>
        <dd data-testid="sso-fix-okta">{e.fix.okta}</dd>
        <dt>Fix in Entra</dt>
        <dd>{e.fix.entra}</dd>
      </dl>
    </div>
  )
}
