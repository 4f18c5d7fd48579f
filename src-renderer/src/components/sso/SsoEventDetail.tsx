import { useQuery } from '@tanstack/react-query'
import { ApiError, unwrap } from '../../api-error.ts'
import { useApi } from '../../api-context.tsx'
import type { ActiveTarget } from '../../use-connections.ts'
import { ErrorPanel } from '../ErrorPanel.tsx'
import { AssertionFields } from './AssertionFields.tsx'
import { ExplanationBlock } from './ExplanationBlock.tsx'
import './sso.css'

/** One attempt: the explanation of a refusal, then the assertion as the ACS read it. */
export function SsoEventDetail({ target, seq }: { target: ActiveTarget; seq: number }) {
  const api = useApi()
  const q = useQuery({
    queryKey: ['sso.explainEvent', target.connection, target.tenantId, seq],
    queryFn: () => unwrap(api['sso.explainEvent']({ ...target, seq })),
  })
  if (q.error instanceof ApiError) return <ErrorPanel error={q.error.data} />
  if (!q.data) return <p className="pending">Loading attempt #{seq}…</p>
  const { event: e, explanation } = q.data
  return (
    <section
      className="card sso-detail"
      aria-label={`Attempt ${seq}`}
      data-testid="sso-event-detail"
    >
      <h3 className="section-title">
        Attempt #{e.seq}: {e.outcome === 'success' ? 'signed in' : 'refused'}
      </h3>
      <p>{e.message}</p>
      {explanation ? <ExplanationBlock explanation={explanation} /> : null}
      <dl className="fields">
        <dt>Flow</dt>
        <dd>{e.flow}</dd>
        <dt>Signed</dt>
        <dd>
          {e.signature.signed}
          {e.signature.certificateSha256 ? ` · SHA-256 ${e.signature.certificateSha256}` : ''}
        </dd>
        <dt>SCIM user</dt>
        <dd>
          {e.scimUser
            ? `${e.scimUser.userName} (${e.scimUser.active ? 'active' : 'inactive'})`
            : 'none'}
        </dd>
      </dl>
      {e.assertion ? <AssertionFields assertion={e.assertion} verified={e.verified} /> : null}
    </section>
  )
}
