import { inflateRawSync } from 'node:zlib'
import { guardDocument } from '../saml-metadata/document-guard.ts'
import type { XmlSyntaxError } from '../saml-metadata/xml-tree.ts'
import { parseXmlTree, type XmlElement } from '../saml-metadata/xml-tree.ts'
import { failure, type SamlFailure } from './reasons.ts'
import { SAMLP_NS } from './saml-ns.ts'

/** A captured SAMLResponse is a few KB; 1 MB of XML (and of its base64) is far beyond any real one. */
export const MAX_MESSAGE_BYTES = 1024 * 1024

export type MessageKind = 'response' | 'authn-request'

export interface DecodedMessage {
  kind: MessageKind
  /** How it arrived: base64 (HTTP-POST), deflate+base64 (HTTP-Redirect) or XML as it is. */
  encoding: 'base64' | 'deflate-base64' | 'xml'
  xml: string
  root: XmlElement
  relayState: string | null
}

export type DecodeResult =
  { ok: true; message: DecodedMessage } | { ok: false; failure: SamlFailure }

const CAPTURE_HINT =
  'Paste the SAMLResponse value as captured (base64, or the URL-encoded form body SAMLResponse=...), or an AuthnRequest (the SAMLRequest query value).'

/**
 * Decodes a SAML message the way an admin captures it: the base64 SAMLResponse of an HTTP-POST,
 * the URL-encoded form body (`SAMLResponse=...&RelayState=...`), a Redirect-binding URL or
 * SAMLRequest value (deflated then base64), or the XML itself. The XML then passes the same
 * guards as IdP metadata: a size cap, no DOCTYPE or ENTITY, a depth cap, well-formedness.
 */
export function decodeSamlMessage(input: string | Uint8Array): DecodeResult {
  const raw = typeof input === 'string' ? input : Buffer.from(input).toString('utf8')
  if (Buffer.byteLength(raw, 'utf8') > MAX_MESSAGE_BYTES * 2) return tooLarge()
  let text = raw.replace(/^\uFEFF/, '').trim()
  let relayState: string | null = null

  if (!text.startsWith('<')) {
    const form = formValue(text)
    if (form) {
      text = form.value
      relayState = form.relayState
    } else if (/%[0-9a-f]{2}/i.test(text)) {
      try {
        text = decodeURIComponent(text)
      } catch {
        return malformed('The text is URL-encoded but not validly (a stray % sign).')
      }
    }
  }

  let xml: string
  let encoding: DecodedMessage['encoding'] = 'xml'
  if (text.startsWith('<')) {
    xml = text
  } else {
    const b64 = text.replace(/\s+/g, '')
    if (b64.length === 0) return malformed('The text is empty.')
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) {
      return malformed('The text is neither XML nor base64.')
    }
    const bytes = Buffer.from(b64.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    if (looksLikeXml(bytes)) {
      xml = bytes.toString('utf8')
      encoding = 'base64'
    } else {
      try {
        // The cap bounds a deflate bomb: inflation stops at the limit instead of filling memory.
        xml = inflateRawSync(bytes, { maxOutputLength: MAX_MESSAGE_BYTES }).toString('utf8')
        encoding = 'deflate-base64'
      } catch (err) {
        if (/maxOutputLength|larger than|buffer/i.test((err as Error).message)) return tooLarge()
        return malformed('The base64 decodes to neither XML nor a deflated (Redirect) message.')
      }
    }
  }

  const guarded = guardDocument(xml.replace(/^\uFEFF/, ''), { maxBytes: MAX_MESSAGE_BYTES })
  if (!guarded.ok) {
    const code = guarded.finding.code
    if (code === 'metadata.too_large') return tooLarge()
    if (code === 'metadata.dtd_forbidden' || /dtd|doctype/i.test(code)) {
      return {
        ok: false,
        failure: failure(
          'saml.dtd',
          'The message contains a DOCTYPE or ENTITY declaration; a SAML message never does, so it was not parsed.',
          'This is either a crafted message or not a SAML message. Capture the SAMLResponse again from the browser.',
        ),
      }
    }
    return malformed('The decoded text is not an XML document.')
  }
  let root: XmlElement
  try {
    root = parseXmlTree(guarded.text)
  } catch (err) {
    const e = err as XmlSyntaxError
    return malformed(`The decoded XML is not well-formed: ${e.message}.`)
  }
  const kind: MessageKind | null =
    root.ns === SAMLP_NS && root.local === 'Response'
      ? 'response'
      : root.ns === SAMLP_NS && root.local === 'AuthnRequest'
        ? 'authn-request'
        : null
  if (!kind) {
    return {
      ok: false,
      failure: failure(
        'saml.not_a_response',
        `The message is a <${root.qname}>, not a SAML 2.0 Response or AuthnRequest.`,
        CAPTURE_HINT,
        { got: `${root.ns ?? '(no namespace)'} ${root.local}` },
      ),
    }
  }
  return { ok: true, message: { kind, encoding, xml: guarded.text, root, relayState } }
}

function formValue(text: string): { value: string; relayState: string | null } | null {
  const query = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text.slice(text.indexOf('?') + 1) : text
  if (!/(^|&)SAML(Response|Request)=/.test(query)) return null
  const params = new URLSearchParams(query)
  const value = params.get('SAMLResponse') ?? params.get('SAMLRequest')
  return value === null ? null : { value, relayState: params.get('RelayState') }
}

function looksLikeXml(bytes: Buffer): boolean {
  const head = bytes
    .subarray(0, 64)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
  return head.startsWith('<')
}

function tooLarge(): DecodeResult {
  return {
    ok: false,
    failure: failure(
      'saml.too_large',
      `The message is larger than ${MAX_MESSAGE_BYTES / 1024} KB; a SAML response is a few KB, so it was not read.`,
      CAPTURE_HINT,
    ),
  }
}

function malformed(message: string): DecodeResult {
  return { ok: false, failure: failure('saml.malformed', message, CAPTURE_HINT) }
}
