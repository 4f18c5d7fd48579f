/**
 * SCIM filters (RFC 7644 §3.4.2.2): a hand-written tokenizer and recursive-descent parser
 * (no regular expressions, so no backtracking on hostile input), an evaluator that follows the
 * schema's caseExact and type rules, index push-down for the store, and sorting.
 */
import { ScimError } from './scim-error.ts'
import {
  lookupSubAttribute,
  resolveAttributePath,
  type AttributeDefinition,
  type ResolvedAttribute,
  type ResourceKind,
} from './schema-definitions.ts'

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le'
export type FilterValue = string | number | boolean | null

export type FilterNode =
  | {
      type: 'compare'
      path: string
      op: CompareOperator
      value: FilterValue
      /** The token as written when the value was not quoted (Entra: `externalId eq 5a6c`). */
      raw?: string
    }
  | { type: 'present'; path: string }
  | { type: 'and'; left: FilterNode; right: FilterNode }
  | { type: 'or'; left: FilterNode; right: FilterNode }
  | { type: 'not'; filter: FilterNode }
  | {
      type: 'valuePath'
      /** The multi-valued (or complex) attribute whose values the bracket filter selects. */
      path: string
      /** Evaluated against each value; its paths are sub-attribute names. */
      filter: FilterNode
      /** `emails[type eq "work"].value eq "x"`: a test on a sub-attribute of the same value. */
      then?: FilterNode
    }

const COMPARE_OPERATORS: ReadonlySet<string> = new Set([
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
])
const OPERATOR_LIST = 'eq, ne, co, sw, ew, gt, ge, lt, le or pr'
const MAX_FILTER_LENGTH = 4096
const MAX_DEPTH = 50

// ---------------------------------------------------------------------------------------------
// Tokenizer

type TokenKind = 'word' | 'string' | '(' | ')' | '[' | ']' | 'end'
interface Token {
  kind: TokenKind
  /** The source text (for strings: the decoded value). */
  text: string
  /** 0-based offset in the filter. */
  start: number
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13
}

/** Characters that end a bare word: space, parentheses, brackets, quote. */
function isDelimiter(c: number): boolean {
  return isSpace(c) || c === 40 || c === 41 || c === 91 || c === 93 || c === 34
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the filter'
  if (token.kind === 'string') return `the string ${JSON.stringify(token.text)}`
  return `"${token.text}"`
}

class Parser {
  text: string
  pos = 0
  depth = 0
  private lookahead: Token | undefined

  constructor(text: string) {
    this.text = text
  }

  fail(message: string, at: number): never {
    const column = at + 1
    throw new ScimError(
      400,
      `Invalid filter at position ${column}: ${message}. Filter: ${this.text.length > 200 ? this.text.slice(0, 200) + '…' : this.text}. ` +
        'Example of a valid filter: userName eq "jdoe@example.com"',
      'invalidFilter',
    )
  }

  peek(): Token {
    if (!this.lookahead) this.lookahead = this.scan()
    return this.lookahead
  }

  next(): Token {
    const token = this.peek()
    this.lookahead = undefined
    return token
  }

  private scan(): Token {
    const text = this.text
    let i = this.pos
    while (i < text.length && isSpace(text.charCodeAt(i))) i++
    if (i >= text.length) {
      this.pos = i
      return { kind: 'end', text: '', start: i }
    }
    const c = text.charCodeAt(i)
    if (c === 40 || c === 41 || c === 91 || c === 93) {
      this.pos = i + 1
      return { kind: text[i] as TokenKind, text: text[i] as string, start: i }
    }
    if (c === 34) return this.scanString(i)
    let j = i
    while (j < text.length && !isDelimiter(text.charCodeAt(j))) j++
    this.pos = j
    return { kind: 'word', text: text.slice(i, j), start: i }
  }

