/**
 * SCIM filters (RFC 7644 §3.4.2.2) against the schema: attribute names checked, comparisons
 * that follow each attribute's type and caseExact, multi-valued attributes matching when any
 * value matches, and the index push-down the store uses. Grammar in filter-parser.ts.
 */
import { ScimError } from './scim-error.ts'
import { getField, isObject, isUnassigned, toBoolean } from './attribute-values.ts'
import {
  parseFilterSyntax,
  type CompareOperator,
  type FilterNode,
  type FilterValue,
} from './filter-parser.ts'
import {
  lookupSubAttribute,
  resolveAttributePath,
  type AttributeDefinition,
  type ResolvedAttribute,
  type ResourceKind,
} from './schema-definitions.ts'

export {
  parseFilterSyntax,
  parseSimpleEquality,
  type CompareOperator,
  type FilterNode,
  type FilterValue,
} from './filter-parser.ts'
export { sortResources } from './sort-resources.ts'

/**
 * Parses a filter. Throws ScimError 400 invalidFilter naming the position and what was
 * expected. With `kind`, attribute names and operator/type combinations are checked too (pass
 * it: without it an unknown attribute is only reported once a resource is evaluated).
 */
export function parseFilter(text: string, kind?: ResourceKind): FilterNode {
  const node = parseFilterSyntax(text)
  if (kind) validateFilter(node, kind)
  return node
}

function getKey(object: unknown, name: string): unknown {
  // Stored resources use canonical names; getField also finds other spellings.
  return isObject(object) ? getField(object, name) : undefined
}

// ---------------------------------------------------------------------------------------------
// Validation against the schema

interface Target {
  definition: AttributeDefinition
  resolved?: ResolvedAttribute
}

function invalid(detail: string): never {
  throw new ScimError(400, `Invalid filter: ${detail}`, 'invalidFilter')
}

function resolveTop(kind: ResourceKind, path: string): ResolvedAttribute {
  const resolved = resolveAttributePath(kind, path)
  if (!resolved) {
    const examples =
      kind === 'User'
        ? 'userName, externalId, id, emails.value, name.familyName, active, or an enterprise attribute with its URN prefix such as urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department'
        : 'displayName, externalId, id, members.value'
    invalid(
      `"${path}" is not an attribute of ${kind} resources; filterable attributes include ${examples}`,
    )
  }
  return resolved
}

function resolveRelative(parent: AttributeDefinition, path: string): AttributeDefinition {
  const sub = lookupSubAttribute(parent, path)
  if (!sub) invalid(`"${path}" is not a sub-attribute of "${parent.name}"`)
  return sub
}

/** The definition a comparison actually tests: complex attributes compare their `value`. */
function comparedDefinition(definition: AttributeDefinition, path: string): AttributeDefinition {
  if (definition.type !== 'complex') return definition
  const value = lookupSubAttribute(definition, 'value')
  if (!value)
    invalid(
      `"${path}" is a complex attribute; compare one of its sub-attributes instead, such as "${path}.${definition.subAttributes?.[0]?.name ?? 'value'}"`,
    )
  return value
}

function checkOperator(
  node: Extract<FilterNode, { type: 'compare' }>,
  definition: AttributeDefinition,
): void {
  const compared = comparedDefinition(definition, node.path)
  if (compared.type === 'boolean' || compared.type === 'binary') {
    if (node.op !== 'eq' && node.op !== 'ne') {
      invalid(
        `operator "${node.op}" cannot be used on ${compared.type} attribute "${node.path}"; use eq or ne`,
      )
    }
  }
  if (compared.type === 'boolean' && node.value !== null && toBoolean(node.value) === undefined) {
    invalid(
      `"${node.path}" is boolean; compare it with true or false, not ${JSON.stringify(node.value)}`,
    )
  }
}

// Remembered on the node itself: a WeakMap entry per parsed filter costs more in GC than the
// whole parse at thousands of filters per second.
const VALIDATED = Symbol('validatedKinds')
const KIND_BIT: Record<ResourceKind, number> = { User: 1, Group: 2 }

