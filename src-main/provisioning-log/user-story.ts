import type { AdminClient } from '../backend/admin-client.ts'
import {
  idpTrafficSources,
  type EventFilter,
  type ProvisioningEvent,
} from '../../src-shared/provisioning-event.ts'
import type { EventIndex } from './event-index.ts'
import { userKeysOf, type UserKeys } from './user-keys.ts'

/**
 * One user's story: every event that touched the user (lookups that found nothing and requests
 * rejected for authentication included), the user's current state in the tenant, and the
 * tenant-wide facts the diagnosis needs to explain silence (did anything arrive at all?).
 */

export interface TenantUserView {
  id: string
  userName: string
  active: boolean
  externalId: string | null
  displayName: string | null
  groups: string[]
}

export type CurrentUserState =
  | { kind: 'found'; user: TenantUserView; matchedBy: 'userName' | 'externalId' | 'id' }
  | { kind: 'not_found' }
  | { kind: 'unknown'; reason: string }

/**
 * The tenant-wide facts count the IdP's traffic only (`isIdpTraffic`): the harness's expected
 * 400/404/409s, a replay and a curl must not make the IdP look connected, nor its users look seen.
 */
export interface TenantContext {
  /** The IdP's events in the index for the whole tenant. */
  totalEvents: number
  /** Events in the index that are not the IdP's (test runs, replays, other clients): not counted. */
  otherSourceEvents: number
  firstEventTime: string | null
  lastEventTime: string | null
  /** Tenant-wide 401s (also those that name no user), newest last, at most 20. */
  authFailures: ProvisioningEvent[]
  /** Successful requests after the newest 401. */
  successesAfterLastAuthFailure: number
  /** Distinct users other than this one that requests named. */
  otherUsersSeen: number
  /** Group pushes (membership changes and group creates), newest last, at most 20. */
  groupPushes: ProvisioningEvent[]
  /** Tenant-wide 429s, newest last, at most 20. */
  rateLimited: ProvisioningEvent[]
}

export interface ElsewhereHit {
  tenantId: string
  tenantName: string | null
  events: number
  lastSeq: number
}

export interface UserStory {
  query: string
  identity: UserKeys
  /** Ascending by seq. */
  events: ProvisioningEvent[]
  current: CurrentUserState
  tenant: TenantContext
  /** Other tenants of the same backend where requests named this user (token of another tenant). */
  elsewhere: ElsewhereHit[]
}

export interface UserStoryOptions {
  index: EventIndex
  query: string
  tenantId: string
  /** For the current state and the other-tenant check; without it both are "unknown". */
  client?: AdminClient
  /** Look for the user in the other tenants' logs too (default true when a client is given). */
  searchOtherTenants?: boolean
}

function emptyKeys(): UserKeys {
  return { userNames: [], emails: [], externalIds: [], ids: [] }
}

function addAll(target: UserKeys, more: UserKeys): boolean {
  let grew = false
  for (const k of ['userNames', 'emails', 'externalIds', 'ids'] as const) {
    for (const v of more[k]) {
      if (!target[k].includes(v)) {
        target[k].push(v)
        grew = true
      }
    }
  }
  return grew
}

function allKeys(keys: UserKeys): string[] {
  return [...keys.userNames, ...keys.emails, ...keys.externalIds, ...keys.ids]
}

/** Whether an event is about the user as a resource (not a group change naming them). */
function isUserEvent(e: ProvisioningEvent): boolean {
  return e.resourceType === 'User' || e.resourceType === 'Unknown'
}

/**
 * The user's identity grows from what the events say: a search by email finds the create, whose
 * answer gives the SCIM id, which finds the later PATCHes by id and the group changes.
 */
