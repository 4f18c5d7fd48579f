/**
 * Checking and coercing attribute values against their definitions. Shared by POST/PUT
 * normalisation and PATCH so both accept and reject exactly the same values.
 */
import { ScimError } from './scim-error.ts'
import {
  extensionSchemasOf,
  lookupSubAttribute,
  type AttributeDefinition,
  type ResourceKind,
} from './schema-definitions.ts'

export type JsonObject = Record<string, unknown>

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** RFC 7643 §2.5: null, an empty array (and here an empty string) all mean "unassigned". */
export function isUnassigned(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  )
}

/** Reads a key case-insensitively (RFC 7644 §3.10), preferring the exact spelling. */
export function getField(object: JsonObject, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name]
  const lower = name.toLowerCase()
  for (const key in object) if (key.toLowerCase() === lower) return object[key]
  return undefined
}

/** Removes every spelling of a key, so a canonical write never leaves a stale duplicate. */
export function deleteField(object: JsonObject, name: string): void {
  const lower = name.toLowerCase()
  for (const key of Object.keys(object)) if (key.toLowerCase() === lower) delete object[key]
}

export function setField(object: JsonObject, name: string, value: unknown): void {
  deleteField(object, name)
  object[name] = value
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${JSON.stringify(value)}`
}

function invalidValue(path: string, expected: string, value: unknown): never {
  throw new ScimError(
    400,
    `Attribute "${path}" must be ${expected}, but the request has ${describeType(value)}`,
    'invalidValue',
  )
}

export interface CoerceOptions {
  /**
   * PATCH clients (Entra) send a lone object or string where the schema has an array, and a
   * one-element array where it has a single complex value; PATCH accepts both. POST/PUT do
   * not, because Okta documents that multi-valued attributes must be arrays.
   */
  lenientShapes: boolean
}

/** A boolean, or the strings "true"/"false" in any case (Entra sends "True"/"False"). */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    const lower = value.toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
  }
  return undefined
}

function coerceScalar(definition: AttributeDefinition, value: unknown, path: string): unknown {
  switch (definition.type) {
    case 'boolean': {
      // Entra sends "True"/"False" unless the aadOptscim062020 flag is set.
      const boolean = toBoolean(value)
      return boolean === undefined ? invalidValue(path, 'true or false', value) : boolean
    }
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value
      return invalidValue(path, 'an integer', value)
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value
      return invalidValue(path, 'a number', value)
    case 'dateTime':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value
      return invalidValue(path, 'a date-time string such as "2024-05-01T12:00:00Z"', value)
    default:
      if (typeof value === 'string') return value
      return invalidValue(path, 'a string', value)
  }
}

function coerceComplex(
  definition: AttributeDefinition,
  value: unknown,
  path: string,
  options: CoerceOptions,
): JsonObject | undefined {
  if (typeof value === 'string' && lookupSubAttribute(definition, 'value')) {
    // Entra: members/manager given as a bare id.
    if (options.lenientShapes) return value === '' ? undefined : { value }
  }
  if (!isObject(value)) return invalidValue(path, 'an object', value)
  const out: JsonObject = {}
  for (const key of Object.keys(value)) {
    const sub = lookupSubAttribute(definition, key)
    // Unknown sub-attributes are dropped like unknown attributes (see normalize.ts).
    if (!sub) continue
    const coerced = coerceAttribute(sub, value[key], `${path}.${sub.name}`, options)
    if (coerced !== undefined) out[sub.name] = coerced
  }
  return Object.keys(out).length === 0 ? undefined : out
}

/**
 * Returns the value in canonical form (canonical sub-attribute names, booleans as booleans), or
 * undefined when it amounts to "unassigned". Throws 400 invalidValue naming the attribute.
 */
export function coerceAttribute(
  definition: AttributeDefinition,
  value: unknown,
  path: string,
  options: CoerceOptions,
): unknown {
  if (isUnassigned(value)) return undefined
  if (definition.multiValued) {
    let items: unknown[]
    if (Array.isArray(value)) items = value
    else if (options.lenientShapes) items = [value]
    else return invalidValue(path, 'an array', value)
    const out: unknown[] = []
    for (const item of items) {
      const coerced = coerceSingle(definition, item, path, options)
      if (coerced !== undefined) out.push(coerced)
    }
    return out.length === 0 ? undefined : out
  }
  if (Array.isArray(value) && definition.type === 'complex' && options.lenientShapes) {
    // Entra's manager update: "value":[{"$ref":"…","value":"<id>"}].
    if (value.length === 1) return coerceSingle(definition, value[0], path, options)
    return invalidValue(path, 'a single value', value)
  }
  return coerceSingle(definition, value, path, options)
}

function coerceSingle(
  definition: AttributeDefinition,
  value: unknown,
  path: string,
  options: CoerceOptions,
): unknown {
  if (isUnassigned(value)) return undefined
  if (definition.type === 'complex') return coerceComplex(definition, value, path, options)
  return coerceScalar(definition, value, path)
}

/** RFC 7644 §3.5.2: a value marked primary demotes the others; the last one marked wins. */
export function applyPrimaryRule(items: unknown[]): void {
  let winner = -1
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if (isObject(item) && item.primary === true) winner = i
  }
  if (winner === -1) return
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if (i !== winner && isObject(item) && item.primary === true) item.primary = false
  }
}

/**
 * Keeps `schemas` in step with the data: the core URN first, an extension URN exactly when the
 * resource holds a non-empty object under that extension's key.
 */
export function syncSchemas(resource: JsonObject, kind: ResourceKind, coreUrn: string): void {
  const schemas = [coreUrn]
  for (const urn of extensionSchemasOf(kind)) {
    const data = resource[urn]
    if (isObject(data) && Object.keys(data).length > 0) schemas.push(urn)
    else delete resource[urn]
  }
  resource.schemas = schemas
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ka = Object.keys(a as JsonObject)
  const kb = Object.keys(b as JsonObject)
  if (ka.length !== kb.length) return false
  for (const k of ka) {
    if (!Object.hasOwn(b as JsonObject, k)) return false
    if (!jsonEqual((a as JsonObject)[k], (b as JsonObject)[k])) return false
  }
  return true
}

/** Group members are references: a member without an id cannot be stored or resolved. */
export function requireMemberValues(resource: JsonObject): void {
  const members = resource.members
  if (!Array.isArray(members)) return
  for (const member of members) {
    if (!isObject(member) || typeof member.value !== 'string' || member.value === '') {
      throw new ScimError(
        400,
        `Every group member needs a non-empty "value" holding the member's id, such as {"value":"2819c223-7f76-453a-919d-413861904646"}; got ${JSON.stringify(member)}`,
        'invalidValue',
      )
    }
  }
}
