/**
 * The schemas this server supports, as data (schema-attributes.ts), and path resolution against
 * them. Filters, PATCH, normalisation, projection and the /Schemas document all read these, so
 * the discovery endpoints can never drift from what the server actually does.
 */
import {
  commonAttributes,
  ENTERPRISE_USER_SCHEMA,
  enterpriseUserAttributes,
  GROUP_SCHEMA,
  groupAttributes,
  USER_SCHEMA,
  userAttributes,
  type AttributeDefinition,
  type ResourceKind,
} from './schema-attributes.ts'

export * from './schema-attributes.ts'

export function coreSchemaOf(kind: ResourceKind): string {
  return kind === 'User' ? USER_SCHEMA : GROUP_SCHEMA
}

/** Extension schemas a resource kind may carry; the key in the resource is the URN itself. */
export function extensionSchemasOf(kind: ResourceKind): readonly string[] {
  return kind === 'User' ? USER_EXTENSIONS : NO_EXTENSIONS
}
const USER_EXTENSIONS: readonly string[] = [ENTERPRISE_USER_SCHEMA]
const NO_EXTENSIONS: readonly string[] = []

export interface ResolvedAttribute {
  /** URN of the schema that defines the attribute. */
  schema: string
  /** Key of the extension object holding the attribute, or undefined for core/common ones. */
  extension: string | undefined
  attribute: AttributeDefinition
  subAttribute: AttributeDefinition | undefined
  /** The attribute (or sub-attribute) the path ends at. */
  leaf: AttributeDefinition
  /** Canonical spelling: `name.givenName`, `urn:...:enterprise:2.0:User:manager.value`. */
  canonical: string
}

interface Index {
  core: Map<string, AttributeDefinition>
  extensions: { urn: string; lower: string; attributes: Map<string, AttributeDefinition> }[]
  coreUrn: string
  coreUrnLower: string
  cache: Map<string, ResolvedAttribute | null>
}

function byLowerName(list: AttributeDefinition[]): Map<string, AttributeDefinition> {
  return new Map(list.map((a) => [a.name.toLowerCase(), a]))
}

const subIndex = new Map<AttributeDefinition, Map<string, AttributeDefinition>>()
function indexSubAttributes(list: AttributeDefinition[]): void {
  for (const a of list) {
    if (a.subAttributes) {
      subIndex.set(a, byLowerName(a.subAttributes))
      indexSubAttributes(a.subAttributes)
    }
  }
}
indexSubAttributes([...commonAttributes, ...userAttributes, ...enterpriseUserAttributes])
indexSubAttributes(groupAttributes)

/** Case-insensitive lookup of a sub-attribute of a complex attribute. */
export function lookupSubAttribute(
  parent: AttributeDefinition,
  name: string,
): AttributeDefinition | undefined {
  const lower = name.toLowerCase()
  const index = subIndex.get(parent)
  if (index) return index.get(lower)
  // A derived copy of a definition (e.g. one value of a multi-valued attribute).
  return parent.subAttributes?.find((s) => s.name.toLowerCase() === lower)
}

const indexes: Record<ResourceKind, Index> = {
  User: {
    core: byLowerName([...commonAttributes, ...userAttributes]),
    extensions: [
      {
        urn: ENTERPRISE_USER_SCHEMA,
        lower: ENTERPRISE_USER_SCHEMA.toLowerCase(),
        attributes: byLowerName(enterpriseUserAttributes),
      },
    ],
    coreUrn: USER_SCHEMA,
    coreUrnLower: USER_SCHEMA.toLowerCase(),
    cache: new Map(),
  },
  Group: {
    core: byLowerName([...commonAttributes, ...groupAttributes]),
    extensions: [],
    coreUrn: GROUP_SCHEMA,
    coreUrnLower: GROUP_SCHEMA.toLowerCase(),
    cache: new Map(),
  },
}

const CACHE_LIMIT = 2048

