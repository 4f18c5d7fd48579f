import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write.ts'

const root = mkdtempSync(join(tmpdir(), 'atomic-write-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const posix = process.platform !== 'win32'

describe.each([
  ['writeFileAtomic', (p: string, t: string) => writeFileAtomic(p, t)],
  ['writeFileAtomicSync', async (p: string, t: string) => writeFileAtomicSync(p, t)],
])('%s', (name, write) => {
  it('creates the folder and the file, private to the user, and leaves no temporary file', async () => {
    const dir = join(root, name, 'nested')
    const file = join(dir, 'state.json')
    await write(file, '{"a":1}\n')
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n')
    expect(readdirSync(dir)).toEqual(['state.json'])
    if (posix) {
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(statSync(dir).mode & 0o777).toBe(0o700)
    }
  })

  it('replaces an existing file whole, and makes a world-readable one private', async () => {
    const file = join(root, `${name}-replace.json`)
    writeFileSync(file, 'old content that is longer than the new one', { mode: 0o644 })
    await write(file, 'new')
    expect(readFileSync(file, 'utf8')).toBe('new')
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('leaves the old file and no temporary file when the rename fails (the target is a folder)', async () => {
    const dir = join(root, `${name}-blocked`)
    const target = join(dir, 'settings.json')
    await write(join(target, 'inside.txt'), 'x')
    await expect(write(target, 'new')).rejects.toThrow()
    expect(readdirSync(dir)).toEqual(['settings.json'])
    expect(readFileSync(join(target, 'inside.txt'), 'utf8')).toBe('x')
  })
})
