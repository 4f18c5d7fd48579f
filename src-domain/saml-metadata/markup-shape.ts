/**
 * Counts elements and attributes in one forward pass, before any parser builds a tree: a file of
 * a million attributes on one element took 10.6 s and 1.4 GB to parse (issue #12), and nothing
 * in real metadata comes near these limits (an Okta file has about 30 elements; a 32 MB
 * federation aggregate about half a million, each with a handful of attributes).
 */

import { MAX_DEPTH } from './xml-tree.ts'

export const MAX_ELEMENTS = 2_000_000
export const MAX_ATTRIBUTES_PER_ELEMENT = 256

/** Work done, in characters advanced over; property tests use it to check linear time. */
export interface WorkCounter {
  steps: number
}

export type MarkupShape =
  | { ok: true; elements: number; maxAttributes: number }
  | { ok: false; reason: 'too_many_elements' | 'too_many_attributes'; limit: number }

export interface ShapeLimits {
  maxElements?: number
  maxAttributesPerElement?: number
}

/**
 * Unterminated comments, CDATA sections or tags end the count without an error, and so does
 * nesting deeper than MAX_DEPTH: the parsers that follow word those problems better (and refuse
 * over-deep nesting after a few hundred bytes).
 */
export function measureMarkup(
  text: string,
  limits: ShapeLimits = {},
  work?: WorkCounter,
): MarkupShape {
  const maxElements = limits.maxElements ?? MAX_ELEMENTS
  const maxAttributes = limits.maxAttributesPerElement ?? MAX_ATTRIBUTES_PER_ELEMENT
  let elements = 0
  let widest = 0
  let depth = 0
  let at = 0
  const advance = (to: number): number => {
    if (work) work.steps += Math.max(1, to - at)
    at = to
    return to
  }
  let i = advance(text.indexOf('<'))
  while (i >= 0 && i < text.length) {
    const c = text.charCodeAt(i + 1)
    let end: number
    if (c === 33 /* ! */) {
      if (text.startsWith('<!--', i)) end = text.indexOf('-->', i + 4)
      else if (text.startsWith('<![CDATA[', i)) end = text.indexOf(']]>', i + 9)
      else end = text.indexOf('>', i + 2)
    } else if (c === 63 /* ? */) {
      end = text.indexOf('?>', i + 2)
    } else if (c === 47 /* / */) {
      end = text.indexOf('>', i + 2)
      depth--
    } else {
      elements++
      if (elements > maxElements) {
        return { ok: false, reason: 'too_many_elements', limit: maxElements }
      }
      // Each attribute has exactly one quoted value: counting the quoted strings counts them.
      let attributes = 0
      let k = i + 1
      end = -1
      while (k < text.length) {
        const ch = text.charCodeAt(k)
        if (ch === 62 /* > */) {
          end = k
          break
        }
        if (ch === 34 || ch === 39) {
          const close = text.indexOf(ch === 34 ? '"' : "'", k + 1)
          if (close < 0) break
          attributes++
          if (attributes > maxAttributes) {
            return { ok: false, reason: 'too_many_attributes', limit: maxAttributes }
          }
          k = close
        }
        k++
      }
      if (work) work.steps += k - i
      at = k
      if (attributes > widest) widest = attributes
      if (end > 0 && text.charCodeAt(end - 1) !== 47 /* / */ && ++depth > MAX_DEPTH) break
    }
    if (end < 0) break
    advance(end)
    i = advance(text.indexOf('<', end + 1))
  }
  return { ok: true, elements, maxAttributes: widest }
}
