import { ScimError } from './scim-error.ts'
import {
  applyPrimaryRule,
  coerceAttribute,
  deleteField,
  getField,
  isObject,
  isUnassigned,
  setField,
  type CoerceOptions,
  type JsonObject,
} from './attribute-values.ts'
import { compileValueFilter, type FilterNode } from './filter.ts'
import {
  matchExtensionUrn,
  resolveAttributePath,
  type AttributeDefinition,
  type ResolvedAttribute,
  type ResourceKind,
} from './schema-definitions.ts'
import { invalidPath, parsePatchPath, type PatchPath } from './patch-path.ts'
import { seedFromFilter, ValueIndex } from './patch-values.ts'

/** One PATCH operation applied to the working copy of a resource. */

export type OpName = 'add' | 'replace' | 'remove'

const LENIENT: CoerceOptions = { lenientShapes: true }

function isReadOnly(resolved: ResolvedAttribute): boolean {
  return resolved.attribute.mutability === 'readOnly' || resolved.leaf.mutability === 'readOnly'
}

function isWriteOnlyNeverStored(resolved: ResolvedAttribute): boolean {
  return resolved.attribute.mutability === 'writeOnly'
}

export class PatchContext {
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
