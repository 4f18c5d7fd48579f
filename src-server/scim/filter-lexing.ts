import type { FilterValue } from './filter-parser.ts'

/** The filter grammar's lexical pieces: tokens, characters, string escapes, bare values. */

export type TokenKind = 'word' | 'string' | '(' | ')' | '[' | ']' | 'end'
export interface Token {
  kind: TokenKind
  /** The source text (for strings: the decoded value). */
  text: string
  /** 0-based offset in the filter. */
  start: number
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13
}

/** Characters that end a bare word: space, parentheses, brackets, quote. */
export function isDelimiter(c: number): boolean {
  return isSpace(c) || c === 40 || c === 41 || c === 91 || c === 93 || c === 34
}

export function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the filter'
  if (token.kind === 'string') return `the string ${JSON.stringify(token.text)}`
  return `"${token.text}"`
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}

/**
 * JSON string escapes. A backslash that starts no valid escape is kept as written, because
 * clients put Windows account names (DOMAIN\user) into filters without escaping them.
 */
export function decodeEscapes(body: string): string {
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string
    if (c !== '\\' || i + 1 >= body.length) {
      out += c
      continue
    }
    const next = body[i + 1] as string
    const simple = SIMPLE_ESCAPES[next]
    if (simple !== undefined) {
      out += simple
      i++
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16))
      i += 5
    } else {
      out += c
    }
  }
  return out
}

/** true/false/null and JSON numbers keep their type; anything else is a string (Entra). */
export function bareValue(text: string): FilterValue {
  const lower = text.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  if (lower === 'null') return null
  return isJsonNumber(text) ? Number(text) : text
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

export function isJsonNumber(text: string): boolean {
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

export function isPathChar(c: number): boolean {
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
