import type { FilterNode } from './filter-parser.ts'
import { isPathChar } from './filter-lexing.ts'

/**
 * The shape every IdP sends on every match: `attr eq "value"` with no escapes. Recognised in
 * one pass without building tokens; returns undefined for anything else (which parseFilter
 * hands to the full parser). Does not check the attribute against a schema.
 */
export function parseSimpleEquality(text: string): FilterNode | undefined {
  const n = text.length
  let i = 0
  while (i < n && text.charCodeAt(i) === 32) i++
  const pathStart = i
  const first = text.charCodeAt(i)
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return undefined
  while (i < n && isPathChar(text.charCodeAt(i))) i++
  const pathEnd = i
  if (i >= n || text.charCodeAt(i) !== 32) return undefined
  while (i < n && text.charCodeAt(i) === 32) i++
  if (i + 2 >= n || (text.charCodeAt(i) | 32) !== 101 || (text.charCodeAt(i + 1) | 32) !== 113) {
    return undefined
  }
  i += 2
  if (text.charCodeAt(i) !== 32) return undefined
  while (i < n && text.charCodeAt(i) === 32) i++
  if (text.charCodeAt(i) !== 34) return undefined
  const valueStart = ++i
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 92) return undefined
    if (c === 34) break
    i++
  }
  if (i >= n) return undefined
  const valueEnd = i++
  while (i < n && text.charCodeAt(i) === 32) i++
  if (i !== n) return undefined
  const path = text.slice(pathStart, pathEnd)
  if (path.endsWith('.') || path.endsWith(':')) return undefined
  return { type: 'compare', path, op: 'eq', value: text.slice(valueStart, valueEnd) }
}
