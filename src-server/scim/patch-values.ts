import { isObject, jsonEqual, type JsonObject } from './attribute-values.ts'
import type { FilterNode } from './filter.ts'
import { lookupSubAttribute, type AttributeDefinition } from './schema-definitions.ts'

/** How PATCH compares and finds values of a multi-valued attribute. */

/** Two values of a multi-valued attribute are the same when their `value`s are equal. */
export function sameValue(attribute: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (!isObject(a) || !isObject(b)) return jsonEqual(a, b)
  const valueDefinition = lookupSubAttribute(attribute, 'value')
  if (!valueDefinition || a.value === undefined || b.value === undefined) return jsonEqual(a, b)
  const same =
    valueDefinition.caseExact || typeof a.value !== 'string' || typeof b.value !== 'string'
      ? a.value === b.value
      : a.value.toLowerCase() === b.value.toLowerCase()
  if (!same) return false
  // emails: the same address as "work" and as "home" are two values.
  if (typeof a.type === 'string' && typeof b.type === 'string') {
    return a.type.toLowerCase() === b.type.toLowerCase()
  }
  return true
}

/**
 * Values of a multi-valued attribute bucketed by their `value`, so adding or removing many
 * members of a large group stays linear; sameValue still decides within a bucket.
 */
export class ValueIndex {
  attribute: AttributeDefinition
  caseExact: boolean
  buckets = new Map<string, unknown[]>()
  unkeyed: unknown[] = []

  constructor(attribute: AttributeDefinition) {
    this.attribute = attribute
    this.caseExact = lookupSubAttribute(attribute, 'value')?.caseExact ?? false
  }

  private key(item: unknown): string | undefined {
    if (!isObject(item) || typeof item.value !== 'string') return undefined
    return this.caseExact ? item.value : item.value.toLowerCase()
  }

  add(item: unknown): void {
    const key = this.key(item)
    if (key === undefined) {
      this.unkeyed.push(item)
      return
    }
    const bucket = this.buckets.get(key)
    if (bucket) bucket.push(item)
    else this.buckets.set(key, [item])
  }

  find(item: unknown): unknown {
    const key = this.key(item)
    const candidates = key === undefined ? this.unkeyed : (this.buckets.get(key) ?? [])
    return candidates.find((candidate) => sameValue(this.attribute, candidate, item))
  }
}

/** {type:"work"} from `type eq "work"`; undefined unless the filter is only `and`ed equalities. */
export function seedFromFilter(filter: FilterNode): JsonObject | undefined {
  if (filter.type === 'compare' && filter.op === 'eq' && filter.value !== null) {
    return { [filter.path]: filter.raw ?? filter.value }
  }
  if (filter.type === 'and') {
    const left = seedFromFilter(filter.left)
    const right = seedFromFilter(filter.right)
    return left && right ? { ...left, ...right } : undefined
  }
  return undefined
}
