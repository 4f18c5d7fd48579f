/**
 * The one redaction function. Every sink that can outlive the process (log lines, reports, HAR
 * files, provisioning events, clipboard-free copies such as "copy as curl") passes through it.
 */

export const REDACTED = '[REDACTED]'

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-admin-key',
])
// Auth schemes are case-insensitive (RFC 9110), so servers echo `bearer …` too. Whether what
// follows is a credential is decided by `isTokenShaped`, so that prose ("the bearer token", an app
// named "OAuth Bearer Token") stays readable. The word is not consumed when it is not a token:
// "Bearer Bearer <token>" still finds the second one.
const AUTH_SCHEME = /\b(bearer|basic)(\s+)([\w.~+/=-]*)/gi
const PREFIXED_SECRET = /\bscimc_[\w-]{10,}/g
// `https://user:password@host`: keeps the user name (useful when debugging), drops the password.
// It starts at `://`, never at each letter of a would-be scheme: a scheme-first pattern rescans
// `a.a.a.…` from every position (quadratic; issue #12). Every character class stops at the next
// `/`, so each character is read by at most one attempt.
const URL_PASSWORD = /(:\/\/[^\s/?#@:]*):[^\s/?#@]*@/g
const SENSITIVE_NAMES =
  'password|secret|token|access_token|accesstoken|refresh_token|refreshtoken|client_secret|clientsecret|' +
  'demotoken|apikey|api_key|adminkey|admin_key|bearer'
// The same names inside text that is not (yet) an object: a query string or form body
// (`?access_token=…`), and JSON that could not be parsed (a malformed SCIM body with `password`).
const QUERY_SECRET = new RegExp(`([?&#;]|^)(${SENSITIVE_NAMES})=[^&#\\s]*`, 'gi')
// A string cut off by a length cap has no closing quote: the end of the text closes it.
const JSON_SECRET = new RegExp(
  `("(?:${SENSITIVE_NAMES})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*(?:"|\\\\?$)`,
  'gi',
)

// Keys are tested once per object property (a page of 100 users has ~3,000): a set lookup, with
// the length first so that ordinary keys are not even lower-cased.
const SENSITIVE_KEYS = new Set([...SENSITIVE_NAMES.split('|'), ...SENSITIVE_HEADERS])
const LONGEST_SENSITIVE_KEY = Math.max(...[...SENSITIVE_KEYS].map((k) => k.length))
function isSensitiveKey(key: string): boolean {
  return key.length <= LONGEST_SENSITIVE_KEY && SENSITIVE_KEYS.has(key.toLowerCase())
}

// What every pattern above needs somewhere in the text: a scheme word, the token prefix, `://` or
// a sensitive name. Most strings (names, ids, e-mail addresses, dates) hold none, and one scan for
// them is far cheaper than the five patterns (the harness redacts ~10,000 strings a run).
const MAY_MATCH = new RegExp(`basic|scimc_|://|${SENSITIVE_NAMES}`, 'i')
const SENSITIVE_NAME = new RegExp(SENSITIVE_NAMES, 'i')
const AUTH_WORD = /bearer|basic/i

const known = new Set<string>()
// Each registered secret as JSON text shows it (a quote, backslash or control character escaped),
// for redactsToItself.
const knownInJson = new Map<string, string>()

/** Registers a secret value so that it is scrubbed wherever it appears, even in free text. */
export function registerSecret(value: string): void {
  if (value.length < 8) return
  known.add(value)
  knownInJson.set(value, JSON.stringify(value).slice(1, -1))
}

export function forgetSecret(value: string): void {
  known.delete(value)
  knownInJson.delete(value)
}

/** Texts longer than this are cut (with a note) by `redactCapped` before they are redacted. */
export const REDACT_MAX_CHARS = 1024 * 1024

/**
 * Whether the word after an auth scheme is a credential, never an ordinary word: after `Bearer`
 * or `Basic` as a header writes them, 8 or more characters of the token68 alphabet that are not
 * a capitalised or upper-case word ("OAuth Bearer Token" is an app name); after any other casing
 * (`bearer`, prose), 16 or more, as before.
 */
export function isTokenShaped(word: string, scheme = 'Bearer'): boolean {
  if (scheme === 'Bearer' || scheme === 'Basic') {
    return word.length >= 8 && !/^[A-Z](?:[a-z]+|[A-Z]+)$/.test(word)
  }
  return word.length >= 16 && !/^[A-Za-z][a-z]+$/.test(word)
}

function redactAuthSchemes(text: string): string {
  AUTH_SCHEME.lastIndex = 0
  let out = ''
  let from = 0
  for (let m = AUTH_SCHEME.exec(text); m; m = AUTH_SCHEME.exec(text)) {
    const [, scheme, gap, word] = m as unknown as [string, string, string, string]
    if (isTokenShaped(word, scheme)) {
      out += `${text.slice(from, m.index)}${scheme} ${REDACTED}`
      from = AUTH_SCHEME.lastIndex
    } else {
      // Resume right after the scheme name, so that the word itself can be a scheme.
      AUTH_SCHEME.lastIndex = m.index + scheme.length + gap.length
    }
  }
  return from === 0 ? text : out + text.slice(from)
}

/**
 * The patterns in the order they run, each with a literal its pattern cannot match without (in
 * any case where the pattern ignores case): a resource's `location` or `$ref` passes
 * MAY_MATCH on `://` alone and needs only the URL pattern, and only when it holds an `@`.
 * Replacing with "[REDACTED]" never creates a literal, so testing the original text is enough.
 * Exported for the property test that runs every pattern on every text and compares.
 */
interface RedactionStep {
  needs: (text: string) => boolean
  apply: (text: string) => string
}
const URL_STEP: RedactionStep = {
  needs: (text) => text.includes('://') && text.includes('@'),
  apply: (t) => t.replace(URL_PASSWORD, `$1:${REDACTED}@`),
}
export const redactionSteps: readonly RedactionStep[] = [
  {
    needs: (text) => AUTH_WORD.test(text),
    apply: redactAuthSchemes,
  },
  { needs: (text) => text.includes('scimc_'), apply: (t) => t.replace(PREFIXED_SECRET, REDACTED) },
  URL_STEP,
  {
    // A query string's and a JSON text's secrets share their literal: one test for both.
    needs: (text) => SENSITIVE_NAME.test(text),
    apply: (t) =>
      t.replace(QUERY_SECRET, `$1$2=${REDACTED}`).replace(JSON_SECRET, `$1"${REDACTED}"`),
  },
]

/**
 * Scrubs credentials from free text. Linear in the length of the text (every pattern here is
 * checked by eslint-plugin-regexp's super-linear rules, and `redact.property.test.ts` measures it).
 */
export function redactString(text: string): string {
  let out = text
  if (MAY_MATCH.test(text)) {
    for (const step of redactionSteps) if (step.needs(text)) out = step.apply(out)
  }
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED)
  }
  return out
}

