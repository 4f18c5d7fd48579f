import type { Finding } from '../../../src-shared/provisioning-diagnosis.ts'
import type { ProvisioningEvent } from '../../../src-shared/provisioning-event.ts'
import {
  attributeNamed,
  evidenceOf,
  plural,
  resolvedAfter,
  SLOW_MS,
  TIMEOUT_MS,
} from './evidence.ts'

/** Refused or slow requests for the user: rate limits, timeouts, rejected writes, server errors. */

export function rateLimits(userEvents: ProvisioningEvent[], findings: Finding[]): void {
  const limited = userEvents.filter((e) => e.status === 429)
  if (limited.length === 0) return
  const last = limited[limited.length - 1]!
  // Only words the finding (the seconds are not stored apart); the finding itself is the status.
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

export function slowResponses(
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

export function rejectedWrites(userEvents: ProvisioningEvent[], findings: Finding[]): void {
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

export function serverErrors(userEvents: ProvisioningEvent[], findings: Finding[]): void {
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
