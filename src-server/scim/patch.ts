/**
 * PATCH (RFC 7644 §3.5.2) with the forms Okta and Entra ID really send (SCIM-REFERENCE.md
 * §3.5, §3.7, §4.2, §4.3). Operations run in order on a deep clone; the clone is returned only
 * when every operation succeeded, so a failed PATCH changes nothing.
 */
import { ScimError } from './scim-error.ts'
import {
  getField,
  isObject,
  isUnassigned,
  jsonEqual,
  requireMemberValues,
  syncSchemas,
  type JsonObject,
} from './attribute-values.ts'
import { coreSchemaOf, type ResourceKind } from './schema-definitions.ts'
import { PatchContext, type OpName } from './patch-context.ts'
import { parsePatchPath } from './patch-path.ts'

export { parsePatchPath, type PatchPath } from './patch-path.ts'

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

export interface PatchResult {
  resource: Record<string, unknown>
  changed: boolean
  /** Member ids present after the PATCH and not before (Groups only). */
  membersAdded: string[]
  /** Member ids present before the PATCH and not after (Groups only). */
  membersRemoved: string[]
}

function memberIds(resource: JsonObject): Set<string> {
  const ids = new Set<string>()
  const members = getField(resource, 'members')
  if (Array.isArray(members)) {
    for (const m of members) if (isObject(m) && typeof m.value === 'string') ids.add(m.value)
  }
  return ids
}

function parseOperations(body: unknown): JsonObject[] {
  if (!isObject(body)) {
    throw new ScimError(
      400,
      'The PATCH body must be a JSON object: {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[...]}',
      'invalidSyntax',
    )
  }
  const schemas = getField(body, 'schemas')
  // Absent schemas are tolerated (nothing is ambiguous without them); wrong ones are not.
  if (schemas !== undefined) {
    const ok =
      Array.isArray(schemas) &&
      schemas.some(
        (s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase(),
      )
    if (!ok) {
      throw new ScimError(400, `"schemas" must contain "${PATCH_OP_SCHEMA}"`, 'invalidSyntax')
    }
  }
  const operations = getField(body, 'Operations')
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new ScimError(
      400,
      'The PATCH body needs a non-empty "Operations" array, such as [{"op":"replace","path":"active","value":false}]',
      'invalidSyntax',
    )
  }
  return operations.map((operation, i) => {
    if (!isObject(operation)) {
      throw new ScimError(400, `Operations[${i}] must be an object with "op"`, 'invalidSyntax')
    }
    return operation
  })
}

function opName(operation: JsonObject, index: number): OpName {
  const op = getField(operation, 'op')
  // Entra sends "Add", "Replace", "Remove" (SCIM-REFERENCE.md §4.1).
  const lower = typeof op === 'string' ? op.toLowerCase() : undefined
  if (lower === 'add' || lower === 'replace' || lower === 'remove') return lower
  throw new ScimError(
    400,
    `Operations[${index}].op must be "add", "replace" or "remove", not ${JSON.stringify(op ?? null)}`,
    'invalidSyntax',
  )
}

/**
 * Applies a PatchOp body to a resource. Never mutates `resource`; throws ScimError (and the
 * caller's resource stays as it was) if any operation fails.
 */
export function applyPatch(
  resource: Record<string, unknown>,
  body: unknown,
  kind: ResourceKind,
): PatchResult {
  const operations = parseOperations(body)
  // Every operation mutates this private copy; on any error it is simply dropped.
  const working = structuredClone(resource) as JsonObject
  const context = new PatchContext(working, kind)
  operations.forEach((operation, index) => {
    const op = opName(operation, index)
    const rawPath = getField(operation, 'path')
    if (rawPath !== undefined && rawPath !== null && typeof rawPath !== 'string') {
      throw new ScimError(400, `Operations[${index}].path must be a string`, 'invalidPath')
    }
    const value = getField(operation, 'value')
    try {
      const path = typeof rawPath === 'string' ? parsePatchPath(kind, rawPath) : undefined
      context.apply(op, path, value)
    } catch (error) {
      if (error instanceof ScimError) {
        const where = typeof rawPath === 'string' ? ` ${rawPath}` : ''
        throw new ScimError(
          error.status,
          `Operations[${index}] (${op}${where}): ${error.message}`,
          error.scimType,
        )
      }
      throw error
    }
  })

  const required = kind === 'User' ? 'userName' : 'displayName'
  if (isUnassigned(getField(working, required))) {
    throw new ScimError(
      400,
      `"${required}" is required and cannot be removed or emptied`,
      'invalidValue',
    )
  }
  if (kind === 'Group') requireMemberValues(working)
  syncSchemas(working, kind, coreSchemaOf(kind))
  const before = kind === 'Group' ? memberIds(resource) : new Set<string>()
  const after = kind === 'Group' ? memberIds(working) : new Set<string>()
  return {
    resource: working,
    changed: !jsonEqual(resource, working),
    membersAdded: [...after].filter((id) => !before.has(id)),
    membersRemoved: [...before].filter((id) => !after.has(id)),
  }
}
