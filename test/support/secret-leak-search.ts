import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { TOKEN_PREFIX } from '../../src-main/secrets/generate-token.ts'

/**
 * Test support for the leak searches (token flow, web host): where a secret could have been
 * written, and every encoding it could take there.
 */

export type Needle = [name: string, bytes: Buffer]

/**
 * A secret as typed and in UTF-16; a `scimc_` token also without its prefix and as the raw
 * random bytes it encodes, so a re-encoded copy is found too.
 */
export function secretNeedles(name: string, secret: string): Needle[] {
  const needles: Needle[] = [
    [name, Buffer.from(secret, 'utf8')],
    [`${name} (UTF-16)`, Buffer.from(secret, 'utf16le')],
  ]
  if (secret.startsWith(TOKEN_PREFIX)) {
    const body = secret.slice(TOKEN_PREFIX.length)
    needles.push([`${name} (body)`, Buffer.from(body, 'utf8')])
    needles.push([`${name} (raw bytes)`, Buffer.from(body, 'base64url')])
  }
  return needles
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile())
}

/** Every file under the folders, as haystacks for `findLeaks`. */
export function fileHaystacks(...dirs: string[]): Needle[] {
  return dirs.flatMap((dir) => filesUnder(dir).map((f): Needle => [f, readFileSync(f)]))
}

/** "<needle> in <haystack>" for each needle found; empty when nothing leaked. */
export function findLeaks(haystacks: Needle[], needles: Needle[]): string[] {
  const leaks: string[] = []
  for (const [where, bytes] of haystacks)
    for (const [name, needle] of needles)
      if (bytes.includes(needle)) leaks.push(`${name} in ${where}`)
  return leaks
}
