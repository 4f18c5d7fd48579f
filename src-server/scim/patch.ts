/**
 * PATCH (RFC 7644 §3.5.2) with the forms Okta and Entra ID really send (SCIM-REFERENCE.md
 * §3.5, §3.7, §4.2, §4.3). Operations run in order on a deep clone; the clone is returned only
 * when every operation succeeded, so a failed PATCH changes nothing.
 */
import { ScimError } from './scim-error.ts'
import {
  applyPrimaryRule,
  coerceAttribute,
  deleteField,
  getField,
  isObject,
  isUnassigned,
  jsonEqual,
  requireMemberValues,
  setField,
  syncSchemas,
  type CoerceOptions,
  type JsonObject,
} from './attribute-values.ts'
import { compileValueFilter, parseFilter, type FilterNode } from './filter.ts'
import {
  coreSchemaOf,
  lookupSubAttribute,
  matchExtensionUrn,
  resolveAttributePath,
  type AttributeDefinition,
  type ResolvedAttribute,
  type ResourceKind,
} from './schema-definitions.ts'

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

export interface PatchResult {
  resource: Record<string, unknown>
  changed: boolean
  /** Member ids present after the PATCH and not before (Groups only). */
  membersAdded: string[]
  /** Member ids present before the PATCH and not after (Groups only). */
  membersRemoved: string[]
}

type OpName = 'add' | 'replace' | 'remove'

const LENIENT: CoerceOptions = { lenientShapes: true }

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

