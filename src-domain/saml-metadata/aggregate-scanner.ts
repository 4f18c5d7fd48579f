import type { WorkCounter } from './markup-shape.ts'
import { DS_NS, MAX_DEPTH, MD_NS, XmlSyntaxError, decodeXmlText, tooDeep } from './xml-tree.ts'

/**
 * The fast path for big federation aggregates (tens of MB, tens of thousands of entities): one
 * pass over the tags that lists every EntityDescriptor with its offsets, entity ID, whether it
 * has an IdP role, and the namespace declarations in scope, without building a tree. Only the
 * entity the admin picks is then parsed in full, from its own slice of the text.
 *
 * It assumes the document has passed XMLValidator (well-formed); it still refuses what it cannot
 * walk (over-deep nesting, unterminated constructs) instead of guessing.
 */

type Scope = Record<string, string>

export interface ScannedEntity {
  entityId: string
  isIdp: boolean
  start: number
  end: number
  /** Declarations in scope outside the EntityDescriptor tag (its own are inside its slice). */
  outerScope: Scope
  /** validUntil/cacheDuration of the enclosing EntitiesDescriptors, outermost first. */
  ancestors: { validUntil?: string; cacheDuration?: string }[]
}

export interface ScanResult {
  rootQname: string
  rootLocal: string
  rootNs: string | null
  rootSigned: boolean
  entities: ScannedEntity[]
}

/**
 * `name="value"` pairs of one start tag, read by hand in one pass: the regex this replaces
 * rescanned a run of name characters from each of its positions when no `=` followed, which is
 * quadratic (a 2.2 MB start tag of `AAAA…` did not finish in 120 s; issue #12). Anything that is
 * not a pair is skipped; well-formedness is the validator's job.
 */
export function parseAttrs(text: string, work?: WorkCounter): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  const n = text.length
  let i = 0
  while (i < n) {
    const from = i
    if (work) work.steps++
    while (i < n && isNameStop(text.charCodeAt(i))) i++
    const nameStart = i
    while (i < n && !isNameStop(text.charCodeAt(i))) i++
    const name = text.slice(nameStart, i)
    while (i < n && isSpace(text.charCodeAt(i))) i++
    if (work) work.steps += i - from
    if (text.charCodeAt(i) !== 61 /* = */) continue
    i++
    while (i < n && isSpace(text.charCodeAt(i))) i++
    const quote = text.charCodeAt(i)
    if (quote !== 34 && quote !== 39) continue
    const close = text.indexOf(quote === 34 ? '"' : "'", i + 1)
    if (close < 0) break
    if (work) work.steps += close - i
    if (name !== '') out[name] = decodeXmlText(text.slice(i + 1, close))
    i = close + 1
  }
  return out
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13
}

/** What ends an attribute name (`[^\s=/]` in the old pattern), plus quotes and `>`. */
function isNameStop(c: number): boolean {
  return isSpace(c) || c === 61 || c === 47 || c === 34 || c === 39 || c === 62
}

function split(qname: string): [string, string] {
  const c = qname.indexOf(':')
  return c < 0 ? ['', qname] : [qname.slice(0, c), qname.slice(c + 1)]
}

const KIND_OTHER = 0
const KIND_ENTITIES = 1
const KIND_ENTITY = 2

