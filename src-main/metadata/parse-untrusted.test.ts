import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'
import { parseIdpMetadata } from '../../src-domain/saml-metadata/parse-idp-metadata.ts'
import { stopMetadataWorker } from './parse-in-worker.ts'
import { IN_PROCESS_MAX_BYTES, parseUntrustedMetadata } from './parse-untrusted.ts'

const NOW = new Date('2026-11-22T00:00:00Z')
const OKTA = readFileSync(join(IDP_METADATA_DIR, 'okta-app-trial-org.xml'))
const ENTRA_SIGNED = readFileSync(
  join(IDP_METADATA_DIR, 'entra-app-federationmetadata-bom-signed.xml'),
)
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata'

/** An EntityDescriptor of exactly `bytes` bytes of empty elements: the slowest small shape. */
function emptyElementsDocument(bytes: number): string {
  const head = `<md:EntityDescriptor xmlns:md="${MD}" entityID="https://idp.test/">`
  const tail = '</md:EntityDescriptor>'
  const room = bytes - head.length - tail.length
  return head + '<a/>'.repeat(Math.floor(room / 4)) + ' '.repeat(room % 4) + tail
}

// A 1 ms budget is far less than a worker thread needs to start, so a model that comes back
// under it was parsed on this thread, and `metadata.too_complex` means the worker had the input.
// The budget includes the start only when no worker is running yet, so `underOneMsFromCold` stops
// the one an earlier parse left running: a warm worker can parse a small document within 1 ms
// (this test once saw it do so under load), which would say nothing about where it went.
const ONE_MS = { timeoutMs: 1 }

async function underOneMsFromCold(
  input: string | Uint8Array,
  opts: Parameters<typeof parseUntrustedMetadata>[1],
): ReturnType<typeof parseUntrustedMetadata> {
  await stopMetadataWorker()
  return parseUntrustedMetadata(input, opts, ONE_MS)
}

afterAll(() => stopMetadataWorker())

describe('where untrusted metadata is parsed', () => {
  it('a small unsigned file is parsed on this thread, with the same model as the full parser', async () => {
    const opts = { source: 'file:okta.xml', now: NOW }
    const model = await underOneMsFromCold(OKTA, opts)
    expect(model.ok).toBe(true)
    expect(model).toEqual(parseIdpMetadata(OKTA, opts))
  })

  it('a small signed file goes to the worker, which checks the signature', async () => {
    const opts = { source: 'file:entra.xml', now: NOW }
    const refused = await underOneMsFromCold(ENTRA_SIGNED, opts)
    expect(refused.findings.map((f) => f.code)).toEqual(['metadata.too_complex'])
    const model = await parseUntrustedMetadata(ENTRA_SIGNED, opts)
    expect(model.signature.signed).toBe(true)
    expect(model).toEqual(parseIdpMetadata(ENTRA_SIGNED, opts))
  })

  it(`hostile markup of ${IN_PROCESS_MAX_BYTES} bytes is answered on this thread`, async () => {
    const text = emptyElementsDocument(IN_PROCESS_MAX_BYTES)
    expect(Buffer.byteLength(text)).toBe(IN_PROCESS_MAX_BYTES)
    const model = await underOneMsFromCold(text, { source: 'paste' })
    expect(model.findings.map((f) => f.code)).toEqual(['metadata.not_idp'])
  })

  it('one byte more and it goes to the worker with its budget: metadata.too_complex over it', async () => {
    const text = emptyElementsDocument(IN_PROCESS_MAX_BYTES + 1)
    const model = await underOneMsFromCold(text, { source: 'paste' })
    expect(model.findings.map((f) => f.code)).toEqual(['metadata.too_complex'])
    expect(model.findings[0]!.message).toMatch(/took longer than 0\.001 s/)
    // With the default budget the worker answers as this thread would have.
    const answered = await parseUntrustedMetadata(text, { source: 'paste' })
    expect(answered.findings.map((f) => f.code)).toEqual(['metadata.not_idp'])
  })

  it('the size is counted in bytes: a text of multi-byte characters over the limit goes to the worker', async () => {
    const head = `<md:EntityDescriptor xmlns:md="${MD}" entityID="https://idp.test/">`
    const text = `${head}<a>${'é'.repeat(IN_PROCESS_MAX_BYTES / 2)}</a></md:EntityDescriptor>`
    expect(text.length).toBeLessThan(IN_PROCESS_MAX_BYTES)
    const model = await underOneMsFromCold(text, { source: 'paste' })
    expect(model.findings.map((f) => f.code)).toEqual(['metadata.too_complex'])
  })
})
