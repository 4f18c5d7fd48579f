/**
 * Where untrusted metadata is parsed: small unsigned documents on the caller's thread, everything
 * else in the worker thread with its time and memory budget (parse-in-worker.ts).
 *
 * Why a small document may be parsed in place: what runs on it is the guard's shape pass
 * (markup-shape.ts), the tree parser (fast-xml-parser, only after the guard) and the model
 * rules, all linear in the input with the caps the guard enforces (no DOCTYPE or entity, at most
 * 256 attributes on an element, nesting at most 64 deep); the guard and the aggregate scanner are
 * property-tested for linear work (metadata-guard.property.test.ts). Linear in at most
 * IN_PROCESS_MAX_BYTES bounds time and memory: the worst shapes we could build of that size (65k
 * empty elements, 60-deep nesting repeated, runs of processing instructions or attribute names)
 * took under 0.1 s and 16 MB of heap on a busy 2-core machine, most of it the parser's first,
 * unoptimised run. A real IdP file is 2-30 KB. What is not bounded that way stays in the worker:
 * the signature check (xmldom's DOM and xml-crypto's canonicalisation per reference), so a signed
 * document goes to the worker whatever its size, and so does anything larger.
 *
 * Worth it because starting the worker (a fresh isolate loading the parser and the crypto
 * libraries) is most of the time of `metadata inspect` on a typical file: ~0.3 s of ~0.4 s.
 */
import type { IdpMetadata } from '../../src-shared/metadata.ts'
import {
  buildIdpMetadata,
  type ParseOptions,
} from '../../src-domain/saml-metadata/idp-metadata-model.ts'
import { parseIdpMetadataInWorker, type WorkerBudget } from './parse-in-worker.ts'

/** Inputs up to this many bytes (and without a signature) are parsed on the caller's thread. */
export const IN_PROCESS_MAX_BYTES = 64 * 1024

/** Which way `parseUntrustedMetadata` takes for this input; exported for the tests. */
export function parsesInProcess(input: string | Uint8Array): boolean {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength
  return size <= IN_PROCESS_MAX_BYTES
}

/**
 * The model of an untrusted document, as `parseIdpMetadataInWorker` gives it: a small unsigned
 * document is parsed here, any other in the worker with `budget`, and over the budget the answer
 * is `metadata.too_complex`.
 */
export async function parseUntrustedMetadata(
  input: string | Uint8Array,
  opts: ParseOptions,
  budget?: WorkerBudget,
): Promise<IdpMetadata> {
  if (parsesInProcess(input)) {
    // null: the document carries a signature, whose check is the worker's.
    const model = buildIdpMetadata(input, opts, null)
    if (model) return model
  }
  return parseIdpMetadataInWorker(input, opts, budget)
}
