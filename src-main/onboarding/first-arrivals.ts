import type { ProvisioningEvent } from '../backend/admin-client.ts'
import { isIdpTraffic, sourceOf } from '../../src-shared/provisioning-event.ts'

/** Every resource the harness creates is named with this prefix plus its run id. */
export const HARNESS_PREFIX = 'scimc-'

export interface Arrival {
  seq: number
  time: string
  method: string
  path: string
  status: number
  outcome: string
  userName: string | null
  meaning: string
}

function decoded(path: string): string {
  try {
    return decodeURIComponent(path.replace(/\+/g, ' '))
  } catch {
    return path
  }
}

/**
 * A request the harness made: the backend says so (`source`), or, from a backend that records no
 * source, its users, groups and filters carry the run prefix.
 */
export function isHarnessEvent(
  e: Pick<ProvisioningEvent, 'userName' | 'path' | 'source'>,
): boolean {
  if (sourceOf(e) !== 'unknown') return sourceOf(e) === 'harness'
  return (
    (e.userName?.toLowerCase().startsWith(HARNESS_PREFIX) ?? false) ||
    decoded(e.path).toLowerCase().includes(HARNESS_PREFIX)
  )
}

/** The IdP's own request: not the harness, not the console's replay, not curl or a script. */
export function isIdpArrival(e: ProvisioningEvent): boolean {
  return isIdpTraffic(e) && !isHarnessEvent(e)
}

/** What Okta was doing, in the words of its admin console and protocol reference. */
export function describeRequest(e: ProvisioningEvent): string {
  const path = decoded(e.path)
  const who = e.userName ?? 'a user'
  const ok = e.status >= 200 && e.status < 300
  const users = /\/Users(\/|\?|$)/.test(path)
  const groups = /\/Groups(\/|\?|$)/.test(path)
  if (!ok) return `Okta’s request was refused (${e.status}): check the log for this event`
  if (e.method === 'GET' && users && /filter=/i.test(path)) {
    const m = /userName eq "([^"]*)"/i.exec(path)
    return `Okta looked for ${m?.[1] ?? who} before creating it (the match step)`
  }
  if (e.method === 'GET' && users)
    return 'Okta read the user list: “Test API Credentials” or an import'
  if (e.method === 'GET' && groups) return 'Okta read the group list'
  if (e.method === 'POST' && users) return `Okta created ${who}`
  if ((e.method === 'PUT' || e.method === 'PATCH') && users) {
    return e.outcome === 'deactivated' ? `Okta deactivated ${who}` : `Okta updated ${who}`
  }
  if (groups && e.method !== 'GET') return 'Okta pushed a group'
  return `${e.method} ${path}`
}

/**
 * The IdP's requests among the tenant's events (oldest first), without the pre-go-live test's
 * own traffic, a replay or another client's, and the first user it created: the go-live
 * confirmation. Harness traffic never counts, whatever users it creates.
 */
export function firstArrivals(events: ProvisioningEvent[]): {
  arrivals: Arrival[]
  firstUser: { userName: string; time: string; seq: number } | null
} {
  const real = events.filter(isIdpArrival).sort((a, b) => a.seq - b.seq)
  const created = real.find(
    (e) =>
      e.method === 'POST' &&
      e.resourceType === 'User' &&
      e.status >= 200 &&
      e.status < 300 &&
      e.userName !== null,
  )
  return {
    arrivals: real.map((e) => ({
      seq: e.seq,
      time: e.time,
      method: e.method,
      path: e.path,
      status: e.status,
      outcome: e.outcome,
      userName: e.userName,
      meaning: describeRequest(e),
    })),
    firstUser: created
      ? { userName: created.userName!, time: created.time, seq: created.seq }
      : null,
  }
}
