import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { inspectMetadata } from './inspect-metadata.ts'
import { readMetadataFile, readMetadataFileText } from './read-metadata-file.ts'

const dir = mkdtempSync(join(tmpdir(), 'read-metadata-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('readMetadataFile (one reader for the screen, the CLI and the file dialog)', () => {
  it('returns the file name and its bytes', async () => {
    writeFileSync(join(dir, 'okta.xml'), '<md:EntityDescriptor/>')
    const file = await readMetadataFile(join(dir, 'okta.xml'))
    expect(file).toMatchObject({ name: 'okta.xml' })
    expect('bytes' in file && file.bytes.toString('utf8')).toBe('<md:EntityDescriptor/>')
    expect(await readMetadataFileText(join(dir, 'okta.xml'))).toEqual({
      name: 'okta.xml',
      text: '<md:EntityDescriptor/>',
    })
  })

  it('refuses a file over the cap before reading it, the same way for every caller', async () => {
    writeFileSync(join(dir, 'big.xml'), 'x'.repeat(2048))
    expect(await readMetadataFile(join(dir, 'big.xml'), 1024)).toEqual({
      name: 'big.xml',
      size: 2048,
      tooLarge: true,
    })
    const err = await readMetadataFileText(join(dir, 'big.xml'), 1024).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('metadata.too_large')
    const inspected = await inspectMetadata(
      { kind: 'file', path: join(dir, 'big.xml') },
      { maxBytes: 1024 },
    )
    expect(inspected.ok).toBe(false)
    expect(inspected.findings.map((f) => f.code)).toContain('metadata.too_large')
  })

  it('says which file could not be read and why, for the dialog and the screen alike', async () => {
    for (const read of [readMetadataFile, readMetadataFileText]) {
      const err = await read(join(dir, 'missing.xml')).catch((e: unknown) => e)
      expect((err as AppError).code).toBe('metadata.read_failed')
      expect((err as AppError).message).toMatch(/missing\.xml does not exist\./)
    }
    mkdirSync(join(dir, 'folder.xml'))
    const notFile = await readMetadataFile(join(dir, 'folder.xml')).catch((e: unknown) => e)
    expect((notFile as AppError).message).toMatch(/is not a file/)
  })
})
