import type { LookupFunction } from 'node:net'
import { Agent } from 'undici'
import type { ResolvedAddress } from './checked-destination.ts'

/**
 * An undici Agent whose connections go only to addresses already checked: its DNS lookup answers
 * from that list instead of asking DNS again, so a name that resolves to a public address for
 * the check and to 10.0.0.5 for the connection (DNS rebinding) still reaches the checked one.
 * TLS still verifies the certificate against the URL's host name.
 */
export function pinnedAgent(
  addresses: readonly ResolvedAddress[],
  options: { ca?: string | undefined } = {},
): Agent {
  const lookup: LookupFunction = (_hostname, opts, callback) => {
    if (opts.all) {
      callback(
        null,
        addresses.map((a) => ({ address: a.address, family: a.family })),
      )
      return
    }
    const wanted = opts.family === 6 || opts.family === 'IPv6' ? 6 : opts.family === 4 ? 4 : 0
    const first = addresses.find((a) => wanted === 0 || a.family === wanted) ?? addresses[0]!
    callback(null, first.address, first.family)
  }
  return new Agent({
    connect: { lookup, ...(options.ca !== undefined ? { ca: options.ca } : {}) },
    // One document per agent: nothing to keep alive for.
    pipelining: 0,
  })
}
