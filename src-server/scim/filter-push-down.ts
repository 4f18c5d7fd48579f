import { toBoolean } from './attribute-values.ts'
import type { FilterNode } from './filter-parser.ts'
import { lookupSubAttribute, resolveAttributePath } from './schema-definitions.ts'

/** Index push-down: the one equality the store can look up, so the filter runs on few candidates. */

export interface IndexableEquality {
  /** Lower-case canonical path: `username`, `externalid`, `id`, `displayname`, `emails.value`. */
  path: string
  value: string | number | boolean | null
  /** False when the store must compare case-insensitively (userName, emails.value...). */
  caseExact: boolean
}

const INDEX_PREFERENCE = ['id', 'username', 'externalid', 'emails.value', 'displayname']

function indexableOf(node: FilterNode): IndexableEquality | undefined {
  if (node.type !== 'compare' || node.op !== 'eq' || node.value === null) return undefined
  const resolved =
    resolveAttributePath('User', node.path) ?? resolveAttributePath('Group', node.path)
  if (!resolved) return undefined
  let canonical = resolved.canonical
  let leaf = resolved.leaf
  if (leaf.type === 'complex') {
    const value = lookupSubAttribute(leaf, 'value')
    if (!value) return undefined
    canonical += '.value'
    leaf = value
  }
  let value: string | number | boolean = node.value
  if (leaf.type === 'boolean') {
    const b = toBoolean(value)
    if (b === undefined) return undefined
    value = b
  } else if (leaf.type !== 'integer' && leaf.type !== 'decimal') {
    value = node.raw ?? String(value)
  }
  return { path: canonical.toLowerCase(), value, caseExact: leaf.caseExact }
}

/** Entra's `emails[type eq "work"].value eq "x"` narrows to rows whose emails.value is x. */
function indexableValuePath(
  node: Extract<FilterNode, { type: 'valuePath' }>,
): IndexableEquality | undefined {
  if (!node.then || node.then.type !== 'compare') return undefined
  return indexableOf({ ...node.then, path: `${node.path}.${node.then.path}` })
}

/**
 * The single `attr eq value` a store can answer from an index: the whole filter, or the most
 * selective conjunct of a top-level `and`. The rows it selects are candidates: the caller must
 * still run evaluateFilter on each (conjuncts, value filters and case rules are not encoded).
 */
export function findIndexableEquality(node: FilterNode): IndexableEquality | undefined {
  if (node.type === 'valuePath') return indexableValuePath(node)
  if (node.type !== 'and') return indexableOf(node)
  const conjuncts: FilterNode[] = []
  const stack: FilterNode[] = [node]
  while (stack.length > 0) {
    const current = stack.pop() as FilterNode
    if (current.type === 'and') stack.push(current.right, current.left)
    else conjuncts.push(current)
  }
  let best: IndexableEquality | undefined
  let bestRank = Number.POSITIVE_INFINITY
  for (const conjunct of conjuncts) {
    const candidate = indexableOf(conjunct)
    if (!candidate) continue
    const preference = INDEX_PREFERENCE.indexOf(candidate.path)
    const rank = preference === -1 ? INDEX_PREFERENCE.length : preference
    if (rank < bestRank) {
      best = candidate
      bestRank = rank
    }
  }
  return best
}
