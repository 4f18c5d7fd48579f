import { XMLParser, XMLValidator } from 'fast-xml-parser'

/**
 * A namespace-aware view over fast-xml-parser's ordered output. fast-xml-parser keeps qualified
 * names (`md:EntityDescriptor`) but does not resolve prefixes, and metadata in the wild uses
 * default namespaces, `md:` prefixes and nested default `ds` declarations interchangeably, so
 * every element here carries the namespace URI its prefix resolves to in scope.
 *
 * Children are wrapped lazily: an aggregate of 20,000 entities only pays for the entities that
 * are actually looked at.
 */

export const MD_NS = 'urn:oasis:names:tc:SAML:2.0:metadata'
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#'
const XML_NS = 'http://www.w3.org/XML/1998/namespace'

type RawNode = Record<string, unknown>
type Scope = Record<string, string>

const ATTRS = ':@'
const TEXT = '#text'

/** Deep enough for any real metadata (Signature/KeyInfo/X509Data sit at about depth 8). */
export const MAX_DEPTH = 64

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Entities are never expanded: DTDs are refused before parsing, and the five predefined
  // entities plus character references are decoded by `decodeXmlText` below.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH,
})

/**
 * Why a document could not be read, for code to branch on (the message is for people):
 * `too_deep` (nesting over MAX_DEPTH), `truncated` (ends before its elements are closed),
 * `syntax` (anything else that is not well-formed).
 */
export type XmlSyntaxReason = 'too_deep' | 'truncated' | 'syntax'

export class XmlSyntaxError extends Error {
  readonly line: number | undefined
  readonly col: number | undefined
  readonly truncated: boolean
  readonly reason: XmlSyntaxReason
  constructor(
    message: string,
    opts: { line?: number; col?: number; truncated?: boolean; reason?: XmlSyntaxReason } = {},
  ) {
    super(message)
    this.name = 'XmlSyntaxError'
    this.line = opts.line
    this.col = opts.col
    this.truncated = opts.truncated ?? false
    this.reason = opts.reason ?? (this.truncated ? 'truncated' : 'syntax')
  }
}

export function tooDeep(): XmlSyntaxError {
  return new XmlSyntaxError(`elements are nested more than ${MAX_DEPTH} levels deep`, {
    reason: 'too_deep',
  })
}

const UNDECLARED_ENTITY = /&(?!(?:lt|gt|amp|quot|apos);)[A-Za-z_][\w.-]*;/

/** Throws XmlSyntaxError unless the document is well-formed XML without undeclared entities. */
export function checkWellFormed(xml: string): void {
  const result = XMLValidator.validate(xml, { allowBooleanAttributes: false })
  if (result !== true) {
    const { msg, line, col } = result.err
    const truncated = /^Invalid '\[/.test(msg) || /Unclosed|unclosed|end of/.test(msg)
    throw new XmlSyntaxError(
      truncated ? 'the document ends before all its elements are closed' : msg.replace(/\s+/g, ' '),
      { line, col, truncated },
    )
  }
  // Without a DTD only the five predefined entities exist; any other reference is not
  // well-formed, and it must never reach the model as if it were text.
  const undeclared = UNDECLARED_ENTITY.exec(xml)
  if (undeclared) {
    const line = xml.slice(0, undeclared.index).split('\n').length
    throw new XmlSyntaxError(`it refers to the undeclared entity ${undeclared[0]}`, { line })
  }
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** Decodes only what XML itself predefines; anything else is left as written. */
export function decodeXmlText(s: string): string {
  if (!s.includes('&')) return s
  return s.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (m, name: string) => {
    if (name[0] !== '#') return PREDEFINED[name] ?? m
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
    return code > 0x10ffff ? m : String.fromCodePoint(code)
  })
}

export class XmlElement {
  readonly qname: string
  readonly local: string
  readonly prefix: string
  /** Namespace URI in scope for the prefix; null when unprefixed with no default namespace, or the prefix is undeclared. */
  readonly ns: string | null
  private readonly raw: RawNode
  private readonly scope: Scope
  private kids: XmlElement[] | undefined

