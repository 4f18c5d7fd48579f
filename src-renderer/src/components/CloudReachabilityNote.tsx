import { cloudReachabilityWarning } from '../../../src-shared/cloud-reachability.ts'

/** Beside a URL the admin pastes into the IdP: says plainly when the IdP's cloud cannot reach it. */
export function CloudReachabilityNote({
  url,
  what,
  testId,
}: {
  url: string
  what: string
  testId: string
}) {
  const warning = cloudReachabilityWarning(url, what)
  if (!warning) return null
  return (
    <p className="reach-note tone-fill tone-warn" role="note" data-testid={testId}>
      {warning}
    </p>
  )
}
