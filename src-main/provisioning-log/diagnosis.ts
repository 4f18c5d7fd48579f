import type { Diagnosis, Evidence, Finding } from '../../src-shared/provisioning-diagnosis.ts'
import type { ProvisioningEvent } from '../../src-shared/provisioning-event.ts'
import { redactString } from '../../src-shared/redact.ts'
import { filterOfPath, filterTerms } from './user-keys.ts'
import type { UserStory } from './user-story.ts'

/**
 * Explains from the evidence why a user is (not) in the tenant: SCIM-REFERENCE.md §5, the causes
 * that show on the wire. Each finding names the events that prove it and the fix. A failure
 * followed by a success for the same user is kept but marked resolved, so an old 401 does not
 * hide the real reason and a healthy user gets no problem.
 */

/** Okta and Entra give up on a response after 60 s; from here on it is "near the limit". */
export const SLOW_MS = 45_000
export const TIMEOUT_MS = 60_000

export function evidenceOf(e: ProvisioningEvent): Evidence {
  const detail = e.error?.detail ? `: ${e.error.detail}` : ''
  const slow = e.durationMs >= SLOW_MS ? ` after ${(e.durationMs / 1000).toFixed(1)} s` : ''
  let summary = `${e.method} ${e.path} → ${e.status}${slow}${detail}`
  if (summary.length > 240) summary = `${summary.slice(0, 239)}…`
  return { seq: e.seq, time: e.time, summary: redactString(summary) }
}

function isUserResource(e: ProvisioningEvent): boolean {
  return e.resourceType === 'User' || e.resourceType === 'Unknown'
}

function isWriteSuccess(e: ProvisioningEvent): boolean {
  return e.status >= 200 && e.status < 300 && e.method !== 'GET'
}

/** Whether a write for the user succeeded after this event (the failure did not stick). */
function resolvedAfter(events: ProvisioningEvent[], failure: ProvisioningEvent): boolean {
  return events.some((e) => e.seq > failure.seq && isUserResource(e) && isWriteSuccess(e))
}

function attributeNamed(detail: string): string | undefined {
  const quoted = /[Aa]ttribute "([^"]+)"/.exec(detail) ?? /"([A-Za-z][\w.:]*)"/.exec(detail)
  if (quoted) return quoted[1]
  const leading = /^([A-Za-z][\w.:]*) (?:is|must)\b/.exec(detail)
  return leading?.[1]
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

export function diagnose(story: UserStory): Diagnosis {
  const who = story.query
  const events = story.events
  const userEvents = events.filter(isUserResource)
  const findings: Finding[] = []
  const nextChecks: string[] = []
  const current = story.current

  if (userEvents.length === 0) {
    silence(story, findings, nextChecks)
  } else {
    authFailures(userEvents, findings)
    rateLimits(userEvents, findings)
    slowResponses(userEvents, current.kind === 'found' && current.user.active, findings)
    conflicts(story, userEvents, findings)
    rejectedWrites(userEvents, findings)
    serverErrors(userEvents, findings)
  }
  lifecycle(story, userEvents, findings)

  const open = findings.filter((f) => !f.resolved)
  if (open.length > 0) {
    const titles = open.map((f) => f.title)
    return { query: who, verdict: 'problem', summary: titles.join(' '), findings, nextChecks }
  }
  if (current.kind === 'found' && current.user.active) {
    return {
      query: who,
      verdict: 'healthy',
      summary: `No problem found: ${current.user.userName} exists in the tenant and is active (SCIM id ${current.user.id}).`,
      findings,
      nextChecks,
    }
  }
  if (current.kind === 'unknown') {
    nextChecks.push(
      `Could not read the user's current state from the backend (${current.reason}); check the connection and run the diagnosis again.`,
    )
  } else if (current.kind === 'not_found' && userEvents.length > 0) {
    const lookups = userEvents.filter((e) => e.outcome === 'lookup_empty')
    if (lookups.length > 0 && !userEvents.some((e) => e.method === 'POST')) {
      nextChecks.push(
        `The IdP looked ${who} up (${plural(lookups.length, 'time')}, last seq ${lookups[lookups.length - 1]!.seq}) and found nothing, but never sent the create. In Okta check Provisioning > To App > "Create Users" is enabled and look at Provisioning > Tasks for a failed task; in Entra check the provisioning log for "skipped".`,
      )
    } else {
      nextChecks.push(
        `Requests for ${who} arrived but none created the user; open the timeline and look at the last write.`,
      )
    }
  }
  return {
    query: who,
    verdict: 'inconclusive',
    summary: `The evidence does not explain why ${who} is missing.`,
    findings,
    nextChecks,
  }
}