export function collectUserEvents(
  index: EventIndex,
  query: string,
  seed: UserKeys = emptyKeys(),
): { identity: UserKeys; events: ProvisioningEvent[] } {
  const q = query.trim().toLowerCase()
  const identity = emptyKeys()
  addAll(identity, seed)
  const known = new Set([q, ...allKeys(identity)])
  let events: ProvisioningEvent[] = []
  for (let round = 0; round < 4; round++) {
    events = index.eventsForUserKeys(known)
    let grew = false
    for (const e of events) {
      if (!isUserEvent(e)) continue
      const k = userKeysOf(e)
      // A 409 answer or a failed create names the colliding user, not necessarily this one; only
      // successful writes and single reads bind new identifiers to the person.
      if (e.status >= 300) {
        grew =
          addAll(identity, {
            ...emptyKeys(),
            userNames: k.userNames.filter((u) => known.has(u)),
          }) || grew
        continue
      }
      grew = addAll(identity, k) || grew
    }
    for (const key of allKeys(identity)) {
      if (!known.has(key)) {
        known.add(key)
        grew = true
      }
    }
    if (!grew) break
  }
  if (allKeys(identity).length === 0) identity.userNames.push(q)
  const have = new Set(events.map((e) => e.seq))
  const extra: ProvisioningEvent[] = []
  for (const e of events) {
    if (!isUserEvent(e)) continue
    // A failed create names the attribute the IdP matched on (Entra: externalId); the lookup by
    // that value belongs to the same attempt even though it never names the userName.
    if (e.method === 'POST' && e.status >= 400) {
      const k = userKeysOf(e)
      for (const l of index.eventsForUserKeys([...k.externalIds, ...k.emails])) {
        if (
          l.seq < e.seq &&
          l.method === 'GET' &&
          l.outcome === 'lookup_empty' &&
          !have.has(l.seq)
        ) {
          have.add(l.seq)
          extra.push(l)
        }
      }
    }
    // A create refused before its body was read (429, 401) names nobody; Okta sends it right
    // after its lookup, so the unattributed POST /Users that follows the lookup is this user's.
    if (e.method === 'GET' && e.outcome === 'lookup_empty') {
      const t = Date.parse(e.time)
      for (const next of index.eventsAfter(e.seq, 5)) {
        if (Date.parse(next.time) - t > 10_000) break
        if (
          next.method === 'POST' &&
          /^\/Users\/?$/i.test(next.path) &&
          next.userName === null &&
          next.requestBody === null
        ) {
          if (!have.has(next.seq)) {
            have.add(next.seq)
            extra.push(next)
          }
          break
        }
        if (next.method === 'POST' && /^\/Users\/?$/i.test(next.path)) break
      }
    }
  }
  if (extra.length > 0) events = [...events, ...extra].sort((a, b) => a.seq - b.seq)
  // Group changes that name the user beyond the few keys the index chains per event.
  const ids = new Set(identity.ids)
  if (ids.size > 0) {
    for (const e of index.overflowEvents()) {
      if (have.has(e.seq)) continue
      const names = [...(e.membersAdded ?? []), ...(e.membersRemoved ?? [])]
      if (names.some((m) => ids.has(m.toLowerCase()))) {
        have.add(e.seq)
        events.push(e)
      }
    }
  }
  events.sort((a, b) => a.seq - b.seq)
  return { identity, events }
}

export function tenantContext(index: EventIndex, identity: UserKeys): TenantContext {
  const idp = (filter: EventFilter = {}): EventFilter => ({
    ...filter,
    source: [...idpTrafficSources],
  })
  const oldest = index.query({ filter: idp(), order: 'asc', limit: 1 })
  const newest = index.query({ filter: idp(), order: 'desc', limit: 1 })
  const authFailures = index
    .query({ filter: idp({ status: [401] }), order: 'desc', limit: 20 })
    .events.reverse()
  const newestAuth = authFailures[authFailures.length - 1]
  const successesAfter = newestAuth
    ? index.countAfter(idp({ statusClass: ['2xx'] }), newestAuth.seq)
    : 0
  const groupPushes = index
    .query({
      filter: idp({ resourceType: ['Group'], outcome: ['membership_changed', 'created'] }),
      order: 'desc',
      limit: 20,
    })
    .events.reverse()
  const rateLimited = index
    .query({ filter: idp({ status: [429] }), order: 'desc', limit: 20 })
    .events.reverse()
  return {
    totalEvents: oldest.total,
    otherSourceEvents: index.size - oldest.total,
    firstEventTime: oldest.events[0]?.time ?? null,
    lastEventTime: newest.events[0]?.time ?? null,
    authFailures,
    successesAfterLastAuthFailure: successesAfter,
    otherUsersSeen: index.distinctUserNames(identity.userNames, { idpOnly: true }),
    groupPushes,
    rateLimited,
  }
}

