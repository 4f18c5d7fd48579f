/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.9, §3.4.2.5). `id` and `schemas` are
 * always returned; `returned: never` attributes (password) never are. Unknown names are
 * ignored rather than rejected, because the RFC gives them no error and a client asking for an
 * attribute we do not have should still get the resource.
 */
import { deleteField, getField, isObject, type JsonObject } from './attribute-values.ts'
import { compileValueFilter, parseFilter } from './filter.ts'
import {
  coreAttributeIndex,
  matchExtensionUrn,
  resolveAttributePath,
  type AttributeDefinition,
  type ResolvedAttribute,
  type ResourceKind,
} from './schema-definitions.ts'
import { ScimError } from './scim-error.ts'

export interface ProjectionOptions {
  attributes?: string | string[] | undefined
  excludedAttributes?: string | string[] | undefined
}

interface Selection {
  /** Key of the extension object, or '' for the resource root. */
  container: string
  /** Whole extension when attribute is undefined. */
  attribute?: AttributeDefinition
  sub?: AttributeDefinition
  filter?: (item: unknown) => boolean
}

function splitList(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  const parts = Array.isArray(value) ? value.flatMap((v) => v.split(',')) : value.split(',')
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

function parseSelection(kind: ResourceKind, text: string): Selection | undefined {
  const open = text.indexOf('[')
  const name = open === -1 ? text : text.slice(0, open)
  const extension = matchExtensionUrn(kind, name)
  if (extension) return { container: extension }
  const resolved: ResolvedAttribute | undefined = resolveAttributePath(kind, name)
  if (!resolved) return undefined
  const selection: Selection = {
    container: resolved.extension ?? '',
    attribute: resolved.attribute,
  }
  if (resolved.subAttribute) selection.sub = resolved.subAttribute
  if (open !== -1) {
    // The Entra reference collection asks for ?attributes=emails[type eq "work"].
    const close = text.lastIndexOf(']')
    if (close < open || !resolved.attribute.multiValued) return selection
    try {
      selection.filter = compileValueFilter(
        parseFilter(text.slice(open + 1, close)),
        resolved.attribute,
      )
    } catch (error) {
      if (error instanceof ScimError)
        throw new ScimError(400, `attributes: ${error.message}`, 'invalidFilter')
      throw error
    }
    const rest = text.slice(close + 1)
    if (rest.startsWith('.')) {
      const sub = resolved.attribute.subAttributes?.find(
        (s) => s.name.toLowerCase() === rest.slice(1).toLowerCase(),
      )
      if (sub) selection.sub = sub
    }
  }
  return selection
}

function containerOf(resource: JsonObject, key: string): JsonObject | undefined {
  if (key === '') return resource
  const value = resource[key]
  return isObject(value) ? value : undefined
}

function pickSub(item: unknown, subs: Set<string> | undefined): unknown {
  if (!subs || !isObject(item)) return item
  const out: JsonObject = {}
  for (const name of subs) {
    const v = getField(item, name)
    if (v !== undefined) out[name] = v
  }
  return out
}

function include(
  resource: JsonObject,
  out: JsonObject,
  selections: Selection[],
  kind: ResourceKind,
): void {
  // Group selections per attribute so `emails.value,emails.type` returns both sub-attributes.
  const grouped = new Map<
    string,
    {
      container: string
      attribute: AttributeDefinition
      subs?: Set<string>
      whole: boolean
      filters: ((item: unknown) => boolean)[]
      unfiltered: boolean
    }
  >()
  for (const s of selections) {
    if (!s.attribute) {
      const data = containerOf(resource, s.container)
      if (data) out[s.container] = structuredClone(data)
      continue
    }
    const key = `${s.container}\u0000${s.attribute.name}`
    let g = grouped.get(key)
    if (!g) {
      g = {
        container: s.container,
        attribute: s.attribute,
        whole: false,
        filters: [],
        unfiltered: false,
      }
      grouped.set(key, g)
    }
    if (s.sub) (g.subs ??= new Set()).add(s.sub.name)
    else g.whole = true
    if (s.filter) g.filters.push(s.filter)
    else g.unfiltered = true
  }
  for (const g of grouped.values()) {
    const source = containerOf(resource, g.container)
    if (!source) continue
    const value = getField(source, g.attribute.name)
    if (value === undefined || value === null) continue
    const subs = g.whole ? undefined : g.subs
    let picked: unknown
    if (Array.isArray(value)) {
      const kept = g.unfiltered
        ? value
        : value.filter((item) => g.filters.some((selects) => selects(item)))
      picked = kept.map((item) => pickSub(item, subs))
      if ((picked as unknown[]).length === 0) continue
    } else {
      picked = pickSub(value, subs)
    }
    const target =
      g.container === ''
        ? out
        : ((out[g.container] as JsonObject | undefined) ?? (out[g.container] = {}))
    const existing = target[g.attribute.name]
    target[g.attribute.name] =
      isObject(existing) && isObject(picked) ? { ...existing, ...picked } : structuredClone(picked)
  }
  alwaysReturned(resource, out, kind)
}

function alwaysReturned(resource: JsonObject, out: JsonObject, kind: ResourceKind): void {
  for (const definition of coreAttributeIndex(kind).values()) {
    if (definition.returned === 'always' && resource[definition.name] !== undefined) {
      out[definition.name] = structuredClone(resource[definition.name])
    }
  }
  if (resource.schemas !== undefined) out.schemas = structuredClone(resource.schemas)
}

function exclude(out: JsonObject, selections: Selection[]): void {
  for (const s of selections) {
    if (!s.attribute) {
      delete out[s.container]
      continue
    }
    if (s.attribute.returned === 'always') continue
    const container = containerOf(out, s.container)
    if (!container) continue
    if (!s.sub) {
      deleteField(container, s.attribute.name)
    } else {
      const value = getField(container, s.attribute.name)
      const items = Array.isArray(value) ? value : [value]
      for (const item of items) if (isObject(item)) deleteField(item, s.sub.name)
    }
    if (s.container !== '' && Object.keys(container).length === 0) delete out[s.container]
  }
}

function stripNeverReturned(out: JsonObject, kind: ResourceKind): void {
  for (const definition of coreAttributeIndex(kind).values()) {
    if (definition.returned === 'never') deleteField(out, definition.name)
  }
}

/**
 * A new object holding the attributes the client asked for; `resource` is not modified, unless
 * the caller hands it over (`owned`: a representation rendered just for this response), which
 * saves any copy. Without exclusions the copy is shallow (only top-level never-returned attributes
 * are deleted from it), sharing nested values with `resource`: callers only serialise the result.
 */
export function projectAttributes(
  resource: Record<string, unknown>,
  options: ProjectionOptions,
  kind: ResourceKind,
  owned = false,
): Record<string, unknown> {
  const wanted = splitList(options.attributes)
    .map((a) => parseSelection(kind, a))
    .filter((s): s is Selection => s !== undefined)
  const unwanted = splitList(options.excludedAttributes)
    .map((a) => parseSelection(kind, a))
    .filter((s): s is Selection => s !== undefined)
  let out: JsonObject
  if (splitList(options.attributes).length > 0) {
    out = {}
    include(resource, out, wanted, kind)
    // Keep the conventional order: schemas, id first.
    const { schemas, id, ...rest } = out
    out = {
      ...(schemas === undefined ? {} : { schemas }),
      ...(id === undefined ? {} : { id }),
      ...rest,
    }
  } else {
    out = owned ? resource : unwanted.length === 0 ? { ...resource } : structuredClone(resource)
  }
  exclude(out, unwanted)
  stripNeverReturned(out, kind)
  return out
}
