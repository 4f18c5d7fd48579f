import type { Finding } from '../../../src-shared/provisioning-diagnosis.ts'
import type { ProvisioningEvent } from '../../../src-shared/provisioning-event.ts'
import type { UserStory } from '../user-story.ts'
import { filterOfPath, filterTerms } from '../user-keys.ts'
import { evidenceOf, resolvedAfter } from './evidence.ts'

/**
 * A create that got 409, told from the lookup that preceded THAT create (the last filtered GET
 * after the user's previous create): a lookup that found nothing means the IdP cannot see the
 * user it collides with (which mismatch decides the wording); a lookup that found the user means
 * the IdP created anyway. An older lookup, made before an earlier create, explains nothing.
 */

function isLookup(e: ProvisioningEvent): boolean {
  return e.method === 'GET' && filterOfPath(e.path) !== undefined
}

/** The lookup made for this create: after the previous create of the user, before this one. */
export function lookupBefore(
  userEvents: ProvisioningEvent[],
  create: ProvisioningEvent,
): ProvisioningEvent | undefined {
  const previousCreate = [...userEvents]
    .reverse()
    .find((e) => e.seq < create.seq && e.method === 'POST')
  return [...userEvents]
    .reverse()
    .find(
      (e) =>
        e.seq < create.seq &&
        (previousCreate === undefined || e.seq > previousCreate.seq) &&
        isLookup(e),
    )
}

export function conflicts(
  story: UserStory,
  userEvents: ProvisioningEvent[],
  findings: Finding[],
): void {
  const conflictsSeen = userEvents.filter((e) => e.method === 'POST' && e.status === 409)
  if (conflictsSeen.length === 0) return
  const last = conflictsSeen[conflictsSeen.length - 1]!
  const lookup = lookupBefore(userEvents, last)
  const evidence = [...(lookup ? [lookup] : []), ...conflictsSeen.slice(-3)].map(evidenceOf)
  const sent = (last.requestBody as { userName?: unknown } | null)?.userName
  const sentName = typeof sent === 'string' ? sent : (last.userName ?? story.query)
  const existing = story.current.kind === 'found' ? story.current.user : undefined
  let title: string
  let explanation: string
  let fix: string
  const term = lookup ? filterTerms(filterOfPath(lookup.path) ?? '')[0] : undefined
  const foundFirst =
    lookup !== undefined && lookup.status === 200 && lookup.outcome !== 'lookup_empty'
  if (lookup && foundFirst) {
    title = `The IdP created "${sentName}" although its lookup just found the user (409).`
    explanation = `The lookup ${lookup.method} ${lookup.path} answered 200 with the user${existing ? ` (id ${existing.id}, userName "${existing.userName}")` : ''}, and the IdP then sent POST /Users anyway; the server rightly refused a duplicate. The server did not hide anything: either the IdP client ignored its own lookup (a client bug), or a second app instance (another SCIM app or tenant using the same token) provisions the same user without knowing the first one created it.`
    fix = `Check whether two apps in the IdP provision this user (Okta: two SCIM apps assigned the same person; Entra: two enterprise apps or a re-created app) and keep one; if only one app is involved, report it to the IdP's support with these two requests.`
  } else if (!lookup) {
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
