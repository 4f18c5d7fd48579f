import {
  USER,
  GROUP,
  ENTERPRISE,
  ScimError,
  type Json,
  type Rec,
} from './memory-scim-server-model.ts'
import { parseFilter, keyOf, matches, ENTERPRISE_ATTRS } from './memory-scim-server-filter.ts'

/** The memory SCIM server's PATCH: apply the operations Okta, Entra and RFC 7644 send. */

export function asBool(v: unknown): unknown {
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true'
  return v
}

export function dropNulls(body: Json): Json {
  const out: Json = {}
  for (const [k, v] of Object.entries(body)) {
    if (v === null) continue
    if (k.startsWith('urn:') && v && typeof v === 'object' && !Array.isArray(v))
      out[k] = dropNulls(v as Json)
    else out[k] = v
  }
  return out
}

function setPath(
  target: Json,
  path: string,
  value: unknown,
  op: 'add' | 'replace',
  top = true,
): void {
  if (top && ENTERPRISE_ATTRS.test(path)) {
    // Entra sends the single-valued manager as a one-element array: [{"$ref":…,"value":"id"}].
    if (path === 'manager') {
      const first = (Array.isArray(value) ? value[0] : value) as Json | string | undefined
      const id = typeof first === 'string' ? first : first?.value
      value = id === undefined || id === null || id === '' ? undefined : { value: id }
    }
    const ext = (target[ENTERPRISE] ??= {}) as Json
    if (value === undefined) delete ext[path.split('.')[0]!]
    else setPath(ext, path, value, op, false)
    return
  }
  const urn = path.match(/^(urn:[^[\]]+?):([^:]+)$/)
  if (urn && urn[1] !== USER && urn[1] !== GROUP) {
    const ext = (target[urn[1]!] ??= {}) as Json
    setPath(ext, urn[2]!, value, op, false)
    return
  }
  if (urn) path = urn[2]!
  const valuePath = path.match(/^([^[]+)\[(.+)\](?:\.(.+))?$/)
  if (valuePath) {
    const [, attr, sub, tail] = valuePath
    const k = keyOf(target, attr!) ?? attr!
    const list = Array.isArray(target[k]) ? (target[k] as Json[]) : []
    const f = parseFilter(sub!)
    const hits = list.filter((o) => matches(o, f))
    if (hits.length === 0) {
      if (op === 'replace') throw new ScimError(400, `No value matches ${path}`, 'noTarget')
      return
    }
    for (const hit of hits) {
      if (tail) hit[tail] = value
      else Object.assign(hit, value)
    }
    target[k] = list
    return
  }
  const [head, ...rest] = path.split('.')
  const k = keyOf(target, head!) ?? head!
  if (rest.length > 0) {
    const child = (
      target[k] && typeof target[k] === 'object' ? target[k] : (target[k] = {})
    ) as Json
    setPath(child, rest.join('.'), value, op, false)
    return
  }
  if (k === 'active') value = asBool(value)
  if (op === 'add' && Array.isArray(target[k]) && Array.isArray(value)) {
    const existing = target[k] as Json[]
    for (const v of value as Json[]) {
      if (!existing.some((e) => e.value !== undefined && e.value === v.value)) existing.push(v)
    }
  } else {
    target[k] = value
  }
}

function removePath(target: Json, path: string, value: unknown): void {
  const valuePath = path.match(/^([^[]+)\[(.+)\]$/)
  if (valuePath) {
    const k = keyOf(target, valuePath[1]!) ?? valuePath[1]!
    const f = parseFilter(valuePath[2]!)
    if (Array.isArray(target[k])) target[k] = (target[k] as Json[]).filter((o) => !matches(o, f))
    return
  }
  const k = keyOf(target, path) ?? path
  if (Array.isArray(target[k]) && Array.isArray(value)) {
    // Entra's legacy member removal: {"op":"Remove","path":"members","value":[{"value":"id"}]}
    const drop = new Set((value as Json[]).map((v) => v.value))
    target[k] = (target[k] as Json[]).filter((o) => !drop.has(o.value))
    return
  }
  if (path.includes('.')) {
    const [head, ...rest] = path.split('.')
    const child = target[keyOf(target, head!) ?? head!]
    if (child && typeof child === 'object') removePath(child as Json, rest.join('.'), value)
    return
  }
  delete target[k]
}

export function applyPatch(resource: Rec, body: unknown): Rec {
  const ops = (body as Json)?.Operations
  if (!Array.isArray(ops))
    throw new ScimError(400, 'PatchOp needs an Operations array', 'invalidSyntax')
  const next = structuredClone(resource) as Rec
  for (const raw of ops as Json[]) {
    const op = String(raw.op ?? '').toLowerCase()
    const path = typeof raw.path === 'string' ? raw.path : undefined
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw new ScimError(400, `Unknown op "${String(raw.op)}"`, 'invalidSyntax')
    }
    if (op === 'remove') {
      if (!path) throw new ScimError(400, 'remove needs a path', 'noTarget')
      removePath(next, path, raw.value)
      continue
    }
    if (path) {
      setPath(next, path, raw.value, op)
    } else {
      if (!raw.value || typeof raw.value !== 'object')
        throw new ScimError(400, 'A PATCH without path needs an object value', 'invalidValue')
      for (const [k, v] of Object.entries(raw.value as Json)) {
        if (k === 'id' || k === 'meta' || k === 'schemas') continue
        if (
          v &&
          typeof v === 'object' &&
          !Array.isArray(v) &&
          !k.startsWith('urn:') &&
          op === 'replace'
        ) {
          for (const [sk, sv] of Object.entries(v as Json)) setPath(next, `${k}.${sk}`, sv, op)
        } else {
          setPath(next, k, v, op)
        }
      }
    }
  }
  next.id = resource.id
  return next
}
