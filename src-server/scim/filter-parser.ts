/**
 * The SCIM filter grammar (RFC 7644 §3.4.2.2): a hand-written tokenizer and recursive-descent
 * parser. No regular expressions, so hostile input cannot cause backtracking, and a one-pass
 * fast path for the `attr eq "value"` filter every IdP sends on every match.
 */
import { ScimError } from './scim-error.ts'
import { parseSimpleEquality } from './filter-fast-path.ts'
import {
  bareValue,
  decodeEscapes,
  describe,
  isDelimiter,
  isSpace,
  type Token,
  type TokenKind,
} from './filter-lexing.ts'

export { parseSimpleEquality } from './filter-fast-path.ts'

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
// Parser (tokens and lexical helpers in filter-lexing.ts, the fast path in filter-fast-path.ts)

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
    return { kind: 'string', text: escaped ? decodeEscapes(body) : body, start }
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

/**
 * Parses filter syntax only (no schema): 400 invalidFilter naming the position and what was
 * expected. Most callers want parseFilter in filter.ts, which also checks attribute names.
 */
export function parseFilterSyntax(text: string): FilterNode {
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
  return node
}