// What could make redactsToItself false before the URL pattern and the registered secrets: the
// other patterns' literals (`bearer` is a sensitive name), and a sensitive name or header name
// anywhere (a key, the `name` of a `{ name, value }` pair, a query or JSON pattern's name).
const MAY_REDACT = new RegExp(
  `basic|scimc_|${SENSITIVE_NAMES}|${[...SENSITIVE_HEADERS].join('|')}`,
  'i',
)

/**
 * Whether `redact(JSON.parse(json))` is that same value, found from the text alone. Each string
 * of the value stands in the text with some characters escaped; the patterns left after
 * MAY_REDACT (URLs) read an escape's backslash and letter as they read what it stands for or a
 * quote, so they match inside one string only where they also match in the whole text; a
 * registered secret stands in the text as JSON escapes it. So: none of the sensitive
 * names or header names anywhere (no key or header pair is redacted, no value holds a name the
 * query and JSON patterns look for, nor a scheme word or token prefix), and nothing the URL
 * pattern or a registered secret changes. Conservative: false means "maybe not", and the caller
 * redacts structurally. Lets a list page's event keep its resources' text (most SCIM resources
 * hold no credential) instead of parsing, redacting and serialising each again.
 */
export function redactsToItself(json: string): boolean {
  if (MAY_REDACT.test(json)) return false
  if (URL_STEP.needs(json) && URL_STEP.apply(json) !== json) return false
  for (const shown of knownInJson.values()) if (json.includes(shown)) return false
  return true
}

/**
 * For text from outside (request and response bodies): cut to `maxChars` first, then redact, so
 * that the work per text is bounded whatever its size. A secret cut in half is still redacted
 * (a JSON string without its closing quote ends at the cut).
 */
export function redactCapped(text: string, maxChars = REDACT_MAX_CHARS): string {
  if (text.length <= maxChars) return redactString(text)
  const cut = text.length - maxChars
  return `${redactString(text.slice(0, maxChars))}\n[scim-console: ${cut} more characters cut off]`
}

/**
 * Deep-redacts any JSON-like value: header maps, SCIM bodies (`password`), nested objects and
 * strings that embed tokens. Returns a new value; the input is not modified.
 */
export function redact<T>(value: T): T {
  return redactValue(value, undefined) as T
}

function redactValue(value: unknown, key: string | undefined): unknown {
  if (key !== undefined && isSensitiveKey(key)) {
    if (value === null || value === undefined || value === '') return value
    if (typeof value === 'string' && /^(Bearer|Basic)\s/i.test(value)) {
      return value.replace(/^(\S+)\s.*$/, `$1 ${REDACTED}`)
    }
    return REDACTED
  }
  if (typeof value === 'string') return redactString(value)
  if (Array.isArray(value)) return value.map((v) => redactValue(v, undefined))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    // HAR and fetch-style header lists are `{ name, value }` pairs: the name decides.
    const pairName = (value as { name?: unknown }).name
    const sensitivePair =
      typeof pairName === 'string' && SENSITIVE_HEADERS.has(pairName.toLowerCase())
    const record = value as Record<string, unknown>
    for (const k of Object.keys(record)) {
      const v = record[k]
      out[k] = sensitivePair && k === 'value' ? redactValue(v, pairName) : redactValue(v, k)
    }
    return out
  }
  return value
}
