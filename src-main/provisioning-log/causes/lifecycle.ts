import type { Finding } from '../../../src-shared/provisioning-diagnosis.ts'
import type { EventOutcome, ProvisioningEvent } from '../../../src-shared/provisioning-event.ts'
import type { UserStory } from '../user-story.ts'
import { evidenceOf } from './evidence.ts'

/** The user's lifecycle: deleted, or present but deactivated. */

const LIFECYCLE_OUTCOMES: readonly EventOutcome[] = [
  'created',
  'deactivated',
  'reactivated',
  'deleted',
]

export function lifecycle(
  story: UserStory,
  userEvents: ProvisioningEvent[],
  findings: Finding[],
): void {
  const lifecycleEvents = userEvents.filter(
    (e) => e.status < 300 && LIFECYCLE_OUTCOMES.includes(e.outcome),
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