/** The user as the tenant has it now, from the admin API's users view. */
export async function currentUserState(
  client: AdminClient,
  tenantId: string,
  identity: UserKeys,
  query: string,
): Promise<CurrentUserState> {
  const probes = [...new Set([query.trim(), ...identity.userNames, ...identity.externalIds])]
    .filter((p) => p.length > 0)
    .slice(0, 6)
  const ids = new Set(identity.ids)
  const names = new Set(identity.userNames)
  const externalIds = new Set(identity.externalIds)
  try {
    for (const probe of probes) {
      const page = await client.listUsers(tenantId, { q: probe, limit: 100 })
      for (const u of page.items) {
        const view: TenantUserView = {
          id: u.id,
          userName: u.userName,
          active: u.active,
          externalId: u.externalId ?? null,
          displayName: u.displayName ?? null,
          groups: u.groups,
        }
        // Case-insensitive on purpose: the IdP's matching is, and the diagnosis compares cases.
        if (ids.has(u.id.toLowerCase())) return { kind: 'found', user: view, matchedBy: 'id' }
        if (names.has(u.userName.toLowerCase()))
          return { kind: 'found', user: view, matchedBy: 'userName' }
        if (u.externalId && externalIds.has(u.externalId.toLowerCase()))
          return { kind: 'found', user: view, matchedBy: 'externalId' }
      }
    }
    return { kind: 'not_found' }
  } catch (err) {
    return { kind: 'unknown', reason: (err as Error).message }
  }
}

async function findElsewhere(
  client: AdminClient,
  tenantId: string,
  identity: UserKeys,
  query: string,
): Promise<ElsewhereHit[]> {
  const hits: ElsewhereHit[] = []
  let tenants: Array<{ id: string; name?: string }>
  try {
    tenants = (await client.listTenants()) as Array<{ id: string; name?: string }>
  } catch {
    return hits
  }
  const probes = [...new Set([query.trim().toLowerCase(), ...identity.userNames])].slice(0, 3)
  for (const t of tenants.slice(0, 50)) {
    if (t.id === tenantId) continue
    const seqs = new Set<number>()
    for (const user of probes) {
      try {
        const page = await client.listEvents(t.id, { user, limit: 100 })
        for (const e of page.items) seqs.add(e.seq)
      } catch {
        // One unreadable tenant must not hide the others.
      }
    }
    if (seqs.size > 0)
      hits.push({
        tenantId: t.id,
        tenantName: t.name ?? null,
        events: seqs.size,
        lastSeq: Math.max(...seqs),
      })
  }
  return hits
}

export async function buildUserStory(opts: UserStoryOptions): Promise<UserStory> {
  const query = opts.query.trim()
  let { identity, events } = collectUserEvents(opts.index, query)
  let current: CurrentUserState = { kind: 'unknown', reason: 'no backend connection was given' }
  if (opts.client) {
    current = await currentUserState(opts.client, opts.tenantId, identity, query)
    if (current.kind === 'found') {
      // The tenant's record may know identifiers no event in the index carried (older events).
      const seed: UserKeys = {
        userNames: [current.user.userName.toLowerCase()],
        emails: [],
        externalIds: current.user.externalId ? [current.user.externalId.toLowerCase()] : [],
        ids: [current.user.id.toLowerCase()],
      }
      ;({ identity, events } = collectUserEvents(opts.index, query, {
        ...seed,
        userNames: [...new Set([...identity.userNames, ...seed.userNames])],
      }))
    }
  }
  const elsewhere =
    opts.client && (opts.searchOtherTenants ?? true) && events.length === 0
      ? await findElsewhere(opts.client, opts.tenantId, identity, query)
      : []
  return {
    query,
    identity,
    events,
    current,
    tenant: tenantContext(opts.index, identity),
    elsewhere,
  }
}
