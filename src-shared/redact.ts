/**
 * The one redaction function. Every sink that can outlive the process (log lines, reports, HAR
 * files, provisioning events, clipboard-free copies such as "copy as curl") passes through it.
 */

export const REDACTED = '[REDACTED]'

const SENSITIVE_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-admin-key)$/i
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g
// Auth schemes are case-insensitive (RFC 9110), so servers echo `bearer …` too; the length floor
// keeps prose such as "the bearer token" readable.
const ANY_CASE_BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{16,}/gi
const PREFIXED_SECRET = /\bscimc_[A-Za-z0-9_-]{10,}/g
// `https://user:password@host`: keeps the user name (useful when debugging), drops the password.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]*@/gi
const SENSITIVE_NAMES =
  'password|secret|token|access_token|accesstoken|refresh_token|refreshtoken|client_secret|clientsecret|' +
  'demotoken|apikey|api_key|adminkey|admin_key|bearer'
// The same names inside text that is not (yet) an object: a query string or form body
// (`?access_token=…`), and JSON that could not be parsed (a malformed SCIM body with `password`).
const QUERY_SECRET = new RegExp(`([?&#;]|^)(${SENSITIVE_NAMES})=[^&#\\s]*`, 'gi')
const JSON_SECRET = new RegExp(`("(?:${SENSITIVE_NAMES})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi')

const SENSITIVE_KEY = new RegExp(`^(${SENSITIVE_NAMES})$`, 'i')

const known = new Set<string>()

/** Registers a secret value so that it is scrubbed wherever it appears, even in free text. */
export function registerSecret(value: string): void {
  if (value.length >= 8) known.add(value)
}

export function forgetSecret(value: string): void {
  known.delete(value)
}

export function redactString(text: string): string {
  const scheme = (_m: string, name: string): string => `${name} ${REDACTED}`
  let out = text.replace(BEARER, scheme).replace(ANY_CASE_BEARER, scheme)
  out = out.replace(PREFIXED_SECRET, REDACTED)
  out = out.replace(URL_PASSWORD, `$1:${REDACTED}@`)
  out = out.replace(QUERY_SECRET, `$1$2=${REDACTED}`)
  out = out.replace(JSON_SECRET, `$1"${REDACTED}"`)
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED)
  }
  return out
}

/**
 * Deep-redacts any JSON-like value: header maps, SCIM bodies (`password`), nested objects and
 * strings that embed tokens. Returns a new value; the input is not modified.
 */
export function redact<T>(value: T): T {
  return redactValue(value, undefined) as T
}

function redactValue(value: unknown, key: string | undefined): unknown {
  if (key !== undefined && (SENSITIVE_HEADER.test(key) || SENSITIVE_KEY.test(key))) {
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
    const sensitivePair = typeof pairName === 'string' && SENSITIVE_HEADER.test(pairName)
    for (const [k, v] of Object.entries(value)) {
      out[k] = sensitivePair && k === 'value' ? redactValue(v, pairName) : redactValue(v, k)
    }
    return out
  }
  return value
}
