import type { Finding } from '../../src-shared/metadata.ts'
import { refusal } from './findings.ts'
import { measureMarkup, type ShapeLimits, type WorkCounter } from './markup-shape.ts'

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024

export type GuardedDocument =
  { ok: true; text: string; sizeBytes: number } | { ok: false; finding: Finding; sizeBytes: number }

export interface GuardOptions {
  maxBytes?: number
  /** Content-Type of an HTTP answer, when the document came from a URL. */
  contentType?: string
  fromUrl?: boolean
  /** Element and attribute caps (tests lower them); defaults in markup-shape.ts. */
  limits?: ShapeLimits
  /** Counts the work of the shape pass (property tests check it grows linearly). */
  work?: WorkCounter
}

/**
 * Everything decided before an XML parser sees the document: size, encoding, BOM, and the
 * look of what was given instead of metadata (HTML, JSON). DOCTYPE and ENTITY are refused here
 * so that no parser ever gets the chance to expand an entity, and documents with more elements,
 * or more attributes on one element, than any real metadata are refused before a tree is built.
 */
export function guardDocument(
  input: string | Uint8Array,
  opts: GuardOptions = {},
): GuardedDocument {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES
  const sizeBytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength
  if (sizeBytes > maxBytes) return { ok: false, finding: refusal.tooLarge(maxBytes), sizeBytes }

  let text = typeof input === 'string' ? input : decodeBytes(input)
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)

  const head = text.slice(0, 2048).trimStart()
  const refuse = (finding: Finding): GuardedDocument => ({ ok: false, finding, sizeBytes })
  if (head.length === 0) return refuse(refusal.empty())

  // The body decides; a Content-Type only tips the balance when the body does not look like
  // metadata, because servers do hand out metadata as text/html or text/plain.
  const contentType = (opts.contentType ?? '').toLowerCase()
  const looksLikeMetadata = /<([\w.-]+:)?Entit(y|ies)Descriptor[\s>/]/.test(head)
  if (
    head[0] === '{' ||
    head[0] === '[' ||
    (/[/+]json\b/.test(contentType) && !looksLikeMetadata)
  ) {
    return refuse(refusal.json(/"(issuer|authorization_endpoint|jwks_uri)"\s*:/.test(head)))
  }
  if (
    /^<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]/i.test(head) ||
    (contentType.includes('html') && !looksLikeMetadata)
  ) {
    return refuse(refusal.html(opts.fromUrl ?? false))
  }
  // Anywhere in the document, not only the prolog: a parser must never be the one to notice.
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(text)) return refuse(refusal.dtd())
  if (head[0] !== '<') return refuse(refusal.notXml())
  const shape = measureMarkup(text, opts.limits, opts.work)
  if (!shape.ok) return refuse(refusal.tooComplex(shape.reason, shape.limit))
  return { ok: true, text, sizeBytes }
}

function decodeBytes(bytes: Uint8Array): string {
  // UTF-16 exports (some Windows tools) announce themselves with a BOM; everything else is UTF-8.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes)
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes)
  return new TextDecoder('utf-8').decode(bytes)
}
