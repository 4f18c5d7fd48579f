import type { Finding } from '../../../src-shared/provisioning-diagnosis.ts'
import type { ProvisioningEvent } from '../../../src-shared/provisioning-event.ts'
import type { ScimErrorReason } from '../../../src-shared/scim-error-reasons.ts'
import { evidenceOf, plural, resolvedAfter } from './evidence.ts'

/** 401s: the backend's reason code (src-shared/scim-error-reasons.ts) names the setup mistake. */

interface AuthAdvice {
  why: string
  fix: string
}

const REVOKED_TOO = '; that token is also revoked'

const BEARER_DOUBLED = (revoked: boolean): AuthAdvice => ({
  why: `"Bearer " was pasted into the IdP's token field together with the token, so the IdP sends "Authorization: Bearer Bearer …"${revoked ? REVOKED_TOO : ''}.`,
  fix: revoked
    ? 'Clear the IdP\'s token field and paste only the tenant\'s current SCIM token (without "Bearer "); Okta and Entra add the scheme themselves. Then test the connection.'
    : 'Remove the "Bearer " you pasted into the IdP\'s token field so it holds only the token (Okta and Entra add the scheme themselves), then test the connection.',
})

const SCHEME_MISSING = (revoked: boolean): AuthAdvice => ({
  why: `The IdP sends the token without the "Bearer " scheme (an authentication mode that puts the bare token in the header)${revoked ? REVOKED_TOO : ''}.`,
  fix: `Switch the IdP app to bearer authentication (Okta: "HTTP Header" auth; Entra: "Secret Token")${revoked ? " with the tenant's current token" : ''}, then test the connection.`,
})

const SCHEME_WRONG: AuthAdvice = {
  why: 'The Authorization header is not "Bearer <token>": the IdP app uses another authentication scheme (such as Basic) for this token.',
  fix: 'Switch the IdP app to bearer authentication (Okta: "HTTP Header" auth; Entra: "Secret Token") and paste only the token, without "Bearer "; the IdP adds the scheme itself.',
}

const ADVICE: Partial<Record<ScimErrorReason, AuthAdvice>> = {
  'auth.bearer_doubled': BEARER_DOUBLED(false),
  'auth.bearer_doubled_revoked': BEARER_DOUBLED(true),
  'auth.scheme_missing': SCHEME_MISSING(false),
  'auth.scheme_missing_revoked': SCHEME_MISSING(true),
  'auth.scheme_wrong': SCHEME_WRONG,
  'auth.header_malformed': SCHEME_WRONG,
  'auth.token_revoked': {
    why: 'The IdP still sends a SCIM token that was revoked in this tenant.',
    fix: "Generate or pick the tenant's current token in the console and paste it into the IdP app (Okta: Provisioning > Integration > API token; Entra: Secret token), then test the connection.",
  },
  'auth.token_unknown': {
    why: 'The token the IdP sends is not registered with any tenant (copied incompletely, or from another backend).',
    fix: "Copy the tenant's token again in full (the console's copy button), paste it into the IdP and test the connection.",
  },
}

/** Events recorded before the backend gave reasons, and any code this console does not know. */
const UNKNOWN_REASON: AuthAdvice = {
  why: 'The token the IdP sends is wrong or expired.',
  fix: 'Paste the tenant\'s current SCIM token into the IdP app, without a "Bearer " prefix, and test the connection.',
}

export function authAdvice(reason: string | undefined): AuthAdvice {
  return (reason !== undefined && ADVICE[reason as ScimErrorReason]) || UNKNOWN_REASON
}

export function authFinding(
  who: string,
  failures: ProvisioningEvent[],
  last: ProvisioningEvent,
  resolved: boolean,
  tenantWide: boolean,
): Finding {
  const detail = last.error?.detail ?? ''
  const { why, fix } = authAdvice(last.error?.reason)
  const prefixes = [
    ...new Set(failures.map((e) => e.tokenHashPrefix).filter((p): p is string => p !== null)),
  ]
  return {
    cause: 'auth_rejected',
    title: tenantWide
      ? `Every recent request to this tenant was rejected with 401, so ${who} could not be provisioned.`
      : `Requests for ${who} were rejected with 401 (authentication).`,
    explanation: `${why} ${plural(failures.length, 'request')} got 401${prefixes.length > 0 ? ` (token hash prefix ${prefixes.join(', ')})` : ''}; the backend said: "${detail || 'unauthorized'}". Okta shows "An error has occurred" on Test API Credentials; Entra quarantines the job after repeated failures.`,
    fix,
    evidence: failures.slice(-5).map(evidenceOf),
    resolved,
  }
}

export function authFailures(userEvents: ProvisioningEvent[], findings: Finding[]): void {
  const failures = userEvents.filter((e) => e.status === 401)
  if (failures.length === 0) return
  const last = failures[failures.length - 1]!
  findings.push(authFinding('this user', failures, last, resolvedAfter(userEvents, last), false))
}