function resolveWithin(
  attributes: Map<string, AttributeDefinition>,
  schema: string,
  extension: string | undefined,
  rest: string,
): ResolvedAttribute | undefined {
  const dot = rest.indexOf('.')
  const name = dot === -1 ? rest : rest.slice(0, dot)
  const attribute = attributes.get(name.toLowerCase())
  if (!attribute) return undefined
  const prefix = extension === undefined ? '' : `${extension}:`
  if (dot === -1) {
    return {
      schema,
      extension,
      attribute,
      subAttribute: undefined,
      leaf: attribute,
      canonical: prefix + attribute.name,
    }
  }
  const subAttribute = lookupSubAttribute(attribute, rest.slice(dot + 1))
  if (!subAttribute) return undefined
  return {
    schema,
    extension,
    attribute,
    subAttribute,
    leaf: subAttribute,
    canonical: `${prefix}${attribute.name}.${subAttribute.name}`,
  }
}

function resolveUncached(index: Index, path: string): ResolvedAttribute | undefined {
  if (path.length > 4 && (path.charCodeAt(0) | 32) === 117 /* u */) {
    const lower = path.toLowerCase()
    if (lower.startsWith('urn:')) {
      if (lower.startsWith(index.coreUrnLower + ':')) {
        return resolveWithin(
          index.core,
          index.coreUrn,
          undefined,
          path.slice(index.coreUrn.length + 1),
        )
      }
      for (const ext of index.extensions) {
        if (lower.startsWith(ext.lower + ':')) {
          return resolveWithin(ext.attributes, ext.urn, ext.urn, path.slice(ext.urn.length + 1))
        }
      }
      return undefined
    }
  }
  return resolveWithin(index.core, index.coreUrn, undefined, path)
}

/**
 * Resolves `userName`, `name.givenName`, `emails.value`, or a URN-qualified path such as
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`, case-insensitively
 * (RFC 7644 §3.10: attribute names are case-insensitive). Extension attributes resolve only
 * through their URN. Returns undefined for anything unknown.
 */
export function lookupAttribute(kind: ResourceKind, path: string): ResolvedAttribute | undefined {
  const index = indexes[kind]
  const cached = index.cache.get(path)
  if (cached !== undefined) return cached ?? undefined
  const resolved = resolveUncached(index, path)
  if (index.cache.size >= CACHE_LIMIT) index.cache.clear()
  index.cache.set(path, resolved ?? null)
  return resolved
}

/**
 * lookupAttribute, plus the enterprise attributes by their short name for Users. Entra's
 * documented manager update uses `"path":"manager"` without the URN, and the legacy
 * `customappsso` job sends `department`/`employeeNumber` the same way; no core User attribute
 * shares those names, so accepting them is unambiguous.
 */
export function resolveAttributePath(
  kind: ResourceKind,
  path: string,
): ResolvedAttribute | undefined {
  const strict = lookupAttribute(kind, path)
  if (strict || kind !== 'User' || path.includes(':')) return strict
  return lookupAttribute(kind, `${ENTERPRISE_USER_SCHEMA}:${path}`)
}

/** The extension URN this text names exactly (case-insensitively), if any. */
export function matchExtensionUrn(kind: ResourceKind, text: string): string | undefined {
  const lower = text.toLowerCase()
  for (const ext of indexes[kind].extensions) if (ext.lower === lower) return ext.urn
  return undefined
}

/** Top-level attribute definitions of a kind (common + core), by lower-case name. */
export function coreAttributeIndex(kind: ResourceKind): ReadonlyMap<string, AttributeDefinition> {
  return indexes[kind].core
}

/** Attribute definitions of an extension schema, by lower-case name. */
export function extensionAttributeIndex(
  kind: ResourceKind,
  urn: string,
): ReadonlyMap<string, AttributeDefinition> | undefined {
  return indexes[kind].extensions.find((e) => e.urn === urn)?.attributes
}
