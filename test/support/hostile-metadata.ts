/**
 * Hostile SAML metadata from issue #12, generated (never committed): the tests use small sizes,
 * bench/metadata.bench.ts the sizes of the report.
 */
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata'

/** `<md:EntitiesDescriptor xmlns:md="…" AAAA…>`: one start tag with a name run and no `=`. */
export function attributeRunDocument(bytes: number): string {
  const head = `<md:EntitiesDescriptor xmlns:md="${MD}" `
  const tail = '></md:EntitiesDescriptor>'
  return head + 'A'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail
}

/**
 * One EntityDescriptor with `count` attributes, values padded to about `bytes` in all (the
 * report: 12 MB with 1M attributes, 51 MB with 4M).
 */
export function manyAttributesDocument(count: number, bytes = 0): string {
  const parts: string[] = [`<md:EntityDescriptor xmlns:md="${MD}" entityID="https://idp.test/"`]
  const pad = 'v'.repeat(Math.max(0, Math.floor(bytes / count) - 10))
  for (let i = 0; i < count; i++) parts.push(` a${i.toString(36)}="${pad}${i % 10}"`)
  parts.push('/>')
  return parts.join('')
}

/** A well-formed EntityDescriptor with `count` small child elements, each under the caps. */
export function manyElementsDocument(count: number): string {
  const parts: string[] = [`<md:EntityDescriptor xmlns:md="${MD}" entityID="https://idp.test/">`]
  for (let i = 0; i < count; i++) {
    parts.push(
      `<md:Extensions><x${i % 10} a="${i}" b="${'v'.repeat(20)}">t</x${i % 10}></md:Extensions>`,
    )
  }
  parts.push('</md:EntityDescriptor>')
  return parts.join('')
}
