import {
  ADDRESS_CLASS_LABEL,
  classifyAddress,
  isPrivateNetworkClass,
  urlNamesLoopback,
} from './address-policy.ts'
import { systemLookup, type HostLookup } from './checked-destination.ts'
import { trimTrailingSlashes } from '../../src-shared/text.ts'

/** Why a secret may not be sent to a URL, worded for a person; undefined when it may. */
export interface PlainHttpRefusal {
  message: string
  hint: string
  details: { url: string; reason: 'plain_http' | 'public_network'; address?: string }
}

export interface SecretTransportOptions {
  /** The explicit, visible opt-in for plain http on a private network. */
  allowInsecureHttp: boolean
  /** What is sent, for the message: "the admin key", "the SCIM token". */
  what: string
  /** How to opt in where this URL came from, for the hint. */
  optIn: string
}

/**
 * The rule for sending a secret: https anywhere; plain http only to this machine, or — with an
 * explicit opt-in — to a private network. Decides what can be decided from the URL alone; a
 * host NAME with the opt-in needs `plainHttpRefusalAfterDns` as well.
 */
export function plainHttpRefusal(
  url: URL,
  opts: SecretTransportOptions,
): PlainHttpRefusal | undefined {
  if (url.protocol !== 'http:' || urlNamesLoopback(url)) return undefined
  const where = trimTrailingSlashes(`${url.protocol}//${url.host}${url.pathname}`)
  if (!opts.allowInsecureHttp) {
    return {
      message: `Refusing to send ${opts.what} over plain HTTP to ${url.host}: anyone on the network path could read it.`,
      hint: `Use the https:// address (${where.replace(/^http:/, 'https:')}). Plain http is allowed only to this machine, or on a private network when you opt in: ${opts.optIn}.`,
      details: { url: where, reason: 'plain_http' },
    }
  }
  const cls = classifyAddress(url.hostname)
  if (cls !== 'not-an-address' && !isPrivateNetworkClass(cls))
    return publicRefusal(url, opts, url.hostname.replace(/^\[|\]$/g, ''), cls)
  return undefined
}

/** `plainHttpRefusal`, then for an opted-in host name: every address it resolves to is private. */
export async function plainHttpRefusalAfterDns(
  url: URL,
  opts: SecretTransportOptions & { lookup?: HostLookup },
): Promise<PlainHttpRefusal | undefined> {
  const first = plainHttpRefusal(url, opts)
  if (first || url.protocol !== 'http:' || urlNamesLoopback(url)) return first
  if (classifyAddress(url.hostname) !== 'not-an-address') return undefined
  const addresses = await (opts.lookup ?? systemLookup)(url.hostname)
  for (const { address } of addresses) {
    const cls = classifyAddress(address)
    if (!isPrivateNetworkClass(cls)) return publicRefusal(url, opts, address, cls)
  }
  return undefined
}

function publicRefusal(
  url: URL,
  opts: SecretTransportOptions,
  address: string,
  cls: ReturnType<typeof classifyAddress>,
): PlainHttpRefusal {
  const where = trimTrailingSlashes(`${url.protocol}//${url.host}${url.pathname}`)
  const via = address === url.hostname ? '' : ` (${url.hostname} resolves to it)`
  return {
    message: `Refusing to send ${opts.what} over plain HTTP to ${address}${via}: the plain-http opt-in covers private networks only, and this is ${ADDRESS_CLASS_LABEL[cls]}.`,
    hint: `Use the https:// address (${where.replace(/^http:/, 'https:')}).`,
    details: { url: where, reason: 'public_network', address },
  }
}
