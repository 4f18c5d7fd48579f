import type { Finding } from '../../../src-shared/provisioning-diagnosis.ts'
import { sourceOf, type ProvisioningEvent } from '../../../src-shared/provisioning-event.ts'
import type { UserStory } from '../user-story.ts'
import { authFinding } from './auth.ts'
import { evidenceOf, plural } from './evidence.ts'

/** No request for the user reached the tenant: where did they go, or why were none sent? */

const SOURCE_WORDS: Record<string, string> = {
  harness: 'the pre-go-live test (conformance harness)',
  replay: 'the console’s replay',
  other: 'another client (curl, a script)',
}

/** "the console’s replay (seq 12, 14)": who, other than the IdP, named the user. */
function notIdpSenders(events: ProvisioningEvent[]): string {
  const by = new Map<string, number[]>()
  for (const e of events) {
    const words = SOURCE_WORDS[sourceOf(e)] ?? sourceOf(e)
    by.set(words, [...(by.get(words) ?? []), e.seq])
  }
  return [...by].map(([words, seqs]) => `${words} (seq ${seqs.slice(-3).join(', ')})`).join(' and ')
}

/**
 * `notIdp`: the user's events from other sources (test runs, replays, other clients), which the
 * diagnosis does not count but names, so "never sent by the IdP" does not contradict the timeline.
 */
export function silence(
  story: UserStory,
  findings: Finding[],
  nextChecks: string[],
  notIdp: ProvisioningEvent[] = [],
): void {
  const who = story.query
  const t = story.tenant
  if (notIdp.length > 0) {
    nextChecks.push(
      `Only ${notIdpSenders(notIdp)} sent requests for ${who}; the IdP never did, and those requests are not counted as the IdP's.`,
    )
  }
  if (story.current.kind === 'found') {
    if (notIdp.length > 0) return
    // The user exists; its events are older than the log the console holds. Lifecycle decides.
    nextChecks.push(
      `${who} exists in the tenant but no event in the loaded log names it; load more history to see how it got there.`,
    )
    return
  }
  if (story.elsewhere.length > 0) {
    const where = story.elsewhere
      .map(
        (h) =>
          `${h.tenantName ? `"${h.tenantName}" ` : ''}(${h.tenantId}, ${plural(h.events, 'event')}, last seq ${h.lastSeq})`,
      )
      .join(', ')
    findings.push({
      cause: 'token_other_tenant',
      title: `Requests for ${who} arrive at another tenant.`,
      explanation: `Nothing in this tenant names ${who}, but the same backend received requests for it in ${where}. The IdP app is configured with that tenant's SCIM token (the token selects the tenant), so the user is provisioned there instead of here.`,
      fix: `Put this tenant's SCIM token into the IdP app (Okta: Provisioning > Integration > API token; Entra: Admin credentials > Secret token), test the connection, then push the user again.`,
      evidence: [],
      resolved: false,
    })
    return
  }
  if (t.authFailures.length > 0 && t.successesAfterLastAuthFailure === 0) {
    const last = t.authFailures[t.authFailures.length - 1]!
    findings.push(authFinding(who, t.authFailures, last, false, true))
    return
  }
  const base =
    notIdp.length > 0
      ? `No request from the IdP for ${who} ever reached this tenant`
      : `No request for ${who} ever reached this tenant`
  if (t.totalEvents === 0) {
    findings.push({
      cause: 'no_requests',
      title:
        t.otherSourceEvents > 0
          ? `${base}; in fact no request from the IdP reached it at all (only ${plural(t.otherSourceEvents, 'request')} from test runs and other clients).`
          : `${base}; in fact no SCIM request reached it at all.`,
      explanation:
        'The provisioning log of this tenant is empty, so the IdP is not talking to it: provisioning is switched off, the base URL points elsewhere (a typo, a missing /scim/v2, an `_` that Okta rejects), the token belongs to another tenant, or every request is refused before it can be attributed to a tenant (a token that is not registered here, whatever the header looks like). A registered token sent as "Bearer Bearer …" or without the scheme would show here as a 401.',
      fix: 'In the IdP app check that provisioning is on and the base URL is this tenant\'s SCIM base URL, paste the token WITHOUT a "Bearer " prefix (Okta adds it), and press "Test API Credentials" / "Test Connection": a request must appear in this log within seconds.',
      evidence: [],
      resolved: false,
    })
  } else {
    findings.push({
      cause: 'no_requests',
      title: `${base}, while requests for ${plural(t.otherUsersSeen, 'other user')} did.`,
      explanation: `The IdP is connected (the log has ${plural(t.totalEvents, 'event')} from it, ${t.firstEventTime ?? '?'} to ${t.lastEventTime ?? '?'}${t.otherSourceEvents > 0 ? `; ${plural(t.otherSourceEvents, 'request')} from test runs and other clients are not counted` : ''}), but it never looked ${who} up: the IdP decided not to provision this user. Usual reasons: the user is not assigned to the app (directly or through a group), a scoping filter excludes them, the matching attribute (userName) is empty for them, or Okta's "Create Users" is off.`,
      fix: `Assign ${who} to the SCIM app in the IdP (Okta: Assignments; Entra: Users and groups, in scope), check the user's userName mapping is not empty, and in Okta make sure Provisioning > To App > "Create Users" is enabled. Entra provisions on its ~40 min cycle; use "Provision on demand" to try at once.`,
      evidence: [],
      resolved: false,
    })
  }
  if (t.groupPushes.length > 0) {
    findings.push({
      cause: 'not_in_group',
      title: `Groups were pushed, but ${who} is in none of the pushed memberships.`,
      explanation: `The IdP pushed ${plural(t.groupPushes.length, 'group change')} to this tenant without ${who}. Okta pushes a membership only for users who are in the Okta group AND assigned to the app; a group member who is not assigned is silently left out (Entra likewise skips members out of scope).`,
      fix: `Assign ${who} to the app (assigning the pushed group to the app does it for all its members), then push the group again.`,
      evidence: t.groupPushes.slice(-5).map(evidenceOf),
      resolved: false,
    })
  }
}
