import { ScimError } from '../scim-error.ts'
import { MAX_PAGE } from './scim-context.ts'

/** The list parameters of RFC 7644 §3.4.2, from a query string or a .search body. */

const DEFAULT_PAGE = 100

export interface ListParams {
  filter?: string
  startIndex: number
  count: number
  sortBy?: string
  sortOrder?: string
  attributes?: string
  excludedAttributes?: string
}

function intParam(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  const n = typeof raw === 'number' ? raw : Number(raw)
  if (!Number.isFinite(n) || !Number.isInteger(n)) {
    throw new ScimError(400, `${name} must be an integer, got "${String(raw)}".`, 'invalidValue')
  }
  return n
}

function listString(raw: unknown, name: string): string | undefined {
  if (raw === undefined || raw === null) return undefined
  if (typeof raw === 'string') return raw
  if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw.join(',')
  throw new ScimError(400, `${name} must be a string or an array of strings.`, 'invalidValue')
}

export function listParams(source: Record<string, unknown>): ListParams {
  const start = intParam(source.startIndex, 'startIndex')
  const count = intParam(source.count, 'count')
  const filter = source.filter
  if (filter !== undefined && typeof filter !== 'string') {
    throw new ScimError(400, 'filter must be a string.', 'invalidFilter')
  }
  const str = (k: string): string | undefined => {
    const v = source[k]
    if (v === undefined) return undefined
    if (typeof v !== 'string') throw new ScimError(400, `${k} must be a string.`, 'invalidValue')
    return v
  }
  return {
    filter: filter === undefined || filter.trim() === '' ? undefined : filter,
    // RFC 7644 §3.4.2.4: startIndex below 1 means 1; a negative count means 0.
    // Beyond 2^53 a start index is meaningless and no longer binds as an SQLite integer.
    startIndex: start === undefined || start < 1 ? 1 : Math.min(start, Number.MAX_SAFE_INTEGER),
    count: count === undefined ? DEFAULT_PAGE : Math.min(Math.max(count, 0), MAX_PAGE),
    sortBy: str('sortBy'),
    sortOrder: str('sortOrder'),
    attributes: listString(source.attributes, 'attributes'),
    excludedAttributes: listString(source.excludedAttributes, 'excludedAttributes'),
  }
}

export function queryObject(url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  // Parameter names are matched case-insensitively: clients send `startindex` or `Filter` too.
  const known = [
    'filter',
    'startIndex',
    'count',
    'sortBy',
    'sortOrder',
    'attributes',
    'excludedAttributes',
  ]
  for (const [k, v] of url.searchParams) {
    const name = known.find((n) => n.toLowerCase() === k.toLowerCase())
    if (name) out[name] = v
  }
  return out
}

export function projection(p: { attributes?: string; excludedAttributes?: string }): {
  attributes?: string
  excludedAttributes?: string
} {
  const out: { attributes?: string; excludedAttributes?: string } = {}
  if (p.attributes !== undefined && p.attributes.trim() !== '') out.attributes = p.attributes
  if (p.excludedAttributes !== undefined && p.excludedAttributes.trim() !== '')
    out.excludedAttributes = p.excludedAttributes
  return out
}

/** Whether the projection keeps `attr` at all, so the membership queries can be skipped. */
export function wants(
  p: { attributes?: string; excludedAttributes?: string },
  attr: string,
): boolean {
  if (p.attributes) return new RegExp(`(^|[,\\s.:])${attr}($|[,\\s.\\[])`, 'i').test(p.attributes)
  // Only the whole attribute excluded drops it; `members.display` still needs the members.
  if (p.excludedAttributes)
    return !new RegExp(`(^|[,\\s:])${attr}\\s*($|,)`, 'i').test(p.excludedAttributes)
  return true
}
