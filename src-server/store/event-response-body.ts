import { redact } from '../../src-shared/redact.ts'
import { BODY_CAP_BYTES, cappedJson } from './event-rows.ts'

/**
 * The response body an event stores: redacted, then capped at BODY_CAP_BYTES. For a list
 * response only the first resources can reach the stored prefix, so only as many are redacted
 * as it takes to pass the cap; the rest of a page of 100 would be redacted to be thrown away
 * (it was half the server's CPU per list request). The result is the same text
 * `cappedJson(redact(body))` gives: `redact` treats array items alone (no key, no siblings), and
 * the resources kept are serialised with everything before them unchanged, past the cap.
 */
export function eventResponseBody(body: unknown): { body: unknown; json: string | null } {
  if (body === undefined || body === null) return cappedJson(null)
  const resources = listResources(body)
  if (resources === undefined) return cappedJson(redact(body))
  const kept: unknown[] = []
  let size = 0
  for (const resource of resources) {
    const clean = redact(resource)
    kept.push(clean)
    size += JSON.stringify(clean).length + 1
    if (size > BODY_CAP_BYTES) break
  }
  if (kept.length === resources.length) return cappedJson(redact(body))
  const head = redact({ ...(body as Record<string, unknown>), Resources: [] })
  return cappedJson({ ...head, Resources: kept })
}

function listResources(body: unknown): unknown[] | undefined {
  if (typeof body !== 'object' || Array.isArray(body)) return undefined
  const resources = (body as { Resources?: unknown }).Resources
  return Array.isArray(resources) ? resources : undefined
}