  private scanString(start: number): Token {
    const text = this.text
    let i = start + 1
    let escaped = false
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 92) {
        escaped = true
        i += 2
        continue
      }
      if (c === 34) break
      i++
    }
    if (i >= text.length) this.fail('the string that starts here is never closed with "', start)
    this.pos = i + 1
    const body = text.slice(start + 1, i)
    if (!escaped) return { kind: 'string', text: body, start }
    try {
      return { kind: 'string', text: JSON.parse(`"${body}"`) as string, start }
    } catch {
      return this.fail('the string contains an invalid escape sequence', start)
    }
  }

  // -------------------------------------------------------------------------------------------
  // Grammar: filter := and ("or" and)*; and := unary ("and" unary)*;
  // unary := "not" unary | "(" filter ")" | attrExpression

  parseFilter(inBracket: boolean): FilterNode {
    if (++this.depth > MAX_DEPTH) this.fail('the filter is nested too deeply', this.pos)
    let left = this.parseAnd(inBracket)
    while (this.isKeyword(this.peek(), 'or')) {
      this.next()
      left = { type: 'or', left, right: this.parseAnd(inBracket) }
    }
    this.depth--
    return left
  }

  private parseAnd(inBracket: boolean): FilterNode {
    let left = this.parseUnary(inBracket)
    while (this.isKeyword(this.peek(), 'and')) {
      this.next()
      left = { type: 'and', left, right: this.parseUnary(inBracket) }
    }
    return left
  }

  private parseUnary(inBracket: boolean): FilterNode {
    const token = this.peek()
    if (this.isKeyword(token, 'not')) {
      this.next()
      return { type: 'not', filter: this.parseUnary(inBracket) }
    }
    if (token.kind === '(') {
      this.next()
      const inner = this.parseFilter(inBracket)
      const close = this.next()
      if (close.kind !== ')')
        this.fail(
          `expected ")" to close the "(" at position ${token.start + 1}, found ${describe(close)}`,
          close.start,
        )
      return inner
    }
    return this.parseAttributeExpression(inBracket)
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return (
      token.kind === 'word' &&
      token.text.length === keyword.length &&
      token.text.toLowerCase() === keyword
    )
  }

  private parseAttributeExpression(inBracket: boolean): FilterNode {
    const token = this.next()
    if (token.kind !== 'word') {
      this.fail(`expected an attribute name, found ${describe(token)}`, token.start)
    }
    const path = token.text
    this.checkPath(path, token.start)
    const after = this.peek()
    if (after.kind === '[') {
      if (inBracket) this.fail('value filters cannot be nested inside another "[...]"', after.start)
      this.next()
      const inner = this.parseFilter(true)
      const close = this.next()
      if (close.kind !== ']')
        this.fail(
          `expected "]" to close the "[" at position ${after.start + 1}, found ${describe(close)}`,
          close.start,
        )
      // `emails[type eq "work"].value eq "x"`: the sub-attribute is glued to the "]".
      const glued = this.peek()
      if (glued.kind === 'word' && glued.start === close.start + 1) {
        if (glued.text.charCodeAt(0) !== 46 || glued.text.length < 2) {
          this.fail(
            `expected ".subAttribute" or a space after "]", found ${describe(glued)}`,
            glued.start,
          )
        }
        this.next()
        const sub = glued.text.slice(1)
        this.checkPath(sub, glued.start + 1)
        if (sub.includes('.'))
          this.fail(`"${sub}" is not a single sub-attribute name`, glued.start + 1)
        return {
          type: 'valuePath',
          path,
          filter: inner,
          then: this.parseComparison(sub, glued.start + 1),
        }
      }
      return { type: 'valuePath', path, filter: inner }
    }
    return this.parseComparison(path, token.start)
  }

  private checkPath(path: string, at: number): void {
    const c = path.charCodeAt(0)
    const isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    if (!isLetter) this.fail(`expected an attribute name, found "${path}"`, at)
    if (path.endsWith('.') || path.endsWith(':'))
      this.fail(`attribute path "${path}" is incomplete`, at)
  }

  private parseComparison(path: string, pathStart: number): FilterNode {
    const opToken = this.next()
    if (opToken.kind !== 'word') {
      this.fail(
        `expected an operator (${OPERATOR_LIST}) after "${path}" at position ${pathStart + 1}, found ${describe(opToken)}`,
        opToken.start,
      )
    }
    const op = opToken.text.toLowerCase()
    if (op === 'pr') return { type: 'present', path }
    if (!COMPARE_OPERATORS.has(op)) {
      this.fail(
        `unknown operator "${opToken.text}" after "${path}"; expected one of ${OPERATOR_LIST}`,
        opToken.start,
      )
    }
    const valueToken = this.next()
    if (valueToken.kind === 'string') {
      return { type: 'compare', path, op: op as CompareOperator, value: valueToken.text }
    }
    if (valueToken.kind !== 'word') {
      this.fail(
        `expected a value after "${path} ${opToken.text}" (a quoted string, number, true, false or null), found ${describe(valueToken)}`,
        valueToken.start,
      )
    }
    return {
      type: 'compare',
      path,
      op: op as CompareOperator,
      value: bareValue(valueToken.text),
      raw: valueToken.text,
    }
  }
}