// ---- no request for the user ----

function silence(story: UserStory, findings: Finding[], nextChecks: string[]): void {
  const who = story.query
  const t = story.tenant
  if (story.current.kind === 'found') {
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
  const base = `No request for ${who} ever reached this tenant`
  if (t.totalEvents === 0) {
    findings.push({
      cause: 'no_requests',
      title: `${base}; in fact no SCIM request reached it at all.`,
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
      explanation: `The IdP is connected (the log has ${plural(t.totalEvents, 'event')} from ${t.firstEventTime ?? '?'} to ${t.lastEventTime ?? '?'}), but it never looked ${who} up: the IdP decided not to provision this user. Usual reasons: the user is not assigned to the app (directly or through a group), a scoping filter excludes them, the matching attribute (userName) is empty for them, or Okta's "Create Users" is off.`,
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

// ---- failures on the user's requests ----

function authFinding(
  who: string,
  failures: ProvisioningEvent[],
  last: ProvisioningEvent,
  resolved: boolean,
  tenantWide: boolean,
): Finding {
  const detail = last.error?.detail ?? ''
  let why: string
  let fix: string
  // The backend's wording (src-server/scim-http.ts, misformedAuthDetail) names the header shape.
  const revokedToo = /revoked/i.test(detail)
  if (/Bearer Bearer/.test(detail)) {
    why = `"Bearer " was pasted into the IdP's token field together with the token, so the IdP sends "Authorization: Bearer Bearer …"${revokedToo ? '; that token is also revoked' : ''}.`
    fix = revokedToo
      ? 'Clear the IdP\'s token field and paste only the tenant\'s current SCIM token (without "Bearer "); Okta and Entra add the scheme themselves. Then test the connection.'
      : 'Remove the "Bearer " you pasted into the IdP\'s token field so it holds only the token (Okta and Entra add the scheme themselves), then test the connection.'
  } else if (/without the "Bearer " scheme/i.test(detail)) {
    why = `The IdP sends the token without the "Bearer " scheme (an authentication mode that puts the bare token in the header)${revokedToo ? '; that token is also revoked' : ''}.`
    fix = `Switch the IdP app to bearer authentication (Okta: "HTTP Header" auth; Entra: "Secret Token")${revokedToo ? " with the tenant's current token" : ''}, then test the connection.`
  } else if (revokedToo) {
    why = 'The IdP still sends a SCIM token that was revoked in this tenant.'
    fix =
      "Generate or pick the tenant's current token in the console and paste it into the IdP app (Okta: Provisioning > Integration > API token; Entra: Secret token), then test the connection."
  } else if (/not "Bearer <token>"|bearer scheme/i.test(detail)) {
    why =
      'The Authorization header is not "Bearer <token>": the IdP app uses another authentication scheme (such as Basic) for this token.'
    fix =
      'Switch the IdP app to bearer authentication (Okta: "HTTP Header" auth; Entra: "Secret Token") and paste only the token, without "Bearer "; the IdP adds the scheme itself.'
  } else if (/not registered/i.test(detail)) {
    why =
      'The token the IdP sends is not registered with any tenant (copied incompletely, or from another backend).'
    fix =
      "Copy the tenant's token again in full (the console's copy button), paste it into the IdP and test the connection."
  } else {
    why = 'The token the IdP sends is wrong or expired.'
    fix =
      'Paste the tenant\'s current SCIM token into the IdP app, without a "Bearer " prefix, and test the connection.'
  }
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

function authFailures(userEvents: ProvisioningEvent[], findings: Finding[]): void {
  const failures = userEvents.filter((e) => e.status === 401)
  if (failures.length === 0) return
  const last = failures[failures.length - 1]!
  findings.push(authFinding('this user', failures, last, resolvedAfter(userEvents, last), false))
}

function rateLimits(userEvents: ProvisioningEvent[], findings: Finding[]): void {
  const limited = userEvents.filter((e) => e.status === 429)
  if (limited.length === 0) return
  const last = limited[limited.length - 1]!
  const retry = /Retry after (\d+)/i.exec(last.error?.detail ?? '')
  findings.push({
    cause: 'rate_limited',
    title: `Requests for this user were rate limited (429) and the IdP is waiting.`,
    explanation: `${plural(limited.length, 'request')} got 429${retry ? ` with Retry-After ${retry[1]} s` : ''}. Okta pauses the task, waits Retry-After (integer seconds only, else 5 minutes), doubles the wait on each further 429 and gives up after 10 attempts; Entra may quarantine the job. The user appears once a retry gets through.`,
    fix: "Wait for the retry (Okta: Provisioning > Tasks shows it), or raise the tenant's rate limit; during a first sync of a large directory, sync in smaller batches. Always answer 429 with an integer Retry-After.",
    evidence: limited.slice(-5).map(evidenceOf),
    resolved: resolvedAfter(userEvents, last),
  })
}

function slowResponses(
  userEvents: ProvisioningEvent[],
  userIsActive: boolean,
  findings: Finding[],
): void {
  const slow = userEvents.filter((e) => e.durationMs >= SLOW_MS)
  if (slow.length === 0) return
  const over = slow.filter((e) => e.durationMs >= TIMEOUT_MS)
  const worst = Math.max(...slow.map((e) => e.durationMs))
  findings.push({
    cause: 'slow_responses',
    title:
      over.length > 0
        ? `Responses for this user took longer than the IdP's 60 s limit.`
        : "Responses for this user came close to the IdP's 60 s limit.",
    explanation: `${plural(slow.length, 'response')} took ${(SLOW_MS / 1000).toFixed(0)} s or more (slowest ${(worst / 1000).toFixed(1)} s). Okta and Entra close the connection after 60 s and count the request as failed even if the server finished it: Entra then re-sends the create and gets 409 for ever, Okta leaves a failed task.`,
    fix: 'Find what makes these requests slow on the server (the durations are in the timeline), answer within a few seconds, and retry the failed task in the IdP.',
    evidence: slow.slice(-5).map(evidenceOf),
    resolved: userIsActive,
  })
}

function conflicts(story: UserStory, userEvents: ProvisioningEvent[], findings: Finding[]): void {
  const conflictsSeen = userEvents.filter((e) => e.method === 'POST' && e.status === 409)
  if (conflictsSeen.length === 0) return
  const last = conflictsSeen[conflictsSeen.length - 1]!
  const lookup = [...userEvents]
    .reverse()
    .find((e) => e.seq < last.seq && e.method === 'GET' && e.outcome === 'lookup_empty')
  const evidence = [...(lookup ? [lookup] : []), ...conflictsSeen.slice(-3)].map(evidenceOf)
  const sent = (last.requestBody as { userName?: unknown } | null)?.userName
  const sentName = typeof sent === 'string' ? sent : (last.userName ?? story.query)
  const existing = story.current.kind === 'found' ? story.current.user : undefined
  let title: string
  let explanation: string
  let fix: string
  const term = lookup ? filterTerms(filterOfPath(lookup.path) ?? '')[0] : undefined
  if (!lookup) {
    title = `Creating this user failed with 409: a user with userName "${sentName}" already exists.`
    explanation = `The IdP sent POST /Users without finding the user first (or its lookup is older than the loaded log), and the tenant already has "${sentName}". The IdP will not link the two on its own.`
    fix = `Link the existing user in the IdP (Okta: re-run the import and confirm the match; Entra: make sure the matching attribute finds it), or delete the stale user in the tenant and push again.`
  } else if (term && !/^userName$/i.test(term.attribute.replace(/^.*:/, ''))) {
    title = `Filter mismatch: the IdP looked the user up by ${term.attribute} "${term.value}", found nothing, and the create then collided on userName (409).`
    explanation = `The tenant already has a user with userName "${sentName}"${existing ? ` (id ${existing.id}, externalId ${existing.externalId ?? 'empty'})` : ''}, but not with ${term.attribute} "${term.value}", so the IdP's match missed it. It will retry the create and get 409 every cycle.`
    fix = `Make the IdP match on an attribute the existing user has: set the matching attribute to userName, or give the existing user ${term.attribute} "${term.value}" (PATCH it), then retry.`
  } else if (
    term &&
    existing &&
    existing.userName !== term.value &&
    existing.userName.toLowerCase() === term.value.toLowerCase()
  ) {
    title = `Case mismatch: the lookup for userName "${term.value}" found nothing, though "${existing.userName}" exists; the create then got 409.`
    explanation = `userName is case-insensitive in SCIM (RFC 7643 caseExact false). The server matched the filter case-sensitively but checks uniqueness case-insensitively, so the IdP cannot find the user and cannot create it either, and retries for ever.`
    fix =
      "Make the server's userName filter case-insensitive (and keep userName exactly as sent), or align the case in the IdP, then retry the task."
  } else if (term && sentName.toLowerCase() !== term.value.toLowerCase()) {
    title = `Duplicate under another userName: the IdP looked up "${term.value}" but created "${sentName}", which already exists (409).`
    explanation =
      'The matching value and the userName the IdP sends differ, so the lookup cannot find the user the create collides with.'
    fix =
      'Map the same source attribute to the matching attribute and to userName in the IdP, then retry.'
  } else {
    title = `The lookup for "${term?.value ?? sentName}" found nothing, yet the create got 409 (the user exists).`
    explanation = `The server hides an existing user from the filter query (inactive or role-scoped users filtered out, or the filter attribute not supported) but still counts it for uniqueness. The IdP concludes "user does not exist", POSTs, gets 409 and loops.`
    fix =
      'Make GET /Users?filter=userName eq "…" return every user the uniqueness check sees (including inactive ones), or delete the hidden duplicate; then retry.'
  }
  findings.push({
    cause: 'lookup_miss_conflict',
    title,
    explanation,
    fix,
    evidence,
    resolved: resolvedAfter(userEvents, last),
  })
}

function rejectedWrites(userEvents: ProvisioningEvent[], findings: Finding[]): void {
  const creates = userEvents.filter((e) => e.method === 'POST' && e.status === 400)
  if (creates.length > 0) {
    const last = creates[creates.length - 1]!
    const attribute = attributeNamed(last.error?.detail ?? '')
    findings.push({
      cause: 'create_rejected',
      title: attribute
        ? `Creating this user was rejected (400) because of the attribute "${attribute}".`
        : 'Creating this user was rejected (400).',
      explanation: `The server refused the create${last.error?.scimType ? ` (${last.error.scimType})` : ''}: "${last.error?.detail ?? 'no detail'}". Users whose profile leaves that attribute empty are created fine, which is why it looks random.`,
      fix: attribute
        ? `Fix the mapping of "${attribute}" in the IdP (Okta: Provisioning > To App attribute mappings; Entra: Attribute mappings) so it sends the type the server expects, or remove it from the mapping; then retry the task.`
        : 'Read the error detail in the evidence, correct the mapping in the IdP and retry the task.',
      evidence: creates.slice(-3).map(evidenceOf),
      resolved: resolvedAfter(userEvents, last),
    })
  }
  const updates = userEvents.filter(
    (e) =>
      (e.method === 'PATCH' || e.method === 'PUT') &&
      e.status >= 400 &&
      e.status < 500 &&
      e.status !== 401 &&
      e.status !== 429,
  )
  if (updates.length > 0) {
    const last = updates[updates.length - 1]!
    const attribute = attributeNamed(last.error?.detail ?? '')
    findings.push({
      cause: 'update_rejected',
      title: `Updating this user was rejected (${last.status})${attribute ? ` because of "${attribute}"` : ''}.`,
      explanation: `The server refused ${last.method} ${last.path}: "${last.error?.detail ?? 'no detail'}". Until it is accepted, changes (including deactivation) do not reach the tenant.`,
      fix: "Correct the attribute mapping (or the server's PATCH support) named in the detail, then retry the task in the IdP.",
      evidence: updates.slice(-3).map(evidenceOf),
      resolved: resolvedAfter(userEvents, last),
    })
  }
}

function serverErrors(userEvents: ProvisioningEvent[], findings: Finding[]): void {
  const failures = userEvents.filter((e) => e.status >= 500)
  if (failures.length === 0) return
  const last = failures[failures.length - 1]!
  findings.push({
    cause: 'server_error',
    title: `The server failed (${last.status}) while handling requests for this user.`,
    explanation: `${plural(failures.length, 'request')} ended in a server error: "${last.error?.detail ?? 'no detail'}". The IdP retries later (Entra with decreasing frequency, Okta as a failed task).`,
    fix: 'Look at the backend log around the time of the evidence, fix the cause, then retry the task in the IdP.',
    evidence: failures.slice(-3).map(evidenceOf),
    resolved: resolvedAfter(userEvents, last),
  })
}

// ---- the user's lifecycle ----

function lifecycle(story: UserStory, userEvents: ProvisioningEvent[], findings: Finding[]): void {
  const lifecycleEvents = userEvents.filter(
    (e) =>
      e.status < 300 && ['created', 'deactivated', 'reactivated', 'deleted'].includes(e.outcome),
  )
  const last = lifecycleEvents[lifecycleEvents.length - 1]
  const current = story.current
  if (last?.outcome === 'deleted' && current.kind !== 'found') {
    findings.push({
      cause: 'deleted',
      title: 'The user was deleted from the tenant.',
      explanation: `A DELETE removed the user (seq ${last.seq}). Okta never deletes users (it deactivates); Entra deletes when the user is hard-deleted or when the app does not support soft delete. A reassignment creates a new user with a new id.`,
      fix: "Assign the user to the app again in the IdP so it is created anew; if deletions are unexpected, check the IdP's deprovisioning settings (Entra: soft delete support).",
      evidence: [evidenceOf(last)],
      resolved: false,
    })
    return
  }
  const inactiveNow = current.kind === 'found' && !current.user.active
  if (inactiveNow || (last?.outcome === 'deactivated' && current.kind !== 'found')) {
    const evidence = last?.outcome === 'deactivated' ? [evidenceOf(last)] : []
    findings.push({
      cause: 'deactivated',
      title: 'The user exists but is deactivated (active: false).',
      explanation: `${evidence.length > 0 ? `The IdP deactivated the user (seq ${last!.seq}). ` : ''}Unassigning a user in Okta, or taking it out of scope in Entra, sends active:false (a soft delete): the user is kept but cannot sign in or be counted as present. Okta does not reactivate on its own and does not re-import inactive users.`,
      fix: 'Assign the user to the app again in the IdP (Okta then sends PATCH active:true with the same id); check why they were unassigned (a group removal, a scoping rule).',
      evidence,
      resolved: false,
    })
  }
}
