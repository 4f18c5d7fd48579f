import type { Diagnosis, Finding } from '../../src-shared/provisioning-diagnosis.ts'
import { isIdpTraffic } from '../../src-shared/provisioning-event.ts'
import { authFailures } from './causes/auth.ts'
import { isUserResource, plural } from './causes/evidence.ts'
import { lifecycle } from './causes/lifecycle.ts'
import { conflicts } from './causes/lookup-conflicts.ts'
import {
  rateLimits,
  rejectedWrites,
  serverErrors,
  slowResponses,
} from './causes/request-failures.ts'
import { silence } from './causes/silence.ts'
import type { UserStory } from './user-story.ts'

/**
 * Explains from the evidence why a user is (not) in the tenant: SCIM-REFERENCE.md §5, the causes
 * that show on the wire. Each finding names the events that prove it and the fix (one rule module
 * per cause in ./causes/). A failure followed by a success for the same user is kept but marked
 * resolved, so an old 401 does not hide the real reason and a healthy user gets no problem.
 */

export { evidenceOf, SLOW_MS, TIMEOUT_MS } from './causes/evidence.ts'

export function diagnose(whole: UserStory): Diagnosis {
  // The IdP's traffic only: the harness's expected refusals, a replay's writes and a curl are the
  // console's or someone's tests, not what the IdP did (the timeline still shows them, badged).
  const story: UserStory = { ...whole, events: whole.events.filter(isIdpTraffic) }
  const notIdp = whole.events.filter((e) => !isIdpTraffic(e))
  const who = story.query
  const events = story.events
  const userEvents = events.filter(isUserResource)
  const findings: Finding[] = []
  const nextChecks: string[] = []
  const current = story.current

  if (userEvents.length === 0) {
    silence(story, findings, nextChecks, notIdp)
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
    // The count only: each finding's title follows the verdict, and repeating it here printed
    // every "Problem found" text twice (banner and card, CLI header and finding).
    const summary =
      open.length === 1
        ? `One open problem for ${who}, explained below.`
        : `${open.length} open problems for ${who}, explained below.`
    return { query: who, verdict: 'problem', summary, findings, nextChecks }
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