/** `work` counts characters passed over (property tests check it grows linearly). */
export function scanAggregate(xml: string, work?: WorkCounter): ScanResult {
  const rootScope: Scope = Object.assign(Object.create(null) as Scope, {
    xml: 'http://www.w3.org/XML/1998/namespace',
  })
  const names: string[] = []
  const scopes: Scope[] = []
  const kinds: number[] = []
  const entityStack: ScannedEntity[] = []
  const ancestorAttrs: ScannedEntity['ancestors'] = []
  const entities: ScannedEntity[] = []
  let root: { qname: string; local: string; ns: string | null } | undefined
  let rootSigned = false
  const truncated = (): XmlSyntaxError =>
    new XmlSyntaxError('the document ends before all its elements are closed', { truncated: true })

  let i = xml.indexOf('<')
  let counted = 0
  while (i !== -1) {
    if (work) {
      work.steps += Math.max(1, i - counted)
      counted = i
    }
    const c = xml.charCodeAt(i + 1)
    if (c === 33 /* ! */) {
      let end: number
      if (xml.startsWith('<!--', i)) end = xml.indexOf('-->', i + 4) + 3
      else if (xml.startsWith('<![CDATA[', i)) end = xml.indexOf(']]>', i + 9) + 3
      else throw new XmlSyntaxError('unexpected markup declaration')
      if (end < 3) throw truncated()
      i = xml.indexOf('<', end)
      continue
    }
    if (c === 63 /* ? */) {
      const end = xml.indexOf('?>', i + 2)
      if (end < 0) throw truncated()
      i = xml.indexOf('<', end + 2)
      continue
    }
    if (c === 47 /* / */) {
      const end = xml.indexOf('>', i + 2)
      if (end < 0) throw truncated()
      const name = xml.slice(i + 2, end).trim()
      if (names.pop() !== name) throw new XmlSyntaxError(`unexpected closing tag ${name}`)
      scopes.pop()
      const kind = kinds.pop()
      if (kind === KIND_ENTITY) entityStack.pop()!.end = end + 1
      else if (kind === KIND_ENTITIES) ancestorAttrs.pop()
      i = xml.indexOf('<', end + 1)
      continue
    }

    // A start tag: find its '>' outside quoted attribute values.
    let k = i + 1
    while (k < xml.length) {
      const ch = xml.charCodeAt(k)
      if (ch === 62 /* > */) break
      if (ch === 34 || ch === 39) {
        const close = xml.indexOf(ch === 34 ? '"' : "'", k + 1)
        if (close < 0) throw truncated()
        k = close
      }
      k++
    }
    if (work) {
      work.steps += k - i
      counted = k
    }
    if (k >= xml.length) throw truncated()
    const selfClosing = xml.charCodeAt(k - 1) === 47
    const body = xml.slice(i + 1, selfClosing ? k - 1 : k)
    let nameEnd = 0
    while (nameEnd < body.length && body.charCodeAt(nameEnd) > 32) nameEnd++
    const qname = body.slice(0, nameEnd)
    const attrText = body.slice(nameEnd)

    const parentScope = scopes.length > 0 ? scopes[scopes.length - 1]! : rootScope
    let scope = parentScope
    let attrs: Record<string, string> | undefined
    if (attrText.includes('xmlns')) {
      if (work) work.steps += attrText.length
      attrs = parseAttrs(attrText, work)
      for (const name in attrs) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          if (scope === parentScope) scope = Object.create(parentScope) as Scope
          scope[name === 'xmlns' ? '' : name.slice(6)] = attrs[name]!
        }
      }
    }
    const [prefix, local] = split(qname)
    const nsUri = scope[prefix]
    const ns = nsUri === undefined || nsUri === '' ? null : nsUri

    const parentKind = kinds.length > 0 ? kinds[kinds.length - 1]! : -1
    let kind = KIND_OTHER
    if (names.length === 0) {
      if (root) throw new XmlSyntaxError('the document has more than one root element')
      root = { qname, local, ns }
    }
    if (ns === MD_NS && (parentKind === -1 || parentKind === KIND_ENTITIES)) {
      if (local === 'EntitiesDescriptor') {
        attrs ??= parseAttrs(attrText, work)
        kind = KIND_ENTITIES
        ancestorAttrs.push({ validUntil: attrs.validUntil, cacheDuration: attrs.cacheDuration })
      } else if (local === 'EntityDescriptor') {
        attrs ??= parseAttrs(attrText, work)
        kind = KIND_ENTITY
        const entity: ScannedEntity = {
          entityId: (attrs.entityID ?? '').trim(),
          isIdp: false,
          start: i,
          end: k + 1,
          outerScope: parentScope,
          ancestors: [...ancestorAttrs],
        }
        entities.push(entity)
        entityStack.push(entity)
      }
    } else if (parentKind === KIND_ENTITY && ns === MD_NS && local === 'IDPSSODescriptor') {
      entityStack[entityStack.length - 1]!.isIdp = true
    } else if (names.length === 1 && ns === DS_NS && local === 'Signature') {
      rootSigned = true
    }

    if (selfClosing) {
      if (kind === KIND_ENTITY) entityStack.pop()
      else if (kind === KIND_ENTITIES) ancestorAttrs.pop()
    } else {
      if (names.length >= MAX_DEPTH) {
        throw tooDeep()
      }
      names.push(qname)
      scopes.push(scope)
      kinds.push(kind)
    }
    i = xml.indexOf('<', k + 1)
  }
  if (names.length > 0) throw truncated()
  if (!root) throw new XmlSyntaxError('the document has no root element')
  return { rootQname: root.qname, rootLocal: root.local, rootNs: root.ns, rootSigned, entities }
}

/**
 * The entity's text as a standalone document: the namespace declarations it inherits are copied
 * onto its start tag (those it declares itself win), so it parses exactly as it did in place.
 */
export function entityDocument(xml: string, entity: ScannedEntity): string {
  const slice = xml.slice(entity.start, entity.end)
  let tagEnd = 1
  while (tagEnd < slice.length && !/[\s/>]/.test(slice[tagEnd]!)) tagEnd++
  const ownTag = slice.slice(0, slice.indexOf('>') + 1)
  const own = parseAttrs(ownTag)
  const decls: string[] = []
  for (const prefix in entity.outerScope) {
    if (prefix === 'xml') continue
    const attr = prefix === '' ? 'xmlns' : `xmlns:${prefix}`
    if (own[attr] !== undefined) continue
    const uri = entity.outerScope[prefix]!.replace(/&/g, '&amp;')
      .replace(/"/g, '&quot;')
      .replace(/</g, '&lt;')
    decls.push(` ${attr}="${uri}"`)
  }
  return slice.slice(0, tagEnd) + decls.join('') + slice.slice(tagEnd)
}
