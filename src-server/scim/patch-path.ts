import { ScimError } from './scim-error.ts'
import { compileValueFilter, parseFilter, type FilterNode } from './filter.ts'
import {
  lookupSubAttribute,
  matchExtensionUrn,
  resolveAttributePath,
  type AttributeDefinition,
  type ResolvedAttribute,
  type ResourceKind,
} from './schema-definitions.ts'

/** PATCH paths (RFC 7644 §3.5.2): `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, a URN. */

/** A parsed PATCH path: `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, or a URN. */
export interface PatchPath {
  text: string
  /** Set when the path names a whole extension (`urn:...:enterprise:2.0:User`). */
  extension?: string
  resolved?: ResolvedAttribute
  filter?: FilterNode
  /** The sub-attribute after `]`. */
  subAttribute?: AttributeDefinition
}

export function invalidPath(path: string, why: string): never {
  throw new ScimError(400, `Invalid path "${path}": ${why}`, 'invalidPath')
}

/** Finds the "]" that closes the "[" at `open`, skipping quoted strings. */
function closingBracket(text: string, open: number): number {
  let inString = false
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 93) return i
  }
  return -1
}

export function parsePatchPath(kind: ResourceKind, raw: string): PatchPath {
  const text = raw.trim()
  if (text === '') invalidPath(raw, 'it is empty; omit "path" to patch several attributes at once')
  const open = text.indexOf('[')
  const attributeText = open === -1 ? text : text.slice(0, open).trim()
  const extension = open === -1 ? matchExtensionUrn(kind, text) : undefined
  if (extension) return { text, extension }
  const resolved = resolveAttributePath(kind, attributeText)
  if (!resolved) invalidPath(text, `"${attributeText}" is not an attribute of ${kind} resources`)
  if (open === -1) return { text, resolved }

  const close = closingBracket(text, open)
  if (close === -1) invalidPath(text, 'the "[" is never closed with "]"')
  const attribute = resolved.attribute
  if (resolved.subAttribute || attribute.type !== 'complex' || !attribute.multiValued) {
    invalidPath(
      text,
      `a "[...]" filter needs a multi-valued complex attribute such as emails or members`,
    )
  }
  let filter: FilterNode
  try {
    filter = parseFilter(text.slice(open + 1, close))
    validateValueFilter(filter, attribute)
  } catch (error) {
    if (error instanceof ScimError) invalidPath(text, error.message)
    throw error
  }
  const rest = text.slice(close + 1)
  if (rest === '') return { text, resolved, filter }
  if (!rest.startsWith('.') || rest.length < 2) {
    invalidPath(text, `expected ".subAttribute" or nothing after "]", found "${rest}"`)
  }
  const subAttribute = lookupSubAttribute(attribute, rest.slice(1))
  if (!subAttribute)
    invalidPath(text, `"${rest.slice(1)}" is not a sub-attribute of "${attribute.name}"`)
  return { text, resolved, filter, subAttribute }
}

function validateValueFilter(filter: FilterNode, parent: AttributeDefinition): void {
  // Evaluating against an empty object runs the same name and operator checks as a real value.
  compileValueFilter(filter, parent)
}
