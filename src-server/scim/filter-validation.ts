import { ScimError } from './scim-error.ts'
import { toBoolean } from './attribute-values.ts'
import type { FilterNode } from './filter-parser.ts'
import {
  lookupSubAttribute,
  resolveAttributePath,
  type AttributeDefinition,
  type ResolvedAttribute,
  type ResourceKind,
} from './schema-definitions.ts'

/** A parsed filter checked against the schema: attribute names, operators per type. */

export interface Target {
  definition: AttributeDefinition
  resolved?: ResolvedAttribute
}

export function invalid(detail: string): never {
  throw new ScimError(400, `Invalid filter: ${detail}`, 'invalidFilter')
}

export function resolveTop(kind: ResourceKind, path: string): ResolvedAttribute {
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

export function resolveRelative(parent: AttributeDefinition, path: string): AttributeDefinition {
  const sub = lookupSubAttribute(parent, path)
  if (!sub) invalid(`"${path}" is not a sub-attribute of "${parent.name}"`)
  return sub
}

/** The definition a comparison actually tests: complex attributes compare their `value`. */
export function comparedDefinition(
  definition: AttributeDefinition,
  path: string,
): AttributeDefinition {
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

export function validateNode(node: FilterNode, resolve: (path: string) => Target): void {
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
