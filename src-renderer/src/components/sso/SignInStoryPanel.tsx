import type { SignInStoryView } from '../../../../src-shared/channels/sso-signin.ts'
import { ExplanationBlock } from './ExplanationBlock.tsx'
import './sso.css'

const VERDICT_TONE = { signs_in: 'tone-good', cannot_sign_in: 'tone-bad', no_attempts: 'tone-warn' }

/** One user's sign-in story: the verdict, each cause with its fix, and the SCIM cross-check. */
export function SignInStoryPanel({ story }: { story: SignInStoryView }) {
  return (
    <section
      className="card sso-story"
      aria-label={`Sign-in story of ${story.query}`}
      data-testid="sso-story"
      data-verdict={story.verdict}
    >
      <div className={`status-banner ${VERDICT_TONE[story.verdict]}`} role="status">
        <strong>{story.summary}</strong>
      </div>
      {story.findings.map((f) => (
        <div
          key={f.code}
          className={`finding tone-edge ${f.resolved ? 'tone-neutral' : 'tone-bad'}`}
          data-testid="sso-story-finding"
          data-code={f.code}
        >
          <p className="small">
            <code>{f.code}</code>
            {f.resolved ? ' (resolved by a later sign-in)' : ''} · attempts{' '}
            {f.seqs.map((n) => `#${n}`).join(', ')}
          </p>
          <ExplanationBlock explanation={f} />
        </div>
      ))}
      {story.crossCheck ? (
        <div className="finding tone-edge tone-warn" data-testid="sso-story-crosscheck">
          <p className="small">
            <code>{story.crossCheck.kind}</code>
          </p>
          <ExplanationBlock
            explanation={{ title: 'SSO and SCIM disagree about this person', ...story.crossCheck }}
          />
        </div>
      ) : null}
    </section>
  )
}
