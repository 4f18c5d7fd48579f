/**
 * POST/PUT bodies into the stored form. The rules follow what Okta and Entra ID send
 * (SCIM-REFERENCE.md §3.3, §3.4, §4.2) so that neither ever sees a failure:
 * - readOnly attributes (`id`, `meta`, a User's `groups`) are ignored (RFC 7644 §3.3, §3.5.1);
 *   Okta's PUT sends back everything it read, including these.
 * - `password` is accepted and never stored: Okta always sends a placeholder, and this server
 *   does not manage credentials (changePassword is unsupported).
 * - null, "" and [] mean unassigned (RFC 7643 §2.5) and are dropped: Entra sends explicit nulls,
 *   Okta `groups: []`, Entra `roles: []`.
 * - Unknown attributes are dropped, not rejected, and listed in `ignoredAttributes` for the event
 *   log: the Entra reference collection expects a PUT with a misspelled attribute to succeed
 *   without it, and storing data /Schemas does not declare would make discovery lie. The same
 *   goes for unknown extension URNs (Entra's ADSCIM Group URN carries no data we support).
 * - Wrong types are rejected with 400 invalidValue naming the attribute; string booleans
 *   ("True") are coerced because Entra sends them.
 * - A missing enterprise URN in `schemas` is added when the extension key holds data.
 */
import { ScimError } from './scim-error.ts'
import {
  coerceAttribute,
  getField,
  isObject,
  isUnassigned,
  requireMemberValues,
  syncSchemas,
  type CoerceOptions,
  type JsonObject,
} from './attribute-values.ts'
import {
  coreSchemaOf,
  lookupAttribute,
  matchExtensionUrn,
  resolveAttributePath,
  type ResolvedAttribute,
  type ResourceKind,
} from './schema-definitions.ts'

export interface NormalizedResource {
  resource: Record<string, unknown>
  /** Attribute names in the request that this server does not support and dropped. */
  ignoredAttributes: string[]
}

const STRICT: CoerceOptions = { lenientShapes: false }

function isIgnoredOnWrite(resolved: ResolvedAttribute): boolean {
  const mutability = resolved.attribute.mutability
  return mutability === 'readOnly' || mutability === 'writeOnly'
}

function put(out: JsonObject, resolved: ResolvedAttribute, value: unknown): void {
  const coerced = coerceAttribute(resolved.attribute, value, resolved.canonical, STRICT)
  if (coerced === undefined) return
  if (resolved.extension === undefined) {
    out[resolved.attribute.name] = coerced
    return
  }
  const container = isObject(out[resolved.extension]) ? (out[resolved.extension] as JsonObject) : {}
  container[resolved.attribute.name] = coerced
  out[resolved.extension] = container
}

export function normalizeIncomingDetailed(
  body: unknown,
  kind: ResourceKind,
  mode: 'create' | 'replace',
): NormalizedResource {
  const core = coreSchemaOf(kind)
  const verb = mode === 'create' ? 'create' : 'replace'
  if (!isObject(body)) {
    throw new ScimError(
      400,
      `To ${verb} a ${kind} the body must be a JSON object with "schemas": ["${core}"]`,
      'invalidSyntax',
    )
  }
  const schemas = getField(body, 'schemas')
  const listsCore =
    Array.isArray(schemas) &&
    schemas.some((s) => typeof s === 'string' && s.toLowerCase() === core.toLowerCase())
  if (!listsCore) {
    throw new ScimError(
      400,
      `"schemas" must be an array that includes "${core}" (the request has ${JSON.stringify(schemas ?? null)})`,
      'invalidSyntax',
    )
  }

  const out: JsonObject = {}
  const ignoredAttributes: string[] = []
  for (const key of Object.keys(body)) {
    if (key.toLowerCase() === 'schemas') continue
    const value = body[key]
    const extension = matchExtensionUrn(kind, key)
    if (extension) {
      if (isUnassigned(value)) continue
      if (!isObject(value)) {
        throw new ScimError(
          400,
          `"${extension}" must be an object of its attributes`,
          'invalidValue',
        )
      }
      for (const name of Object.keys(value)) {
        const resolved = lookupAttribute(kind, `${extension}:${name}`)
        if (!resolved || resolved.subAttribute) ignoredAttributes.push(`${extension}:${name}`)
        else if (!isIgnoredOnWrite(resolved)) put(out, resolved, value[name])
      }
      continue
    }
    const resolved = resolveAttributePath(kind, key)
    if (!resolved || resolved.subAttribute) {
      if (!isUnassigned(value)) ignoredAttributes.push(key)
      continue
    }
    if (isIgnoredOnWrite(resolved)) continue
    put(out, resolved, value)
  }

  const required = kind === 'User' ? 'userName' : 'displayName'
  if (isUnassigned(out[required])) {
    throw new ScimError(
      400,
      `"${required}" is required to ${verb} a ${kind} and must be a non-empty string`,
      'invalidValue',
    )
  }
  if (kind === 'Group') requireMemberValues(out)
  syncSchemas(out, kind, core)
  // schemas first, as every SCIM example shows it.
  const { schemas: ordered, ...rest } = out
  return { resource: { schemas: ordered, ...rest }, ignoredAttributes }
}

/** The stored form of a POST (mode 'create') or PUT (mode 'replace') body. */
export function normalizeIncoming(
  body: unknown,
  kind: ResourceKind,
  mode: 'create' | 'replace',
): Record<string, unknown> {
  return normalizeIncomingDetailed(body, kind, mode).resource
}