/** Throws 400 invalidFilter if the filter names unknown attributes or misuses an operator. */
export function validateFilter(node: FilterNode, kind: ResourceKind): void {
  const marked = node as FilterNode & { [VALIDATED]?: number }
  const seen = marked[VALIDATED] ?? 0
  if (seen & KIND_BIT[kind]) return
  validateNode(node, (path) => {
    const resolved = resolveTop(kind, path)
    return { definition: resolved.leaf, resolved }
  })
  Object.defineProperty(marked, VALIDATED, {
    value: seen | KIND_BIT[kind],
    writable: true,
    configurable: true,
  })
}

function validateNode(node: FilterNode, resolve: (path: string) => Target): void {
  switch (node.type) {
    case 'and':
    case 'or':
      validateNode(node.left, resolve)
      validateNode(node.right, resolve)
      return
    case 'not':
      validateNode(node.filter, resolve)
      return
    case 'present':
      resolve(node.path)
      return
    case 'compare':
      checkOperator(node, resolve(node.path).definition)
      return
    case 'valuePath': {
      const parent = resolve(node.path).definition
      if (parent.type !== 'complex')
        invalid(`"${node.path}" has no sub-attributes to filter with "[...]"`)
      const relative = (path: string): Target => ({ definition: resolveRelative(parent, path) })
      validateNode(node.filter, relative)
      if (node.then) validateNode(node.then, relative)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Values of a top-level path, flattened over multi-valued attributes. */
function collectValues(
  resource: Record<string, unknown>,
  resolved: ResolvedAttribute,
  implicitValue: boolean,
): unknown[] {
  const container =
    resolved.extension === undefined ? resource : getKey(resource, resolved.extension)
  const top = getKey(container, resolved.attribute.name)
  if (isUnassigned(top)) return []
  let sub = resolved.subAttribute?.name
  if (!sub && implicitValue && resolved.attribute.type === 'complex') sub = 'value'
  const items = Array.isArray(top) ? top : [top]
  const out: unknown[] = []
  for (const item of items) {
    const value = sub === undefined ? item : getKey(item, sub)
    if (Array.isArray(value)) {
      for (const v of value) if (!isUnassigned(v)) out.push(v)
    } else if (!isUnassigned(value)) out.push(value)
  }
  return out
}

function compareValue(
  op: CompareOperator,
  actual: unknown,
  expected: FilterValue,
  raw: string | undefined,
  definition: AttributeDefinition,
): boolean {
  switch (definition.type) {
    case 'boolean': {
      const a = toBoolean(actual)
      const b = toBoolean(expected)
      if (a === undefined || b === undefined) return false
      return op === 'ne' ? a !== b : a === b
    }
    case 'integer':
    case 'decimal': {
      const a = typeof actual === 'number' ? actual : Number(actual)
      const b = typeof expected === 'number' ? expected : Number(expected)
      if (Number.isNaN(a) || Number.isNaN(b)) return false
      return ordered(op, a, b, String(a), String(b))
    }
    case 'dateTime': {
      const textA = String(actual)
      const textB = raw ?? String(expected)
      if (op === 'gt' || op === 'ge' || op === 'lt' || op === 'le' || op === 'eq' || op === 'ne') {
        const a = Date.parse(textA)
        const b = Date.parse(textB)
        if (!Number.isNaN(a) && !Number.isNaN(b)) return ordered(op, a, b, textA, textB)
      }
      return ordered(
        op,
        textA.toLowerCase(),
        textB.toLowerCase(),
        textA.toLowerCase(),
        textB.toLowerCase(),
      )
    }
    default: {
      if (typeof actual === 'object') return false
      let a = String(actual)
      let b = raw ?? String(expected)
      if (!definition.caseExact) {
        a = a.toLowerCase()
        b = b.toLowerCase()
      }
      return ordered(op, a, b, a, b)
    }
  }
}

function ordered<T extends string | number>(
  op: CompareOperator,
  a: T,
  b: T,
  textA: string,
  textB: string,
): boolean {
  switch (op) {
    case 'eq':
      return a === b
    case 'ne':
      return a !== b
    case 'co':
      return textA.includes(textB)
    case 'sw':
      return textA.startsWith(textB)
    case 'ew':
      return textA.endsWith(textB)
    case 'gt':
      return a > b
    case 'ge':
      return a >= b
    case 'lt':
      return a < b
    case 'le':
      return a <= b
  }
}

type Resolver = (path: string) => {
  values: (item: unknown, implicitValue: boolean) => unknown[]
  definition: AttributeDefinition
  resolved?: ResolvedAttribute
}

function evaluateNode(node: FilterNode, subject: unknown, resolve: Resolver): boolean {
  switch (node.type) {
    case 'and':
      return evaluateNode(node.left, subject, resolve) && evaluateNode(node.right, subject, resolve)
    case 'or':
      return evaluateNode(node.left, subject, resolve) || evaluateNode(node.right, subject, resolve)
    case 'not':
      return !evaluateNode(node.filter, subject, resolve)
    case 'present': {
      const target = resolve(node.path)
      return target.values(subject, false).length > 0
    }
    case 'compare': {
      const target = resolve(node.path)
      const values = target.values(subject, true)
      if (node.value === null)
        return node.op === 'ne' ? values.length > 0 : node.op === 'eq' ? values.length === 0 : false
      const definition = comparedDefinition(target.definition, node.path)
      if (node.op === 'ne') {
        // ne is the negation of eq over all values: a missing attribute is "not equal".
        for (const v of values)
          if (compareValue('eq', v, node.value, node.raw, definition)) return false
        return true
      }
      for (const v of values)
        if (compareValue(node.op, v, node.value, node.raw, definition)) return true
      return false
    }
    case 'valuePath': {
      const target = resolve(node.path)
      const parent = target.definition
      const relative: Resolver = (path) => {
        const definition = resolveRelative(parent, path)
        return {
          definition,
          values: (item, implicitValue) => {
            const v = getKey(item, definition.name)
            if (isUnassigned(v)) return []
            if (implicitValue && definition.type === 'complex') {
              const inner = getKey(v, 'value')
              return isUnassigned(inner) ? [] : [inner]
            }
            return Array.isArray(v) ? v.filter((x) => !isUnassigned(x)) : [v]
          },
        }
      }
      const items = target.values(subject, false)
      for (const item of items) {
        if (item === null || typeof item !== 'object') continue
        if (!evaluateNode(node.filter, item, relative)) continue
        if (!node.then || evaluateNode(node.then, item, relative)) return true
      }
      return false
    }
  }
}

const topResolvers: Record<ResourceKind, Resolver> = {
  User: makeTopResolver('User'),
  Group: makeTopResolver('Group'),
}

function makeTopResolver(kind: ResourceKind): Resolver {
  return (path) => {
    const resolved = resolveTop(kind, path)
    return {
      definition: resolved.leaf,
      resolved,
      values: (item, implicitValue) =>
        collectValues(item as Record<string, unknown>, resolved, implicitValue),
    }
  }
}

/** Whether the resource matches. Multi-valued attributes match if any value matches. */
export function evaluateFilter(
  node: FilterNode,
  resource: Record<string, unknown>,
  kind: ResourceKind,
): boolean {
  validateFilter(node, kind)
  return evaluateNode(node, resource, topResolvers[kind])
}

/**
 * Evaluates a filter whose paths are sub-attribute names against one value of a multi-valued
 * attribute (the `[...]` part of a PATCH path such as `members[value eq "abc"]`).
 */
export function evaluateValueFilter(
  node: FilterNode,
  item: unknown,
  parent: AttributeDefinition,
): boolean {
  return compileValueFilter(node, parent)(item)
}

/**
 * Validates a value filter once (400 invalidFilter) and returns a predicate over the values of
 * `parent`, for matching many values (a large group's members) without re-resolving names.
 */
export function compileValueFilter(
  node: FilterNode,
  parent: AttributeDefinition,
): (item: unknown) => boolean {
  validateNode(node, (path) => ({ definition: resolveRelative(parent, path) }))
  const targets = new Map<string, ReturnType<Resolver>>()
  const resolver: Resolver = (path) => {
    let target = targets.get(path)
    if (!target) {
      const definition = resolveRelative(parent, path)
      target = {
        definition,
        values: (subject) => {
          const v = getKey(subject, definition.name)
          if (isUnassigned(v)) return []
          return Array.isArray(v) ? v.filter((x) => !isUnassigned(x)) : [v]
        },
      }
      targets.set(path, target)
    }
    return target
  }
  return (item) => evaluateNode(node, item, resolver)
}

// ---------------------------------------------------------------------------------------------
// Index push-down

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