  constructor(qname: string, raw: RawNode, parentScope: Scope) {
    this.qname = qname
    this.raw = raw
    const colon = qname.indexOf(':')
    this.prefix = colon < 0 ? '' : qname.slice(0, colon)
    this.local = colon < 0 ? qname : qname.slice(colon + 1)
    const attrs = raw[ATTRS] as Record<string, string> | undefined
    let scope = parentScope
    if (attrs) {
      for (const name in attrs) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          if (scope === parentScope) scope = Object.create(parentScope) as Scope
          scope[name === 'xmlns' ? '' : name.slice(6)] = decodeXmlText(attrs[name] ?? '')
        }
      }
    }
    this.scope = scope
    const uri = scope[this.prefix]
    this.ns = uri === undefined || uri === '' ? null : uri
  }

  /** An attribute without a prefix (metadata's own attributes are unqualified). */
  attr(name: string): string | undefined {
    const attrs = this.raw[ATTRS] as Record<string, string> | undefined
    const v = attrs?.[name]
    return v === undefined ? undefined : decodeXmlText(String(v))
  }

  children(): XmlElement[] {
    if (this.kids) return this.kids
    const list = this.raw[this.qname]
    const out: XmlElement[] = []
    if (Array.isArray(list)) {
      for (const node of list as RawNode[]) {
        const name = elementName(node)
        if (name !== undefined) out.push(new XmlElement(name, node, this.scope))
      }
    }
    this.kids = out
    return out
  }

  /** Direct children with this namespace URI and local name. */
  all(ns: string, local: string): XmlElement[] {
    return this.children().filter((c) => c.ns === ns && c.local === local)
  }

  first(ns: string, local: string): XmlElement | undefined {
    return this.children().find((c) => c.ns === ns && c.local === local)
  }

  /** Concatenated direct text content, entities decoded. */
  text(): string {
    const list = this.raw[this.qname]
    if (!Array.isArray(list)) return ''
    let s = ''
    for (const node of list as RawNode[]) {
      const t = node[TEXT]
      if (t !== undefined) s += String(t)
    }
    return decodeXmlText(s)
  }

  /** Every descendant element, depth first. */
  *descendants(): Generator<XmlElement> {
    for (const c of this.children()) {
      yield c
      yield* c.descendants()
    }
  }
}

function elementName(node: RawNode): string | undefined {
  for (const key in node) {
    if (key !== ATTRS && key !== TEXT && key[0] !== '?' && key[0] !== '#') return key
  }
  return undefined
}

const ROOT_SCOPE: Scope = Object.assign(Object.create(null) as Scope, { xml: XML_NS })

/**
 * Parses well-formed XML into a namespace-aware root element, or throws XmlSyntaxError.
 * The caller must already have refused DOCTYPE/ENTITY declarations.
 */
export function parseXmlTree(xml: string): XmlElement {
  let nodes: RawNode[]
  try {
    // The parser first: it stops at the first over-deep element, so a document of millions of
    // nested elements is refused after reading only a few hundred bytes of it.
    nodes = parser.parse(xml) as RawNode[]
  } catch (err) {
    const msg = (err as Error).message
    if (/nested tags/i.test(msg)) {
      throw tooDeep()
    }
    throw new XmlSyntaxError(msg)
  }
  // fast-xml-parser's parser is lenient (mismatched and unclosed tags pass), so well-formedness
  // is checked separately.
  checkWellFormed(xml)
  const roots: XmlElement[] = []
  for (const node of nodes) {
    const name = elementName(node)
    if (name !== undefined) roots.push(new XmlElement(name, node, ROOT_SCOPE))
  }
  if (roots.length === 0) throw new XmlSyntaxError('the document has no root element')
  if (roots.length > 1) throw new XmlSyntaxError('the document has more than one root element')
  return roots[0]!
}
