/**
 * SCIM filters (RFC 7644 §3.4.2.2): the entry point. Grammar in filter-parser.ts, schema checks in
 * filter-validation.ts, matching in filter-evaluation.ts, the store's index push-down in
 * filter-push-down.ts.
 */
import { parseFilterSyntax, type FilterNode } from './filter-parser.ts'
import type { ResourceKind } from './schema-definitions.ts'
import { validateFilter } from './filter-validation.ts'

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

export { validateFilter } from './filter-validation.ts'
export { compileValueFilter, evaluateFilter, evaluateValueFilter } from './filter-evaluation.ts'
export { findIndexableEquality, type IndexableEquality } from './filter-push-down.ts'
