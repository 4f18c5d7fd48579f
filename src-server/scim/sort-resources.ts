/**
 * Sorting for list responses (RFC 7644 §3.4.2.3), by any attribute the schema defines.
 */
import { ScimError } from './scim-error.ts'
import { getField, isObject, isUnassigned, toBoolean } from './attribute-values.ts'
import {
  lookupSubAttribute,
  resolveAttributePath,
  type AttributeDefinition,
  type ResolvedAttribute,
  type ResourceKind,
} from './schema-definitions.ts'

function getKey(object: unknown, name: string): unknown {
  return isObject(object) ? getField(object, name) : undefined
}

function sortKey(resource: Record<string, unknown>, resolved: ResolvedAttribute): unknown {
  const container =
    resolved.extension === undefined ? resource : getKey(resource, resolved.extension)
  const top = getKey(container, resolved.attribute.name)
  if (isUnassigned(top)) return undefined
  let item: unknown = top
  if (Array.isArray(top)) {
    // Multi-valued attributes sort by their primary value, else the first one.
    item = top.find((v) => getKey(v, 'primary') === true) ?? top[0]
  }
  let sub = resolved.subAttribute?.name
  if (!sub && resolved.attribute.type === 'complex') sub = 'value'
  const value = sub === undefined ? item : getKey(item, sub)
  return isUnassigned(value) ? undefined : value
}

function normalisedKey(value: unknown, definition: AttributeDefinition): string | number {
  switch (definition.type) {
    case 'boolean':
      return toBoolean(value) ? 1 : 0
    case 'integer':
    case 'decimal':
      return Number(value)
    case 'dateTime': {
      const t = Date.parse(String(value))
      return Number.isNaN(t) ? String(value) : t
    }
    default:
      return definition.caseExact ? String(value) : String(value).toLowerCase()
  }
}

/**
 * Sorts a copy of the list. Unassigned values sort last in both orders; ties keep the input
 * order (Array.prototype.sort is stable), so paging stays consistent.
 */
export function sortResources<T extends Record<string, unknown>>(
  list: readonly T[],
  sortBy: string | undefined,
  sortOrder: string | undefined,
  kind: ResourceKind,
): T[] {
  if (sortBy === undefined || sortBy === '') return [...list]
  const resolved = resolveAttributePath(kind, sortBy)
  if (!resolved) {
    throw new ScimError(
      400,
      `sortBy "${sortBy}" is not an attribute of ${kind} resources`,
      'invalidValue',
    )
  }
  const order = (sortOrder ?? 'ascending').toLowerCase()
  if (order !== 'ascending' && order !== 'descending') {
    throw new ScimError(
      400,
      `sortOrder must be "ascending" or "descending", not "${sortOrder}"`,
      'invalidValue',
    )
  }
  const definition =
    resolved.leaf.type === 'complex'
      ? (lookupSubAttribute(resolved.leaf, 'value') ?? resolved.leaf)
      : resolved.leaf
  const direction = order === 'ascending' ? 1 : -1
  const keyed = list.map((resource) => {
    const raw = sortKey(resource, resolved)
    return { resource, key: raw === undefined ? undefined : normalisedKey(raw, definition) }
  })
  keyed.sort((x, y) => {
    if (x.key === undefined) return y.key === undefined ? 0 : 1
    if (y.key === undefined) return -1
    if (x.key === y.key) return 0
    if (typeof x.key !== typeof y.key) return String(x.key) < String(y.key) ? -direction : direction
    return x.key < y.key ? -direction : direction
  })
  return keyed.map((k) => k.resource)
}
