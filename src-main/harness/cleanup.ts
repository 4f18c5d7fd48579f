import type { HarnessReport, ResourceRef } from '../../src-shared/harness.ts'
import { get, resourcesOf } from './check.ts'
import type { HttpCapture } from './http-capture.ts'
import type { LedgerEntry } from './ledger.ts'
import type { Profile } from './profiles.ts'

type Cleanup = HarnessReport['cleanup']

/**
 * DELETEs answered 2xx that are read back with GET. A server that acknowledges DELETE without
 * deleting does so for every resource, so a few read-backs per type find it; after one such
 * miss every remaining resource is read back.
 */
const VERIFY_SAMPLE = 3

const nameAttr = (type: ResourceRef['type']): string =>
  type === 'Users' ? 'userName' : 'displayName'

/** Does this resource, as the server shows it, carry the run prefix? */
function carriesPrefix(resource: unknown, type: ResourceRef['type'], prefix: string): boolean {
  const p = prefix.toLowerCase()
  return [get(resource, nameAttr(type)), get(resource, 'externalId'), get(resource, 'displayName')]
    .filter((v): v is string => typeof v === 'string')
    .some((v) => v.toLowerCase().includes(p))
}

/**
 * Removes what the run created: groups first (deleting users first would leave dangling
 * members), only resources that carry the run prefix, every id encoded into the path.
 * Runs detached from the run's signal, so it also runs after cancellation.
 */
/** 429 retries per cleanup request (each waits the server's Retry-After, capped). */
export const CLEANUP_MAX_RETRIES = 10

export async function cleanUp(
  entries: LedgerEntry[],
  http: HttpCapture,
  profile: Profile,
  runPrefix: string,
): Promise<Cleanup> {
  const removed: ResourceRef[] = []
  const leftovers: Cleanup['leftovers'] = []
  const verified: Record<ResourceRef['type'], number> = { Users: 0, Groups: 0 }
  const distrust: Record<ResourceRef['type'], boolean> = { Users: false, Groups: false }
  // Cleanup must get through a rate limit that the run's burst of deletes trips: it honours
  // Retry-After for longer than a check would before giving up on a resource.
  const send = (req: Parameters<HttpCapture['request']>[0]) =>
    http.request({
      ...req,
      checkId: 'cleanup',
      detached: true,
      bulk: true,
      maxRetries: CLEANUP_MAX_RETRIES,
    })
  const refOf = (e: LedgerEntry): ResourceRef => ({
    type: e.type,
    name: e.name,
    ...(e.id !== undefined ? { id: e.id } : {}),
  })

  const removeOne = async (entry: LedgerEntry): Promise<void> => {
    const ref = refOf(entry)
    let id = entry.id
    if (id === undefined) {
      // The POST got no usable answer (timeout, cancel): the resource may exist anyway.
      const query =
        ref.type === 'Users' ? profile.userLookup(ref.name) : profile.groupLookup(ref.name)
      const found = await send({ method: 'GET', path: `/${ref.type}`, query })
      const hit = resourcesOf(found.json).find((r) => r[nameAttr(ref.type)] === ref.name)
      if (found.status === 200 && !hit) return // never created
      if (!hit || typeof hit.id !== 'string') {
        leftovers.push({
          ...ref,
          reason: `Could not tell whether it was created (lookup answered ${found.status || found.error?.code}).`,
        })
        return
      }
      id = hit.id
    }
    const path = `/${ref.type}/${encodeURIComponent(id)}`
    // Never delete what the run cannot show is its own: confirm the prefix on the server's copy.
    const known = entry.serverName ?? (entry.id === undefined ? ref.name : undefined)
    if (!(known && known.toLowerCase().startsWith(runPrefix.toLowerCase()))) {
      const current = await send({ method: 'GET', path })
      if (current.status === 404) {
        removed.push({ ...ref, id })
        return
      }
      if (current.status !== 200 || !carriesPrefix(current.json, ref.type, runPrefix)) {
        leftovers.push({
          ...ref,
          id,
          reason: `Not deleted: GET answered ${current.status || current.error?.code} and the resource does not show the run prefix ${runPrefix}.`,
        })
        return
      }
    }
    const res = await send({ method: 'DELETE', path })
    if (res.status === 404) {
      removed.push({ ...ref, id })
      return
    }
    if (res.status === 204 || res.status === 200) {
      if (!distrust[ref.type] && verified[ref.type] >= VERIFY_SAMPLE) {
        removed.push({ ...ref, id })
        return
      }
      verified[ref.type]++
      const after = await send({ method: 'GET', path })
      if (after.status === 404) removed.push({ ...ref, id })
      else {
        distrust[ref.type] = true
        leftovers.push({
          ...ref,
          id,
          reason: `DELETE answered ${res.status} but GET still answers ${after.status || after.error?.code}.`,
        })
      }
      return
    }
    let reason = `DELETE answered ${res.status || res.error?.code}.`
    if (ref.type === 'Users' && !res.error) {
      // Many apps never delete users (Okta never asks them to): at least deactivate it.
      const off = await send({ method: 'PATCH', path, body: profile.setActive(false) })
      if (off.status === 200 || off.status === 204)
        reason += ' Deactivated it instead (active=false).'
    }
    leftovers.push({ ...ref, id, reason })
  }

  const groups = entries.filter((r) => r.type === 'Groups')
  const users = entries.filter((r) => r.type === 'Users')
  // The sampled read-backs go first, so a distrusted server is known before the bulk.
  for (const batch of [groups, users]) {
    await Promise.all(batch.slice(0, VERIFY_SAMPLE).map(removeOne))
    await Promise.all(batch.slice(VERIFY_SAMPLE).map(removeOne))
  }
  return { removed, leftovers }
}
