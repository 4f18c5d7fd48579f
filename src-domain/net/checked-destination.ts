import { lookup as dnsLookup } from 'node:dns/promises'
import {
  classifyAddress,
  forbiddenAddressClass,
  urlNamesLoopback,
  type AddressClass,
} from './address-policy.ts'

export interface ResolvedAddress {
  address: string
  family: 4 | 6
}

/** Every address a host name resolves to. Injectable so tests can stand in for DNS, and only DNS. */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>

export const systemLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }))

export type DestinationCheck =
  | { ok: true; addresses: ResolvedAddress[] }
  | { ok: false; address: string; addressClass: AddressClass; urlIsLoopback: boolean }

export interface DestinationCheckOptions {
  lookup?: HostLookup
  /**
   * Test-only: addresses to treat as public, so a real server on 127.0.0.1 can stand in for an
   * internet host in tests. Never set outside tests.
   */
  testOnlyPublicAddresses?: readonly string[]
}

/**
 * Resolves the URL's host and checks EVERY address (a name with one public and one private
 * address is refused: the connection could pick either). The caller connects only to the
 * addresses returned, so DNS answering differently a moment later changes nothing.
 */
export async function checkDestination(
  url: URL,
  options: DestinationCheckOptions = {},
): Promise<DestinationCheck> {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const urlIsLoopback = urlNamesLoopback(url)
  const literal = classifyAddress(host)
  const addresses: ResolvedAddress[] =
    literal === 'not-an-address'
      ? await (options.lookup ?? systemLookup)(host)
      : [{ address: host, family: host.includes(':') ? 6 : 4 }]
  if (addresses.length === 0) {
    return { ok: false, address: '(none)', addressClass: 'not-an-address', urlIsLoopback }
  }
  const treatAsPublic = new Set(options.testOnlyPublicAddresses ?? [])
  for (const { address } of addresses) {
    if (!urlIsLoopback && treatAsPublic.has(address)) continue
    const forbidden = forbiddenAddressClass(address, urlIsLoopback)
    if (forbidden !== undefined) {
      return { ok: false, address, addressClass: forbidden, urlIsLoopback }
    }
  }
  return { ok: true, addresses }
}
