/**
 * Which client created a user or group, told from the event that created it: its recorded source
 * (src-server/scim/request-source.ts decides it once, when the request arrives). Events stored
 * before sources were recorded fall back to reading the User-Agent.
 */

export type DirectoryClient = 'okta' | 'entra' | 'console' | 'other' | 'unknown'

export interface DirectorySource {
  client: DirectoryClient
  /** The creating request's User-Agent as received (capped), null when unknown. */
  userAgent: string | null
  /** The creating event's sequence number, for the log's story; null when it is no longer kept. */
  seq: number | null
  /** When it was created, per the event log. */
  time: string | null
}

/**
 * The conformance harness names everything it creates with this prefix and its run id
 * (src-main/onboarding/first-arrivals.ts), and its Okta profile sends Okta's own User-Agent.
 */
const HARNESS_PREFIX = 'scimc-'

export function clientOf(userAgent: string | null, name: string | null = null): DirectoryClient {
  if (name?.toLowerCase().startsWith(HARNESS_PREFIX)) return 'console'
  if (userAgent === null || userAgent.trim() === '') return 'unknown'
  // The console's harness first ("scim-console (Entra ID profile)" names Entra too).
  if (/scim-console/i.test(userAgent)) return 'console'
  // Okta: "Okta SCIM Client 1.0.0" in production, "OKTA SCIM Integration" in its test suites.
  if (/\bokta\b/i.test(userAgent)) return 'okta'
  // Entra ID's provisioning service and its validator identify as Microsoft / Azure AD.
  if (/microsoft|azure|\bentra\b|\baad\b/i.test(userAgent)) return 'entra'
  return 'other'
}

/** The recorded source, as the directory names clients; undefined when none was recorded. */
function clientOfSource(source: string | null, idp: string | null): DirectoryClient | undefined {
  if (source === 'harness' || source === 'replay') return 'console'
  if (source === 'other') return 'other'
  if (source === 'idp') return idp === 'okta' ? 'okta' : idp === 'entra' ? 'entra' : 'other'
  return undefined
}

export function sourceOf(
  created: {
    seq: number
    time: string
    userAgent: string | null
    source?: string | null
    sourceIdp?: string | null
  } | null,
  name: string | null,
): DirectorySource {
  if (created === null) return { client: 'unknown', userAgent: null, seq: null, time: null }
  return {
    client:
      clientOfSource(created.source ?? null, created.sourceIdp ?? null) ??
      clientOf(created.userAgent, name),
    userAgent: created.userAgent,
    seq: created.seq,
    time: created.time,
  }
}