function invalidPath(path: string, why: string): never {
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

function isReadOnly(resolved: ResolvedAttribute): boolean {
  return resolved.attribute.mutability === 'readOnly' || resolved.leaf.mutability === 'readOnly'
}

function isWriteOnlyNeverStored(resolved: ResolvedAttribute): boolean {
  return resolved.attribute.mutability === 'writeOnly'
}

class PatchContext {
  resource: JsonObject
  kind: ResourceKind

  constructor(resource: JsonObject, kind: ResourceKind) {
    this.resource = resource
    this.kind = kind
  }

  container(resolved: ResolvedAttribute, create: boolean): JsonObject | undefined {
    if (resolved.extension === undefined) return this.resource
    const existing = this.resource[resolved.extension]
    if (isObject(existing)) return existing
    if (!create) return undefined
    const created: JsonObject = {}
    this.resource[resolved.extension] = created
    return created
  }

  apply(op: OpName, path: PatchPath | undefined, value: unknown): void {
    if (!path) return this.applyWithoutPath(op, value)
    if (path.extension) return this.applyToExtension(op, path.extension, value)
    const resolved = path.resolved as ResolvedAttribute
    if (isReadOnly(resolved)) {
      throw new ScimError(
        400,
        `"${resolved.canonical}" is readOnly and cannot be changed with PATCH`,
        'mutability',
      )
    }
    // The password is accepted (Okta's password sync) but never stored.
    if (isWriteOnlyNeverStored(resolved)) return
    if (path.filter) return this.applyFiltered(op, path, resolved, value)
    this.applyToAttribute(op, resolved, value)
  }

  /** Okta: {"op":"replace","value":{"active":false}}; Entra: dotted and URN keys in value. */
  private applyWithoutPath(op: OpName, value: unknown): void {
    if (op === 'remove') {
      throw new ScimError(
        400,
        'A "remove" operation needs a "path" naming what to remove',
        'noTarget',
      )
    }
    if (!isObject(value)) {
      throw new ScimError(
        400,
        `An "${op}" operation without "path" needs an object "value" of attributes, such as {"active":false}`,
        'invalidValue',
      )
    }
    for (const key of Object.keys(value)) {
      if (key.toLowerCase() === 'schemas') continue
      const extension = matchExtensionUrn(this.kind, key)
      if (extension) {
        this.applyToExtension(op, extension, value[key])
        continue
      }
      if (key.includes('[')) {
        // A value-filter key such as "emails[type eq \"work\"].value" is a path in disguise.
        this.apply(op, parsePatchPath(this.kind, key), value[key])
        continue
      }
      const resolved = resolveAttributePath(this.kind, key)
      // Unknown, readOnly (Okta's group rename carries "id") and write-only keys are ignored,
      // the same way POST and PUT ignore them.
      if (!resolved || isReadOnly(resolved) || isWriteOnlyNeverStored(resolved)) continue
      this.applyToAttribute(op, resolved, value[key])
    }
  }

  private applyToExtension(op: OpName, urn: string, value: unknown): void {
    if (op === 'remove' || value === null) {
      delete this.resource[urn]
      return
    }
    if (!isObject(value)) {
      throw new ScimError(400, `"${urn}" must be an object of its attributes`, 'invalidValue')
    }
    for (const key of Object.keys(value)) {
      const resolved = resolveAttributePath(this.kind, `${urn}:${key}`)
      if (!resolved || isReadOnly(resolved)) continue
      this.applyToAttribute(op, resolved, value[key])
    }
  }

  private applyToAttribute(op: OpName, resolved: ResolvedAttribute, value: unknown): void {
    const attribute = resolved.attribute
    const sub = resolved.subAttribute
    if (sub) {
      if (attribute.multiValued) {
        invalidPath(
          resolved.canonical,
          `select which value to change with a filter, such as ${attribute.name}[type eq "work"].${sub.name}`,
        )
      }
      return this.applySubAttribute(op, resolved, attribute, sub, value)
    }
    if (attribute.multiValued) return this.applyMultiValued(op, resolved, value)
    const container = this.container(resolved, op !== 'remove')
    if (!container) return
    if (op === 'remove') {
      deleteField(container, attribute.name)
      return
    }
    const coerced = coerceAttribute(attribute, value, resolved.canonical, LENIENT)
    if (coerced === undefined) {
      deleteField(container, attribute.name)
      return
    }
    if (attribute.type === 'complex' && isObject(value)) {
      // RFC 7644 §3.5.2.1/3: sub-attributes not given are left unchanged.
      const existing = getField(container, attribute.name)
      setField(container, attribute.name, {
        ...(isObject(existing) ? existing : {}),
        ...(coerced as JsonObject),
      })
      return
    }
    setField(container, attribute.name, coerced)
  }

  private applySubAttribute(
    op: OpName,
    resolved: ResolvedAttribute,
    attribute: AttributeDefinition,
    sub: AttributeDefinition,
    value: unknown,
  ): void {
    const container = this.container(resolved, op !== 'remove')
    if (!container) return
    const existing = getField(container, attribute.name)
    const parent: JsonObject = isObject(existing) ? { ...existing } : {}
    const coerced =
      op === 'remove' ? undefined : coerceAttribute(sub, value, resolved.canonical, LENIENT)
    if (coerced === undefined) deleteField(parent, sub.name)
    else setField(parent, sub.name, coerced)
    if (Object.keys(parent).length === 0) deleteField(container, attribute.name)
    else setField(container, attribute.name, parent)
  }

  private applyMultiValued(op: OpName, resolved: ResolvedAttribute, value: unknown): void {
    const attribute = resolved.attribute
    const container = this.container(resolved, op !== 'remove')
    if (!container) return
    const current = getField(container, attribute.name)
    const existing: unknown[] = Array.isArray(current) ? current.slice() : []

    if (op === 'remove') {
      if (isUnassigned(value)) {
        deleteField(container, attribute.name)
        return
      }
      // Entra without aadOptscim062020: {"op":"Remove","path":"members","value":[{"value":"id"}]}
      // removes only the listed values.
      const doomed = new ValueIndex(attribute)
      const listed = coerceAttribute(attribute, value, resolved.canonical, LENIENT) as unknown[]
      for (const item of listed ?? []) doomed.add(item)
      const kept = existing.filter((item) => doomed.find(item) === undefined)
      this.storeList(container, attribute, kept)
      return
    }
    const items = coerceAttribute(attribute, value, resolved.canonical, LENIENT) as
      unknown[] | undefined
    if (op === 'replace') {
      this.storeList(container, attribute, items ?? [])
      return
    }
    if (!items) return
    const index = new ValueIndex(attribute)
    for (const item of existing) index.add(item)
    for (const item of items) {
      const match = index.find(item)
      // Adding a value that is already there changes nothing (RFC 7644 §3.5.2.1), so repeated
      // membership pushes are idempotent; new sub-attributes are merged in.
      if (match !== undefined && isObject(match) && isObject(item)) Object.assign(match, item)
      else if (match === undefined) {
        existing.push(item)
        index.add(item)
      }
    }
    this.storeList(container, attribute, existing)
  }

  private storeList(container: JsonObject, attribute: AttributeDefinition, items: unknown[]): void {
    if (items.length === 0) {
      deleteField(container, attribute.name)
      return
    }
    applyPrimaryRule(items)
    setField(container, attribute.name, items)
  }

  /** `members[value eq "abc"]`, `emails[type eq "work"].value`. */
  private applyFiltered(
    op: OpName,
    path: PatchPath,
    resolved: ResolvedAttribute,
    value: unknown,
  ): void {
    const attribute = resolved.attribute
    const filter = path.filter as FilterNode
    const sub = path.subAttribute
    const container = this.container(resolved, op !== 'remove')
    if (!container) return this.noTargetUnlessMembers(op, path, attribute)
    const current = getField(container, attribute.name)
    const items: unknown[] = Array.isArray(current) ? current.slice() : []
    const selects = compileValueFilter(filter, attribute)
    const matched: number[] = []
    for (let i = 0; i < items.length; i++) if (selects(items[i])) matched.push(i)
    const matchedSet = new Set(matched)

    if (op === 'remove') {
      if (matched.length === 0) return this.noTargetUnlessMembers(op, path, attribute)
      if (sub) {
        for (const i of matched) {
          const item = items[i]
          if (isObject(item)) deleteField(item, sub.name)
        }
        this.storeList(
          container,
          attribute,
          items.filter((item) => !isObject(item) || Object.keys(item).length > 0),
        )
      } else {
        this.storeList(
          container,
          attribute,
          items.filter((_, i) => !matchedSet.has(i)),
        )
      }
      return
    }

    let patch: JsonObject
    if (sub) {
      const coerced = coerceAttribute(sub, value, `${attribute.name}.${sub.name}`, LENIENT)
      patch = coerced === undefined ? {} : { [sub.name]: coerced }
      if (coerced === undefined) {
        for (const i of matched) {
          const item = items[i]
          if (isObject(item)) deleteField(item, sub.name)
        }
      }
    } else {
      if (!isObject(value)) {
        throw new ScimError(
          400,
          `"${path.text}" selects ${attribute.name} values; "value" must be an object of sub-attributes`,
          'invalidValue',
        )
      }
      patch =
        (coerceAttribute({ ...attribute, multiValued: false }, value, attribute.name, LENIENT) as
          JsonObject | undefined) ?? {}
    }

    if (matched.length === 0) {
      // Entra replaces emails[type eq "work"].value on users that have no work email yet; a
      // filter made only of equalities describes the value to create.
      const seed = seedFromFilter(filter)
      if (!seed) {
        throw new ScimError(400, `No ${attribute.name} value matches "${path.text}"`, 'noTarget')
      }
      if (Object.keys(patch).length === 0) return
      const created = coerceAttribute(
        { ...attribute, multiValued: false },
        { ...seed, ...patch },
        attribute.name,
        LENIENT,
      )
      if (created !== undefined) items.push(created)
    } else {
      for (const i of matched) {
        const item = items[i]
        if (isObject(item)) Object.assign(item, patch)
      }
    }
    this.storeList(
      container,
      attribute,
      items.filter((item) => !isObject(item) || Object.keys(item).length > 0),
    )
  }

  /**
   * Removing a member who is not (or no longer) in the group succeeds: IdPs retry removals and
   * a 400 would turn a harmless repeat into a provisioning failure. Other attributes follow
   * RFC 7644 §3.12 (noTarget).
   */
  private noTargetUnlessMembers(op: OpName, path: PatchPath, attribute: AttributeDefinition): void {
    if (op === 'remove' && this.kind === 'Group' && attribute.name === 'members') return
    throw new ScimError(400, `No ${attribute.name} value matches "${path.text}"`, 'noTarget')
  }
}

/** Two values of a multi-valued attribute are the same when their `value`s are equal. */
function sameValue(attribute: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (!isObject(a) || !isObject(b)) return jsonEqual(a, b)
  const valueDefinition = lookupSubAttribute(attribute, 'value')
  if (!valueDefinition || a.value === undefined || b.value === undefined) return jsonEqual(a, b)
  const same =
    valueDefinition.caseExact || typeof a.value !== 'string' || typeof b.value !== 'string'
      ? a.value === b.value
      : a.value.toLowerCase() === b.value.toLowerCase()
  if (!same) return false
  // emails: the same address as "work" and as "home" are two values.
  if (typeof a.type === 'string' && typeof b.type === 'string') {
    return a.type.toLowerCase() === b.type.toLowerCase()
  }
  return true
}

/**
 * Values of a multi-valued attribute bucketed by their `value`, so adding or removing many
 * members of a large group stays linear; sameValue still decides within a bucket.
 */
class ValueIndex {
  attribute: AttributeDefinition
  caseExact: boolean
  buckets = new Map<string, unknown[]>()
  unkeyed: unknown[] = []

  constructor(attribute: AttributeDefinition) {
    this.attribute = attribute
    this.caseExact = lookupSubAttribute(attribute, 'value')?.caseExact ?? false
  }

  private key(item: unknown): string | undefined {
    if (!isObject(item) || typeof item.value !== 'string') return undefined
    return this.caseExact ? item.value : item.value.toLowerCase()
  }

  add(item: unknown): void {
    const key = this.key(item)
    if (key === undefined) {
      this.unkeyed.push(item)
      return
    }
    const bucket = this.buckets.get(key)
    if (bucket) bucket.push(item)
    else this.buckets.set(key, [item])
  }

  find(item: unknown): unknown {
    const key = this.key(item)
    const candidates = key === undefined ? this.unkeyed : (this.buckets.get(key) ?? [])
    return candidates.find((candidate) => sameValue(this.attribute, candidate, item))
  }
}

/** {type:"work"} from `type eq "work"`; undefined unless the filter is only `and`ed equalities. */
function seedFromFilter(filter: FilterNode): JsonObject | undefined {
  if (filter.type === 'compare' && filter.op === 'eq' && filter.value !== null) {
    return { [filter.path]: filter.raw ?? filter.value }
  }
  if (filter.type === 'and') {
    const left = seedFromFilter(filter.left)
    const right = seedFromFilter(filter.right)
    return left && right ? { ...left, ...right } : undefined
  }
  return undefined
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
