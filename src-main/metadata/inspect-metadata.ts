/**
 * The one entry point for importing IdP metadata from a file, pasted text or a URL.
 *
 * What comes back and what throws:
 * - Anything wrong with the DOCUMENT comes back as an `IdpMetadata` with `ok: false` and an
 *   error-severity finding: `metadata.too_large`, `metadata.not_xml`, `metadata.html`,
 *   `metadata.json`, `metadata.dtd_forbidden`, `metadata.malformed`, `metadata.not_saml`,
 *   `metadata.wrong_namespace`, `metadata.not_idp`, `metadata.choose_idp` (aggregate with several
 *   IdPs and no `entityId`; `idps` lists them), `metadata.entity_not_found`,
 *   `metadata.no_entity_id`, `metadata.no_sso_service`, `metadata.no_browser_sso_binding`,
 *   `metadata.invalid_sso_url`, `metadata.placeholder_url`, `metadata.no_signing_certificate`.
 *   Warnings and notes never make `ok` false.
 * - Failing to GET the document throws `AppError`: `metadata.read_failed` (file missing or
 *   unreadable), `network.forbidden_url` (not https, and not http to loopback),
 *   `network.timeout`, `network.unreachable`, `network.tls`, `network.http_status` (non-2xx),
 *   `network.too_many_redirects`.
 * An oversized file or download is a document problem (`metadata.too_large`): it is refused
 * without being read past the limit. So is a document over the element or attribute caps, or one
 * whose parsing runs over the worker's time or memory budget (`metadata.too_complex`).
 *
 * Parsing runs in a worker thread, except for small unsigned documents (parse-untrusted.ts says
 * why that is safe). Callers whose input is already small and trusted-size may call
 * `parseIdpMetadata` (src-domain/saml-metadata/parse-idp-metadata.ts) directly: the reference
 * backend's admin route parses request bodies capped by its body limit synchronously.
 *
 * What loads with this module is kept to what a file or a paste needs: the URL fetcher (undici,
 * the address policy) is imported on the first URL, and xml-crypto only in the worker.
 */
import type { IdpMetadata, MetadataSource } from '../../src-shared/metadata.ts'
import { DEFAULT_MAX_BYTES } from '../../src-domain/saml-metadata/document-guard.ts'
import { refusal } from '../../src-domain/saml-metadata/findings.ts'
import { refusedMetadata } from '../../src-domain/saml-metadata/idp-metadata-model.ts'
import type { WorkerBudget } from './parse-in-worker.ts'
import { parseUntrustedMetadata } from './parse-untrusted.ts'
import { readMetadataFile } from './read-metadata-file.ts'

export type { ParseOptions } from '../../src-domain/saml-metadata/idp-metadata-model.ts'

export interface InspectOptions {
  entityId?: string
  now?: Date
  fetch?: typeof fetch
  timeoutMs?: number
  maxBytes?: number
  /** Time and memory for parsing in the worker thread (parse-in-worker.ts). */
  budget?: WorkerBudget
}

export const DEFAULT_TIMEOUT_MS = 10_000

export async function inspectMetadata(
  source: MetadataSource,
  opts: InspectOptions = {},
): Promise<IdpMetadata> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES
  // Off this thread unless small and unsigned: the document is untrusted and the caller may be
  // the UI's main process.
  const parse = (
    input: string | Uint8Array,
    name: string,
    contentType?: string,
  ): Promise<IdpMetadata> =>
    parseUntrustedMetadata(
      input,
      { entityId: opts.entityId, now: opts.now, source: name, maxBytes, contentType },
      opts.budget,
    )

  switch (source.kind) {
    case 'text':
      return parse(source.text, source.name ? `paste:${source.name}` : 'paste')
    case 'file': {
      const file = await readMetadataFile(source.path, maxBytes)
      const name = `file:${file.name}`
      if ('tooLarge' in file) return tooLarge(name, file.size, maxBytes)
      return parse(file.bytes, name)
    }
    case 'url': {
      const { fetchMetadataDocument } = await import('./fetch-metadata.ts')
      const doc = await fetchMetadataDocument(source.url, {
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
        timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxBytes,
      })
      if (doc.tooLarge) return tooLarge(source.url, doc.bytesRead, maxBytes)
      return parse(doc.bytes, source.url, doc.contentType)
    }
  }
}

function tooLarge(name: string, size: number, maxBytes: number): IdpMetadata {
  return refusedMetadata(name, size, refusal.tooLarge(maxBytes))
}
