import { redact, redactsToItself } from '../../src-shared/redact.ts'
import { cappedJson, cappedText, LIST_BODY_CAP_BYTES } from './event-rows.ts'

/**
 * The response body an event stores: redacted, then capped at BODY_CAP_BYTES, a list response
 * at LIST_BODY_CAP_BYTES. For a list only the first resources can reach the stored prefix, so
 * only as many are redacted as it takes to pass the cap; the rest of a page of 100 would be
 * redacted to be thrown away (it was half the server's CPU per list request). The result is the
 * text `cappedJson(redact(body), LIST_BODY_CAP_BYTES)` gives: `redact` treats array items alone
 * (no key, no siblings), and the resources kept are serialised with everything before them
 * unchanged, past the cap.
 */
export function eventResponseBody(body: unknown): { body: unknown; json: string | null } {
  if (body === undefined || body === null) return cappedJson(null)
  const resources = listResources(body)
  if (resources === undefined) return cappedJson(redact(body))
  return cappedList(body as Record<string, unknown>, resources.length, (i) => resources[i])
}

/**
 * The same for a list page its route serialised itself (`head` without `Resources`, and each
 * resource as JSON text): only the resources that reach the stored prefix are parsed.
 */
export function eventListBody(
  head: Record<string, unknown>,
  resources: readonly string[],
): { body: unknown; json: string | null } {
  // Resources that redact to themselves are kept as they are, without being parsed, redacted
  // and serialised again; one that may hold a credential sends the page the structural way.
  let size = 0
  let kept = 0
  while (kept < resources.length && size <= LIST_BODY_CAP_BYTES) {
    const text = resources[kept]!
    if (!redactsToItself(text)) {
      return cappedList(head, resources.length, (i) => JSON.parse(resources[i]!) as unknown)
    }
    size += text.length + 1
    kept++
  }
  const empty = JSON.stringify(redact({ ...head, Resources: [] }))
  const text = `${empty.slice(0, -2)}${resources.slice(0, kept).join(',')}]}`
  return cappedText(text, () => JSON.parse(text) as unknown, LIST_BODY_CAP_BYTES)
}

function cappedList(
  body: Record<string, unknown>,
  count: number,
  resource: (i: number) => unknown,
): { body: unknown; json: string | null } {
  const kept: unknown[] = []
  let size = 0
  for (let i = 0; i < count && size <= LIST_BODY_CAP_BYTES; i++) {
    const clean = redact(resource(i))
    kept.push(clean)
    size += JSON.stringify(clean).length + 1
  }
  const head = redact({ ...body, Resources: [] })
  return cappedJson({ ...head, Resources: kept }, LIST_BODY_CAP_BYTES)
}

function listResources(body: unknown): unknown[] | undefined {
  if (typeof body !== 'object' || Array.isArray(body)) return undefined
  const resources = (body as { Resources?: unknown }).Resources
  return Array.isArray(resources) ? resources : undefined
}
