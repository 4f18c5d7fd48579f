import type { ProvisioningEvent } from '../../src-shared/provisioning-event.ts'

/**
 * The identifiers through which an event touches a user: userName, email, externalId and SCIM id,
 * lower-cased (IdPs match userName case-insensitively, and so does the person searching).
 *
 * The backend fills `userName` and `resourceId` where it could; we also read the filter of a
 * lookup (`userName eq "…"`, Entra's unquoted `externalId eq jyoung`, `emails[type eq "work"]
 * .value eq "…"`) and the bodies, because a lookup that found nothing or a request rejected for
 * authentication may carry the user only there.
 */

export interface UserKeys {
  userNames: string[]
  emails: string[]
  externalIds: string[]
  ids: string[]
}

const FILTER_TERM = /(?<![\w.:])([a-z][\w.:]*)\s+eq\s+(?:"((?:[^"\\]|\\.)*)"|([^\s)]+))/gi

/** Values compared with `eq` in a SCIM filter, by the attribute they were compared to. */
export function filterTerms(filter: string): Array<{ attribute: string; value: string }> {
  // A value filter (`emails[type eq "work"].value`) selects which email; its own term is not a user.
  const flat = filter.replace(/\[[^[\]]*\]/g, '')
  const out: Array<{ attribute: string; value: string }> = []
  for (const m of flat.matchAll(FILTER_TERM)) {
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!
    out.push({ attribute: m[1]!, value })
  }
  return out
}

/** The `filter` query parameter of an event's path, decoded; undefined when there is none. */
export function filterOfPath(path: string): string | undefined {
  const q = path.indexOf('?')
  if (q === -1) return undefined
  // Hand-rolled rather than URLSearchParams: this runs for every event the index ingests.
  let at = path.indexOf('filter=', q)
  while (at !== -1 && path[at - 1] !== '?' && path[at - 1] !== '&')
    at = path.indexOf('filter=', at + 1)
  if (at === -1) return undefined
  const end = path.indexOf('&', at)
  const raw = path.slice(at + 7, end === -1 ? undefined : end).replace(/\+/g, ' ')
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

function attributeKind(attribute: string): keyof UserKeys | undefined {
  const a = attribute.toLowerCase().replace(/\s+/g, '')
  if (a === 'username' || a.endsWith(':username')) return 'userNames'
  if (a === 'externalid') return 'externalIds'
  if (a === 'id') return 'ids'
  if (a.startsWith('emails')) return 'emails'
  return undefined
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined
}

function addUserResource(keys: UserKeys, body: unknown, withId: boolean): void {
  const o = asObject(body)
  if (!o) return
  if (typeof o.userName === 'string') keys.userNames.push(o.userName)
  if (typeof o.externalId === 'string') keys.externalIds.push(o.externalId)
  if (withId && typeof o.id === 'string') keys.ids.push(o.id)
  if (Array.isArray(o.emails)) {
    for (const e of o.emails) {
      const v = asObject(e)?.value
      if (typeof v === 'string') keys.emails.push(v)
    }
  }
}

function dedupe(values: string[]): string[] {
  const out: string[] = []
  for (const v of values) {
    const k = v.trim().toLowerCase()
    if (k.length > 0 && !out.includes(k)) out.push(k)
  }
  return out
}

const USERS_PATH = /^\/?(?:scim\/v2\/)?Users\b/i

export function userKeysOf(event: ProvisioningEvent): UserKeys {
  const keys: UserKeys = { userNames: [], emails: [], externalIds: [], ids: [] }
  if (event.resourceType === 'User' || event.resourceType === 'Unknown') {
    if (event.userName) keys.userNames.push(event.userName)
    if (event.resourceId && event.resourceType === 'User') keys.ids.push(event.resourceId)
    const filter = filterOfPath(event.path)
    if (filter && USERS_PATH.test(event.path)) {
      for (const t of filterTerms(filter)) {
        const kind = attributeKind(t.attribute)
        if (kind) keys[kind].push(t.value)
      }
    }
    addUserResource(keys, event.requestBody, true)
    // A list answer names many users; only a single resource's answer is about this one.
    const res = asObject(event.responseBody)
    if (res && !Array.isArray(res.Resources)) addUserResource(keys, res, true)
  }
  if (event.resourceType === 'Group') {
    for (const id of event.membersAdded ?? []) keys.ids.push(id)
    for (const id of event.membersRemoved ?? []) keys.ids.push(id)
  }
  return {
    userNames: dedupe(keys.userNames),
    emails: dedupe(keys.emails),
    externalIds: dedupe(keys.externalIds),
    ids: dedupe(keys.ids),
  }
}

/** All keys of an event in the order the index keeps them when it can keep only a few. */
export function flatUserKeys(event: ProvisioningEvent): string[] {
  const k = userKeysOf(event)
  const out = k.ids
  for (const list of [k.userNames, k.emails, k.externalIds])
    for (const v of list) if (!out.includes(v)) out.push(v)
  return out
}
