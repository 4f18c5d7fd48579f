import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'
import {
  attributeRunDocument,
  manyAttributesDocument,
  manyElementsDocument,
} from '../../test/support/hostile-metadata.ts'
import { inspectMetadata } from './inspect-metadata.ts'
import { parseIdpMetadataInWorker, stopMetadataWorker } from './parse-in-worker.ts'

const NOW = new Date('2026-11-22T00:00:00Z')
const OKTA = readFileSync(join(IDP_METADATA_DIR, 'okta-app-trial-org.xml'))

afterAll(() => stopMetadataWorker())

describe('metadata parsing in a worker thread', () => {
  it('gives the same model as parsing in place, for bytes and for text', async () => {
    const fromBytes = await parseIdpMetadataInWorker(OKTA, { source: 'file:okta.xml', now: NOW })
    expect(fromBytes.ok).toBe(true)
    expect(fromBytes.entityId).toMatch(/^http:\/\/www\.okta\.com\//)
    const fromText = await inspectMetadata(
      { kind: 'text', text: OKTA.toString('utf8') },
      { now: NOW },
    )
    expect({ ...fromText, source: 'x' }).toEqual({ ...fromBytes, source: 'x' })
  })

  it('keeps the caller responsive: timers run while a 2.2 MB hostile start tag is refused', async () => {
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    try {
      const model = await inspectMetadata({ kind: 'text', text: attributeRunDocument(2_200_000) })
      expect(model.ok).toBe(false)
      expect(model.findings[0]?.code).toBe('metadata.malformed')
      // The message quotes the attribute name only in part.
      expect(model.findings[0]!.message.length).toBeLessThan(400)
    } finally {
      clearInterval(timer)
    }
    expect(ticks).toBeGreaterThan(0)
  })

  it('refuses a million attributes on one element before building a tree (metadata.too_complex)', async () => {
    const model = await inspectMetadata({ kind: 'text', text: manyAttributesDocument(1_000_000) })
    expect(model.findings.map((f) => f.code)).toEqual(['metadata.too_complex'])
    expect(model.findings[0]!.message).toMatch(/more than 256 attributes/)
    expect(model.findings[0]!.hint).toMatch(/Download the metadata of your one IdP/)
  })

  it('over the time budget: the worker is stopped and the answer is metadata.too_complex; the next parse works', async () => {
    const model = await inspectMetadata(
      { kind: 'text', text: attributeRunDocument(2_200_000) },
      { budget: { timeoutMs: 1 } },
    )
    expect(model.ok).toBe(false)
    expect(model.findings.map((f) => f.code)).toEqual(['metadata.too_complex'])
    expect(model.findings[0]!.message).toMatch(/took longer than 0\.001 s/)
    const after = await parseIdpMetadataInWorker(OKTA, { source: 'file:okta.xml', now: NOW })
    expect(after.ok).toBe(true)
  })

  it('over the memory budget (resourceLimits): metadata.too_complex, and the next parse works', async () => {
    const model = await inspectMetadata(
      { kind: 'text', text: manyElementsDocument(200_000) },
      { budget: { maxMemoryMb: 8 } },
    )
    expect(model.findings.map((f) => f.code)).toEqual(['metadata.too_complex'])
    expect(model.findings[0]!.message).toMatch(/more than 8 MB of memory/)
    const after = await parseIdpMetadataInWorker(OKTA, { source: 'file:okta.xml', now: NOW })
    expect(after.ok).toBe(true)
  })
})
