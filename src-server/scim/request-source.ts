import {
  HARNESS_PRODUCT,
  REPLAY_HEADER,
  REPLAY_PRODUCT,
  RUN_HEADER,
  RUN_ID_PATTERN,
} from '../../src-shared/console-traffic.ts'
import type { EventSource, EventSourceIdp } from '../../src-shared/provisioning-event.ts'
import { redactString } from '../../src-shared/redact.ts'

/**
 * Who sent a SCIM request, from its headers alone (pure: no I/O, no clock). Order matters:
 *
 * 1. the console's own marks (`X-Scim-Console-Run` / `-Replay`, or its product token in the
 *    User-Agent): its harness plays Okta's User-Agent on purpose, so the mark must win;
 * 2. an IdP that names itself in the User-Agent: Okta ("Okta SCIM Client 1.0.0", the test suites'
 *    "OKTA SCIM Integration"), Entra ID ("Microsoft.AAD.Provisioning", "Azure AD Provisioning"),
 *    or another IdP we know by name;
 * 3. a general-purpose client (curl, Postman, a script's HTTP library, a browser): `other`;
 * 4. no User-Agent at all: `other` (a hand-rolled client; every IdP we know sends one);
 * 5. any other User-Agent: `idp` with `sourceIdp: 'other'`. An IdP we cannot name must still
 *    count as the IdP: leaving real IdP traffic out of the diagnosis would be worse than counting
 *    an unusual script in.
 *
 * The token is not part of the decision (the harness uses the same token as the IdP); the event
 * keeps the token's hash prefix beside the source, so two IdP apps on one tenant stay apart.
 */

export interface RequestSource {
  source: Exclude<EventSource, 'unknown'>
  sourceIdp?: EventSourceIdp
  runId?: string
  userAgent: string | null
}

export type HeaderBag = Record<string, string | string[] | undefined>

const USER_AGENT_MAX = 256

const OKTA = /\bokta\b/i
const ENTRA =
  /Microsoft\.AAD\.Provisioning|Azure\s*AD\s*Provisioning|Azure Active Directory|\bAzureAD\b|\bEntra\b/i
const OTHER_IDPS =
  /\b(OneLogin|JumpCloud|PingFederate|PingOne|Ping Identity|SailPoint|IdentityNow|Auth0|Rippling|CyberArk|Keycloak|authentik|ZITADEL|Google)\b/i
/** General-purpose HTTP clients, matched on the User-Agent's first product token. */
const TOOLS =
  /^(curl|Wget|HTTPie|PostmanRuntime|insomnia|bruno|python-requests|python-urllib|python-httpx|Python|aiohttp|Go-http-client|node-fetch|node|undici|axios|got|okhttp|Java|Apache-HttpClient|Mozilla|PowerShell|WindowsPowerShell|Ruby|Faraday|libwww-perl|Deno|Bun|RestSharp|Dart)\b/i

function header(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name.toLowerCase()]
  return Array.isArray(v) ? v[0] : v
}

function cleanId(raw: string | undefined): string | undefined {
  const id = raw?.trim()
  return id !== undefined && RUN_ID_PATTERN.test(id) ? id : undefined
}

const markPatterns = new Map<string, RegExp>()

/** The id in the console's product token: `scim-console-harness/0.1.0 (run 1a2b)`. */
function markIn(ua: string, product: string): { found: boolean; id?: string } {
  let pattern = markPatterns.get(product)
  if (!pattern) {
    pattern = new RegExp(`\\b${product}/[^\\s(]*(?:\\s*\\((?:run|replay)\\s+([^)\\s]+)\\))?`, 'i')
    markPatterns.set(product, pattern)
  }
  const m = pattern.exec(ua)
  if (!m) return { found: false }
  const id = cleanId(m[1])
  return id === undefined ? { found: true } : { found: true, id }
}

function withId(source: RequestSource, id: string | undefined): RequestSource {
  return id === undefined ? source : { ...source, runId: id }
}

/**
 * Sources by User-Agent for requests without run or replay headers: an IdP sends the same one on
 * every request, and classifying it runs a handful of regular expressions.
 * Bounded, so a client varying its User-Agent cannot grow it without limit.
 */
const byUserAgent = new Map<string, RequestSource>()

export function requestSource(headers: HeaderBag): RequestSource {
  if (header(headers, RUN_HEADER) !== undefined || header(headers, REPLAY_HEADER) !== undefined)
    return classify(headers)
  const ua = header(headers, 'user-agent') ?? ''
  let source = byUserAgent.get(ua)
  if (source === undefined) {
    source = classify(headers)
    if (byUserAgent.size >= 256) byUserAgent.clear()
    byUserAgent.set(ua, source)
  }
  // Redacted afresh each time (a secret registered since must not come back from the cache), in
  // a copy: callers may add to what they get.
  const raw = ua.trim()
  return { ...source, userAgent: raw ? redactString(raw.slice(0, USER_AGENT_MAX)) : null }
}

function classify(headers: HeaderBag): RequestSource {
  const raw = header(headers, 'user-agent')?.trim()
  const userAgent = raw ? redactString(raw.slice(0, USER_AGENT_MAX)) : null
  const ua = raw ?? ''

  const run = header(headers, RUN_HEADER)
  const harnessMark = markIn(ua, HARNESS_PRODUCT)
  if (run !== undefined || harnessMark.found)
    return withId({ source: 'harness', userAgent }, cleanId(run) ?? harnessMark.id)
  const replay = header(headers, REPLAY_HEADER)
  const replayMark = markIn(ua, REPLAY_PRODUCT)
  if (replay !== undefined || replayMark.found)
    return withId({ source: 'replay', userAgent }, cleanId(replay) ?? replayMark.id)

  if (!raw) return { source: 'other', userAgent }
  if (OKTA.test(ua)) return { source: 'idp', sourceIdp: 'okta', userAgent }
  if (ENTRA.test(ua)) return { source: 'idp', sourceIdp: 'entra', userAgent }
  if (OTHER_IDPS.test(ua)) return { source: 'idp', sourceIdp: 'other', userAgent }
  if (TOOLS.test(ua)) return { source: 'other', userAgent }
  return { source: 'idp', sourceIdp: 'other', userAgent }
}
