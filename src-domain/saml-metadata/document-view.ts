import type { Finding } from '../../src-shared/metadata.ts'
import { entityDocument, scanAggregate } from './aggregate-scanner.ts'
import { finding } from './findings.ts'
import {
  checkWellFormed,
  DS_NS,
  MD_NS,
  parseXmlTree,
  XmlSyntaxError,
  type XmlElement,
} from './xml-tree.ts'

/**
 * The document as a list of entities, whichever way it was read: a full tree for ordinary files,
 * a tag scan for big aggregates (only the chosen entity is then parsed). Also which entity the
 * admin gets, or why none.
 */

export interface RootInfo {
  qname: string
  local: string
  ns: string | null
}

export type AncestorAttrs = { validUntil?: string | undefined; cacheDuration?: string | undefined }

export interface EntityRef {
  entityId: string
  isIdp: boolean
  load(): XmlElement
  /** Enclosing EntitiesDescriptors, outermost first; they can carry validUntil/cacheDuration. */
  ancestors: AncestorAttrs[]
}

/** What the model is built from, whichever way the document was read. */
export interface DocumentView {
  root: RootInfo
  rootSigned: boolean
  entities: EntityRef[]
}

/** Above this, aggregates are scanned and only the chosen entity is parsed into a tree. */
export const FAST_PATH_BYTES = 2 * 1024 * 1024

export function treeView(text: string): DocumentView {
  const root = parseXmlTree(text)
  const entities: EntityRef[] = []
  const walk = (el: XmlElement, ancestors: AncestorAttrs[]): void => {
    if (el.local === 'EntityDescriptor') {
      entities.push({
        entityId: el.attr('entityID')?.trim() ?? '',
        isIdp: el.first(MD_NS, 'IDPSSODescriptor') !== undefined,
        load: () => el,
        ancestors,
      })
      return
    }
    const inner = [
      ...ancestors,
      { validUntil: el.attr('validUntil'), cacheDuration: el.attr('cacheDuration') },
    ]
    for (const child of el.children()) {
      if (
        child.ns === MD_NS &&
        (child.local === 'EntityDescriptor' || child.local === 'EntitiesDescriptor')
      ) {
        walk(child, inner)
      }
    }
  }
  if (root.ns === MD_NS) walk(root, [])
  return { root, rootSigned: root.first(DS_NS, 'Signature') !== undefined, entities }
}

export function scannedView(text: string): DocumentView {
  // The scan first: it refuses absurd nesting after a few hundred bytes, where a full
  // validation would walk all of it.
  let scan: ReturnType<typeof scanAggregate>
  try {
    scan = scanAggregate(text)
  } catch (err) {
    // The validator words the problem better (line and column) whenever it sees it too.
    if (err instanceof XmlSyntaxError && err.reason !== 'too_deep') checkWellFormed(text)
    throw err
  }
  checkWellFormed(text)
  if (scan.rootLocal !== 'EntitiesDescriptor' || scan.rootNs !== MD_NS) {
    // One huge EntityDescriptor (or not metadata at all): the ordinary tree serves.
    return treeView(text)
  }
  return {
    root: { qname: scan.rootQname, local: scan.rootLocal, ns: scan.rootNs },
    rootSigned: scan.rootSigned,
    entities: scan.entities.map((e) => ({
      entityId: e.entityId,
      isIdp: e.isIdp,
      load: () => parseXmlTree(entityDocument(text, e)),
      ancestors: e.ancestors,
    })),
  }
}

export type Pick = { entity: EntityRef; note?: Finding } | { error: Finding }

export function pickEntity(
  entities: EntityRef[],
  idpEntities: EntityRef[],
  isAggregate: boolean,
  wanted: string | undefined,
): Pick {
  const list = (refs: EntityRef[]): string =>
    refs
      .slice(0, 5)
      .map((e) => e.entityId)
      .join(', ') + (refs.length > 5 ? `, and ${refs.length - 5} more` : '')
  if (wanted !== undefined && wanted !== '') {
    const found = entities.find((e) => e.entityId === wanted.trim())
    if (found) return { entity: found }
    return {
      error: finding(
        'error',
        'metadata.entity_not_found',
        `No entity with the ID ${wanted} is in this document.`,
        idpEntities.length > 0
          ? `Choose one of the IdPs it lists: ${list(idpEntities)}.`
          : 'The document lists no IdP at all; check that this is the metadata of your IdP.',
      ),
    }
  }
  if (!isAggregate) return { entity: entities[0]! }
  if (idpEntities.length === 1) {
    const only = idpEntities[0]!
    const note =
      entities.length > 1
        ? finding(
            'info',
            'metadata.aggregate_single_idp',
            `The document is an aggregate of ${entities.length} entities; its only IdP, ${only.entityId}, was selected.`,
            'Nothing to do unless you meant another IdP.',
          )
        : undefined
    return note ? { entity: only, note } : { entity: only }
  }
  if (idpEntities.length === 0) {
    return {
      error: finding(
        'error',
        'metadata.not_idp',
        `The document is an aggregate of ${entities.length} entities and none of them is an identity provider (all are service providers or other roles).`,
        'Okta SSO needs the metadata of the IdP (Okta), not of service providers. In Okta: open the SAML app > Sign On > View IdP metadata.',
      ),
    }
  }
  return {
    error: finding(
      'error',
      'metadata.choose_idp',
      `The document is an aggregate listing ${idpEntities.length} IdPs; choose one.`,
      `Pick the IdP your users sign in with (CLI: --entity-id). IdPs: ${list(idpEntities)}.`,
    ),
  }
}
