import { AppError } from '../../src-shared/errors.ts'
import type { HostLookup } from '../../src-domain/net/checked-destination.ts'
import { plainHttpRefusalAfterDns } from '../../src-domain/net/secret-transport.ts'
import { trimTrailingSlashes } from '../../src-shared/text.ts'

/**
 * A SCIM base URL reduced to what decides where a request goes: scheme, host, port (the URL
 * parser lowercases and drops default ports) and path without trailing slashes. Undefined when it
 * is not an http(s) URL without credentials, query or fragment.
 */
export function normalizeScimBaseUrl(raw: string): string | undefined {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  if (url.username || url.password || url.search || url.hash) return undefined
  return `${url.protocol}//${url.host}${trimTrailingSlashes(url.pathname)}`
}

/**
 * A keychain token goes only to the SCIM base URL of the tenant it belongs to, and over https
 * (or plain http to this machine, or — opted in — a private network). Throws a clear AppError
 * otherwise, before the secret is read.
 */
export async function checkTokenDestination(input: {
  tenantId: string
  tenantScimBaseUrl: string
  destinationUrl: string
  allowInsecureHttp: boolean
  lookup?: HostLookup
}): Promise<void> {
  const expected = normalizeScimBaseUrl(input.tenantScimBaseUrl)
  const given = normalizeScimBaseUrl(input.destinationUrl)
  if (expected === undefined || given !== expected) {
    throw new AppError(
      'network.forbidden_url',
      `The SCIM token of tenant ${input.tenantId} is sent only to that tenant's SCIM base URL (${input.tenantScimBaseUrl}), not to ${input.destinationUrl.slice(0, 300)}.`,
      {
        hint: `Run against ${input.tenantScimBaseUrl}; to test another server, paste a token issued for that server instead of choosing a stored one.`,
        details: { expected: input.tenantScimBaseUrl },
      },
    )
  }
  const refusal = await plainHttpRefusalAfterDns(new URL(expected), {
    allowInsecureHttp: input.allowInsecureHttp,
    what: 'the SCIM token',
    optIn:
      'save the connection with `scim-console connection add --allow-insecure-http` (in the app: "Allow plain HTTP on a private network")',
    ...(input.lookup ? { lookup: input.lookup } : {}),
  })
  if (refusal) {
    throw new AppError('network.forbidden_url', refusal.message, {
      hint: refusal.hint,
      details: refusal.details,
    })
  }
}
