/**
 * Where render()'s `id` goes into a stored body's JSON text: right after its `schemas` array.
 * Stored bodies are written by JSON.stringify with `schemas` first (normalize.ts), so
 * `{"schemas":[…]` + `,"id":…` + the rest of the text + membership and meta is the text
 * JSON.stringify(render(…)) gives, without parsing the body and serialising it again.
 *
 * Undefined when the text is not in that shape, or holds a key render() sets or the projection
 * removes (`id`, `meta`, `groups`, `members`, `password`; the readOnly and writeOnly ones are never
 * stored, but a splice must not depend on that): the caller then renders the long way. A key
 * match anywhere (even nested) only costs that: inside JSON text a `"` within a string value is
 * always escaped, so `"id":` there is always a key.
 */
const SCHEMAS_OPEN = '{"schemas":['
const RENDERED_KEYS = /"(?:id|meta|groups|members|password)":/i
const QUOTE = 34
const COMMA = 44
const CLOSE_ARRAY = 93
const CLOSE_OBJECT = 125

export function storedSplicePoint(json: string): number | undefined {
  if (!json.startsWith(SCHEMAS_OPEN) || json.charCodeAt(json.length - 1) !== CLOSE_OBJECT) {
    return undefined
  }
  if (RENDERED_KEYS.test(json)) return undefined
  let i = SCHEMAS_OPEN.length
  if (json.charCodeAt(i) !== CLOSE_ARRAY) {
    // Schema URNs: strings without escapes (an escape, or anything else, falls back).
    for (;;) {
      if (json.charCodeAt(i) !== QUOTE) return undefined
      const end = json.indexOf('"', i + 1)
      if (end === -1 || json.lastIndexOf('\\', end) > i) return undefined
      i = end + 1
      const next = json.charCodeAt(i)
      if (next === CLOSE_ARRAY) break
      if (next !== COMMA) return undefined
      i++
    }
  }
  i++
  const after = json.charCodeAt(i)
  return after === COMMA || after === CLOSE_OBJECT ? i : undefined
}