/** true/false/null and JSON numbers keep their type; anything else is a string (Entra). */
function bareValue(text: string): FilterValue {
  const lower = text.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  if (lower === 'null') return null
  return isJsonNumber(text) ? Number(text) : text
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

function isJsonNumber(text: string): boolean {
  let i = 0
  const n = text.length
  if (text.charCodeAt(i) === 45) i++
  if (i >= n || !isDigit(text.charCodeAt(i))) return false
  if (text.charCodeAt(i) === 48 && i + 1 < n && isDigit(text.charCodeAt(i + 1))) return false
  while (i < n && isDigit(text.charCodeAt(i))) i++
  if (i < n && text.charCodeAt(i) === 46) {
    i++
    if (i >= n || !isDigit(text.charCodeAt(i))) return false
    while (i < n && isDigit(text.charCodeAt(i))) i++
  }
  if (i < n && (text.charCodeAt(i) | 32) === 101) {
    i++
    if (i < n && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++
    if (i >= n || !isDigit(text.charCodeAt(i))) return false
    while (i < n && isDigit(text.charCodeAt(i))) i++
  }
  return i === n
}

function isPathChar(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    isDigit(c) ||
    c === 46 /* . */ ||
    c === 58 /* : */ ||
    c === 95 /* _ */ ||
    c === 36 /* $ */ ||
    c === 45 /* - */
  )
}

/**
 * The shape every IdP sends on every match: `attr eq "value"` with no escapes. Recognised in
 * one pass without building tokens; anything else goes through the full parser.
 */
function parseSimpleEquality(text: string): FilterNode | undefined {
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

/**
 * Parses a filter. Throws ScimError 400 invalidFilter naming the position and what was
 * expected. With `kind`, attribute names and operator/type combinations are checked too.
 */
export function parseFilter(text: string, kind?: ResourceKind): FilterNode {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ScimError(
      400,
      'Invalid filter: the filter is empty. Example: userName eq "jdoe@example.com"',
      'invalidFilter',
    )
  }
  if (text.length > MAX_FILTER_LENGTH) {
    throw new ScimError(
      400,
      `Invalid filter: longer than ${MAX_FILTER_LENGTH} characters`,
      'invalidFilter',
    )
  }
  let node = parseSimpleEquality(text)
  if (!node) {
    const parser = new Parser(text)
    node = parser.parseFilter(false)
    const rest = parser.next()
    if (rest.kind !== 'end') {
      parser.fail(
        `expected "and", "or" or the end of the filter, found ${describe(rest)}`,
        rest.start,
      )
    }
  }
  if (kind) validateFilter(node, kind)
  return node
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
  if (!resolved) invalid(`"${path}" is not an attribute of ${kind} resources`)
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

function getKey(object: unknown, name: string): unknown {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return undefined
  const record = object as Record<string, unknown>
  if (Object.hasOwn(record, name)) return record[name]
  // Stored resources use canonical names; this only catches hand-written or legacy data.
  const lower = name.toLowerCase()
  for (const key in record) if (key.toLowerCase() === lower) return record[key]
  return undefined
}

function isUnassigned(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  )
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

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    const lower = value.toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
  }
  return undefined
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
  validateNode(node, (path) => ({ definition: resolveRelative(parent, path) }))
  const resolver: Resolver = (path) => {
    const definition = resolveRelative(parent, path)
    return {
      definition,
      values: (subject) => {
        const v = getKey(subject, definition.name)
        if (isUnassigned(v)) return []
        return Array.isArray(v) ? v.filter((x) => !isUnassigned(x)) : [v]
      },
    }
  }
  return evaluateNode(node, item, resolver)
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

// ---------------------------------------------------------------------------------------------
// Sorting (RFC 7644 §3.4.2.3)

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
