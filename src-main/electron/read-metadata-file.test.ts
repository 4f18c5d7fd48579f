import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { readMetadataFile } from './read-metadata-file.ts'

const dir = mkdtempSync(join(tmpdir(), 'read-metadata-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('readMetadataFile', () => {
  it('returns the file name and text', async () => {
    writeFileSync(join(dir, 'okta.xml'), '<md:EntityDescriptor/>')
    expect(await readMetadataFile(join(dir, 'okta.xml'))).toEqual({
      name: 'okta.xml',
      text: '<md:EntityDescriptor/>',
    })
  })

  it('refuses a file over the cap before reading it', async () => {
    writeFileSync(join(dir, 'big.xml'), 'x'.repeat(2048))
    const err = await readMetadataFile(join(dir, 'big.xml'), 1024).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('metadata.too_large')
  })

  it('says which file could not be read, without the full path', async () => {
    const err = await readMetadataFile(join(dir, 'missing.xml')).catch((e: unknown) => e)
    expect((err as AppError).code).toBe('metadata.read_failed')
    expect((err as AppError).message).toBe('Could not read missing.xml.')
  })
})
