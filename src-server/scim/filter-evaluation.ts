import { getField, isObject, isUnassigned, toBoolean } from './attribute-values.ts'
import type { CompareOperator, FilterNode, FilterValue } from './filter-parser.ts'
import type { AttributeDefinition, ResolvedAttribute, ResourceKind } from './schema-definitions.ts'
import {
  comparedDefinition,
  resolveRelative,
  resolveTop,
  validateFilter,
  validateNode,
} from './filter-validation.ts'

/**
 * A filter evaluated on a rendered resource: comparisons follow each attribute's type and
 * caseExact; a multi-valued attribute matches when any value does.
 */

function getKey(object: unknown, name: string): unknown {
  // Stored resources use canonical names; getField also finds other spellings.
  return isObject(object) ? getField(object, name) : undefined
}

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
