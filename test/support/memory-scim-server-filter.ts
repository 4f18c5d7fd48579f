import { ENTERPRISE, ScimError, type Json } from './memory-scim-server-model.ts'

/** The memory SCIM server's filter grammar: parse a filter, test a resource against it. */

type Filter =
  | { kind: 'cmp'; path: string; op: string; value: unknown }
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; inner: Filter }

const OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr'])

function tokenize(text: string): string[] {
  const tokens: string[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === '(' || c === ')') {
      tokens.push(c)
      i++
    } else if (c === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      tokens.push(text.slice(i, j + 1))
      i = j + 1
    } else {
      let j = i
      let depth = 0
      while (j < text.length && (depth > 0 || !/[\s()]/.test(text[j]!))) {
        if (text[j] === '[') depth++
        if (text[j] === ']') depth--
        if (text[j] === '"' && depth > 0) {
          j++
          while (j < text.length && text[j] !== '"') j++
        }
        j++
      }
      tokens.push(text.slice(i, j))
      i = j
    }
  }
  return tokens
}

export function parseFilter(text: string): Filter {
  const tokens = tokenize(text)
  let pos = 0
  const bad = (why: string): never => {
    throw new ScimError(400, `Invalid filter "${text}": ${why}`, 'invalidFilter')
  }
  const parseValue = (tok: string | undefined): unknown => {
    if (tok === undefined) return bad('missing value')
    if (tok.startsWith('"')) return JSON.parse(tok) as unknown
    if (tok === 'true') return true
    if (tok === 'false') return false
    if (tok === 'null') return null
    if (/^-?\d+(\.\d+)?$/.test(tok)) return Number(tok)
    return tok // Entra sends unquoted values: externalId eq jyoung
  }
  const primary = (): Filter => {
    const tok = tokens[pos++]
    if (tok === undefined) return bad('unexpected end')
    if (tok === '(') {
      const inner = orExpr()
      if (tokens[pos++] !== ')') bad('missing )')
      return inner
    }
    if (tok.toLowerCase() === 'not') return { kind: 'not', inner: primary() }
    const op = tokens[pos++]?.toLowerCase()
    if (!op || !OPS.has(op)) return bad(`unknown operator "${op}"`)
    if (op === 'pr') return { kind: 'cmp', path: tok, op, value: undefined }
    return { kind: 'cmp', path: tok, op, value: parseValue(tokens[pos++]) }
  }
  const andExpr = (): Filter => {
    let left = primary()
    while (tokens[pos]?.toLowerCase() === 'and') {
      pos++
      left = { kind: 'and', left, right: primary() }
    }
    return left
  }
  const orExpr = (): Filter => {
    let left = andExpr()
    while (tokens[pos]?.toLowerCase() === 'or') {
      pos++
      left = { kind: 'or', left, right: andExpr() }
    }
    return left
  }
  const f = orExpr()
  if (pos !== tokens.length) bad(`unexpected "${tokens[pos]}"`)
  return f
}

export function keyOf(obj: Json, name: string): string | undefined {
  return Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase())
}

export const ENTERPRISE_ATTRS =
  /^(manager|department|employeeNumber|costCenter|organization|division)(\.|$)/

/** Entra addresses enterprise attributes without their URN ("manager", "department"). */
function qualify(path: string): string {
  if (!ENTERPRISE_ATTRS.test(path)) return path
  return `${ENTERPRISE}:${path === 'manager' ? 'manager.value' : path}`
}

/** All values an attribute path reaches (multi-valued attributes fan out). */
function valuesAt(res: unknown, rawPath: string): unknown[] {
  const path = qualify(rawPath)
  let prefixObj: unknown = res
  let rest = path
  const urn = path.match(/^(urn:[^[\]]+):([^:]+)$/)
  if (urn) {
    const k = keyOf(res as Json, urn[1]!)
    prefixObj = k ? (res as Json)[k] : undefined
    rest = urn[2]!
  }
  const m = rest.match(/^([^[.]+)(?:\[(.+)\])?(?:\.(.+))?$/)
  if (!m) return []
  const [, attr, sub, tail] = m
  let cur: unknown[] = [prefixObj]
  const step = (name: string): void => {
    cur = cur.flatMap((o) => {
      if (o === null || typeof o !== 'object') return []
      const k = keyOf(o as Json, name)
      const v = k ? (o as Json)[k] : undefined
      return Array.isArray(v) ? v : v === undefined ? [] : [v]
    })
  }
  step(attr!)
  if (sub) {
    const f = parseFilter(sub)
    cur = cur.filter((o) => matches(o, f))
  }
  if (tail) for (const part of tail.split('.')) step(part)
  return cur
}

function caseExact(path: string): boolean {
  return /^(id|externalId)$/i.test(path)
}

function compare(actual: unknown, op: string, expected: unknown, exact: boolean): boolean {
  if (op === 'pr') return actual !== undefined && actual !== null
  if (typeof actual === 'boolean' && typeof expected === 'string') {
    expected =
      expected.toLowerCase() === 'true'
        ? true
        : expected.toLowerCase() === 'false'
          ? false
          : expected
  }
  let a = actual
  let e = expected
  if (typeof a === 'string' && typeof e === 'string' && !exact) {
    a = a.toLowerCase()
    e = e.toLowerCase()
  }
  switch (op) {
    case 'eq':
      return a === e
    case 'ne':
      return a !== e
    case 'co':
      return String(a).includes(String(e))
    case 'sw':
      return String(a).startsWith(String(e))
    case 'ew':
      return String(a).endsWith(String(e))
    case 'gt':
      return String(a) > String(e)
    case 'ge':
      return String(a) >= String(e)
    case 'lt':
      return String(a) < String(e)
    case 'le':
      return String(a) <= String(e)
  }
  return false
}

export function matches(res: unknown, f: Filter): boolean {
  switch (f.kind) {
    case 'and':
      return matches(res, f.left) && matches(res, f.right)
    case 'or':
      return matches(res, f.left) || matches(res, f.right)
    case 'not':
      return !matches(res, f.inner)
    case 'cmp': {
      const values = valuesAt(res, f.path)
      if (f.op === 'ne') return values.every((v) => compare(v, 'ne', f.value, caseExact(f.path)))
      if (f.op === 'pr') return values.length > 0
      return values.some((v) => compare(v, f.op, f.value, caseExact(f.path)))
    }
  }
}
