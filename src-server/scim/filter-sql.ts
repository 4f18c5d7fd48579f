/**
 * SCIM filters (RFC 7644 §3.4.2.2) compiled to a parameterised SQL condition over the `users`
 * or `groups` table (alias `r`), so a list request reads only the rows it returns. The meaning
 * is filter-evaluation.ts's on the rendered resource, which stays the reference: the property
 * tests (filter-sql.property.test.ts) compare the two on random filters and random data.
 *
 * Values come from the indexed columns where one holds exactly what the resource shows (id,
 * externalId, userName, displayName, meta.*, and query-columns.ts's), from `user_emails` for `emails.value eq`, from the
 * membership tables for `groups`/`members`, and from the stored JSON otherwise (json_each over
 * multi-valued attributes). Values and paths are never spliced in: values are bound parameters,
 * and JSON paths are built from the schema's canonical names.
 */
import type { FilterNode } from './filter-parser.ts'
import {
  validateFilter,
  comparedDefinition,
  resolveRelative,
  resolveTop,
} from './filter-validation.ts'
import type { SqlParams } from './filter-sql-values.ts'
import {
  assigned,
  childPath,
  compareLeaf,
  FALSE,
  jsonPath,
  sqlString,
  TRUE,
  type Predicate,
  type Source,
} from './filter-sql-values.ts'
import { USER_QUERY_COLUMNS } from '../store/query-columns.ts'
import {
  ENTERPRISE_USER_SCHEMA,
  type AttributeDefinition,
  type ResolvedAttribute,
  type ResourceKind,
} from './schema-definitions.ts'

export { SqlParams } from './filter-sql-values.ts'

/** The values of one attribute path for one row: a single place, or a set of items. */
export type Values =
  | { kind: 'single'; source: Source }
  | {
      kind: 'items'
      /** `FROM ... WHERE ...` of a correlated subquery yielding one row per item. */
      from: string
      /** Where the compared value of an item lives; undefined: the item itself. */
      value: Source | undefined
      /** Whether the item itself is assigned. */
      itemAssigned: string
      /** Whether the item is an object (the evaluator skips other items in value filters). */
      isObject: string
      /** Conditions reading an item's sub-attributes must run only on object items. */
      guarded?: boolean
      /** Members of value filters, by sub-attribute name. */
      scope: Scope
    }

/** Resolves the paths inside `[...]` against one item of a multi-valued (or complex) attribute. */
interface Scope {
  source: (definition: AttributeDefinition) => Source
}

function jsonScope(doc: string, base: string): Scope {
  return {
    source: (definition) => ({ kind: 'json', doc, path: childPath(base, definition.name) }),
  }
}

function columnScope(columns: Record<string, string>): Scope {
  return {
    source: (definition) => ({ kind: 'column', sql: columns[definition.name] ?? 'NULL' }),
  }
}

export interface CompileContext {
  kind: ResourceKind
  params: SqlParams
  /** Parameter holding the SCIM base URL (meta.location, $ref). */
  baseUrl: string
  /** Parameter holding the tenant id. */
  tenant: string
  /** Distinct alias per correlated subquery. */
  aliases: number
}

const ITEM_OBJECT = (alias: string) => `${alias}.type = 'object'`

function membershipItems(
  ctx: CompileContext,
  sub: string | undefined,
): Extract<Values, { kind: 'items' }> {
  const a = `m${ctx.aliases++}`
  let columns: Record<string, string>
  let from: string
  if (ctx.kind === 'User') {
    // What render() shows as a user's `groups`: its direct groups in this tenant.
    from = `FROM group_members ${a} JOIN groups ${a}g ON ${a}g.id = ${a}.group_id WHERE ${a}.member_id = r.id AND ${a}g.tenant_id = r.tenant_id`
    columns = {
      value: `${a}g.id`,
      display: `${a}g.display_name`,
      $ref: `${ctx.baseUrl} || '/Groups/' || ${a}g.id`,
      type: `'direct'`,
    }
  } else {
    from = `FROM group_members ${a} LEFT JOIN users ${a}u ON ${a}.member_type = 'User' AND ${a}u.id = ${a}.member_id LEFT JOIN groups ${a}g ON ${a}.member_type = 'Group' AND ${a}g.id = ${a}.member_id WHERE ${a}.group_id = r.id`
    columns = {
      value: `${a}.member_id`,
      display: `COALESCE(${a}u.user_name, ${a}g.display_name)`,
      $ref: `${ctx.baseUrl} || CASE ${a}.member_type WHEN 'User' THEN '/Users/' ELSE '/Groups/' END || ${a}.member_id`,
      type: `${a}.member_type`,
    }
  }
  return {
    kind: 'items',
    from,
    value: sub === undefined ? undefined : { kind: 'column', sql: columns[sub] ?? 'NULL' },
    itemAssigned: '1',
    isObject: '1',
    scope: columnScope(columns),
  }
}

/** Columns that hold exactly what the rendered resource shows. */
export function columnOf(
  ctx: CompileContext,
  canonical: string,
): Extract<Source, { kind: 'column' }> | undefined {
  switch (canonical) {
    case 'id':
      return { kind: 'column', sql: 'r.id', required: true }
    case 'externalId':
      return { kind: 'column', sql: 'r.external_id' }
    case 'userName':
      return ctx.kind === 'User'
        ? { kind: 'column', sql: 'r.user_name_lower', lowered: true, required: true }
        : undefined
    case 'displayName':
      return { kind: 'column', sql: 'r.display_name_lower', lowered: true }
    case 'active':
      return ctx.kind === 'User'
        ? { kind: 'column', sql: 'r.active_value', boolean: true }
        : undefined
    case 'title':
    case 'name.givenName':
    case 'name.familyName':
    case `${ENTERPRISE_USER_SCHEMA}:department`: {
      const column = USER_QUERY_COLUMNS.find(([, path]) => path === canonical)
      return ctx.kind === 'User' && column
        ? { kind: 'column', sql: `r.${column[0]}`, lowered: true }
        : undefined
    }
    case 'meta.created':
      return { kind: 'column', sql: 'r.created_at', date: true, required: true }
    case 'meta.lastModified':
      return { kind: 'column', sql: 'r.last_modified', date: true, required: true }
    case 'meta.resourceType':
      return { kind: 'column', sql: `'${ctx.kind}'`, required: true }
    case 'meta.location':
      return {
        kind: 'column',
        sql: `${ctx.baseUrl} || '/${ctx.kind === 'User' ? 'Users' : 'Groups'}/' || r.id`,
        required: true,
      }
    case 'meta.version':
      return { kind: 'column', sql: `'W/"' || r.version || '"'`, required: true }
    default:
      return undefined
  }
}

/**
 * The values a top-level path selects. `implicitValue`: a complex attribute compared directly
 * means its `value` sub-attribute (`emails co "x"`), as in the evaluator.
 */
export function valuesOf(
  ctx: CompileContext,
  resolved: ResolvedAttribute,
  implicitValue: boolean,
): Values {
  const { attribute } = resolved
  let sub = resolved.subAttribute?.name
  if (!sub && implicitValue && attribute.type === 'complex') sub = 'value'
  const column = columnOf(ctx, resolved.canonical)
  if (column) return { kind: 'single', source: column }
  if (resolved.extension === undefined && attribute.name === 'meta') {
    // `meta pr` and `meta[...]`: every rendered resource has meta, made of columns.
    return {
      kind: 'items',
      from: 'WHERE 1',
      value: undefined,
      itemAssigned: '1',
      isObject: '1',
      scope: {
        source: (definition) =>
          columnOf(ctx, `meta.${definition.name}`) ?? { kind: 'column', sql: 'NULL' },
      },
    }
  }
  const memberAttr = membershipAttribute(ctx.kind)
  if (resolved.extension === undefined && attribute.name === memberAttr) {
    return membershipItems(ctx, sub)
  }
  const base = resolved.extension === undefined ? '$' : jsonPath('$', resolved.extension)
  const top = jsonPath(base, attribute.name)
  if (!attribute.multiValued) {
    const path = sqlString(sub === undefined ? top : jsonPath(top, sub))
    return { kind: 'single', source: { kind: 'json', doc: 'r.json', path } }
  }
  const e = `e${ctx.aliases++}`
  return {
    kind: 'items',
    from: `FROM json_each(r.json, ${sqlString(top)}) ${e} WHERE 1`,
    value:
      sub === undefined
        ? undefined
        : { kind: 'json', doc: `${e}.value`, path: sqlString(jsonPath('$', sub)) },
    itemAssigned: `(${e}.type <> 'null' AND NOT (${e}.type = 'text' AND ${e}.atom = '') AND NOT (${e}.type = 'array' AND ${e}.value = '[]'))`,
    isObject: ITEM_OBJECT(e),
    guarded: true,
    scope: jsonScope(`${e}.value`, "'$'"),
  }
}

/**
 * Whether some item satisfies `condition`. `onObjects`: the condition reads the item's
 * sub-attributes, so it runs under a CASE (SQL does not promise the order of AND's operands).
 */
function exists(
  items: Extract<Values, { kind: 'items' }>,
  condition: string,
  onObjects = true,
): Predicate {
  if (items.from === 'WHERE 1') return { sql: `(${condition})`, nullable: false }
  const test =
    onObjects && items.guarded
      ? `CASE WHEN ${items.isObject} THEN ${condition} ELSE 0 END`
      : condition
  return { sql: `EXISTS (SELECT 1 ${items.from} AND ${test})`, nullable: false }
}

function notNull(p: Predicate): string {
  return p.nullable ? `IFNULL(${p.sql}, 0)` : p.sql
}

function and(a: Predicate, b: Predicate): Predicate {
  if (a === FALSE || b === FALSE) return FALSE
  if (a === TRUE) return b
  if (b === TRUE) return a
  return { sql: `(${a.sql} AND ${b.sql})`, nullable: a.nullable || b.nullable }
}

function or(a: Predicate, b: Predicate): Predicate {
  if (a === TRUE || b === TRUE) return TRUE
  if (a === FALSE) return b
  if (b === FALSE) return a
  return { sql: `(${a.sql} OR ${b.sql})`, nullable: a.nullable || b.nullable }
}

function not(a: Predicate): Predicate {
  if (a === TRUE) return FALSE
  if (a === FALSE) return TRUE
  const inner = notNull(a)
  return { sql: `NOT ${inner}`, nullable: false, negates: inner }
}

function presentIn(values: Values): Predicate {
  if (values.kind === 'single') return assigned(values.source)
  if (values.value) return exists(values, assigned(values.value).sql)
  return exists(values, values.itemAssigned, false)
}

type Resolve = (
  path: string,
  implicitValue: boolean,
) => { values: Values; definition: AttributeDefinition; canonical?: string }

function compileNode(node: FilterNode, ctx: CompileContext, resolve: Resolve): Predicate {
  switch (node.type) {
    case 'and':
      return and(compileNode(node.left, ctx, resolve), compileNode(node.right, ctx, resolve))
    case 'or':
      return or(compileNode(node.left, ctx, resolve), compileNode(node.right, ctx, resolve))
    case 'not':
      return not(compileNode(node.filter, ctx, resolve))
    case 'present': {
      return presentIn(resolve(node.path, false).values)
    }
    case 'compare': {
      const { values, definition, canonical } = resolve(node.path, true)
      if (node.value === null) {
        if (node.op === 'eq') return not(presentIn(values))
        if (node.op === 'ne') return presentIn(values)
        return FALSE
      }
      const compared = comparedDefinition(definition, node.path)
      const op = node.op === 'ne' ? 'eq' : node.op
      const leaf = (source: Source) =>
        compareLeaf(source, compared, op, node.value as string, node.raw, ctx.params)
      if (values.kind === 'single') {
        const hit = leaf(values.source)
        return node.op === 'ne' ? not(hit) : hit
      }
      if (!values.value) return FALSE
      const hit =
        (canonical === 'emails.value' && emailIndex(ctx, node)) ||
        (canonical === `${membershipAttribute(ctx.kind)}.value` &&
          membershipIndex(ctx, node, compared.caseExact)) ||
        exists(values, notNull(leaf(values.value)))
      return node.op === 'ne' ? not(hit) : hit
    }
    case 'valuePath': {
      const top = resolve(node.path, false)
      const { definition, canonical } = top
      // A user's emails: the rows of user_emails (email-items.ts), found by the user's id.
      const values =
        canonical === 'emails' && ctx.kind === 'User' && top.values.kind === 'items'
          ? emailRows(ctx)
          : top.values
      const scope: Scope =
        values.kind === 'items'
          ? values.scope
          : values.source.kind === 'json'
            ? jsonScope(values.source.doc, values.source.path)
            : columnScope({})
      const relative: Resolve = (path) => {
        const sub = resolveRelative(definition, path)
        return { values: { kind: 'single', source: scope.source(sub) }, definition: sub }
      }
      let test = compileNode(node.filter, ctx, relative)
      if (node.then) test = and(test, compileNode(node.then, ctx, relative))
      if (values.kind === 'items') {
        if (test === FALSE) return FALSE
        const hit = exists(values, notNull(test))
        // Entra's `emails[type eq "work"].value eq "x"`: the email index narrows the rows first.
        const then = node.then
        if (
          canonical === 'emails' &&
          then?.type === 'compare' &&
          then.op === 'eq' &&
          then.value !== null &&
          /^value$/i.test(then.path)
        ) {
          const narrowed = emailIndex(ctx, then)
          if (narrowed) return and(narrowed, hit)
        }
        return hit
      }
      if (values.source.kind !== 'json') return FALSE
      const s = values.source
      return {
        sql: `CASE WHEN json_type(${s.doc}, ${s.path}) = 'object' THEN ${notNull(test)} ELSE 0 END`,
        nullable: false,
      }
    }
  }
}

/** The object items of a user's emails as user_emails holds them, lower-cased. */
function emailRows(ctx: CompileContext): Extract<Values, { kind: 'items' }> {
  const a = `ue${ctx.aliases++}`
  const columns: Record<string, Extract<Source, { kind: 'column' }>> = {
    value: { kind: 'column', sql: `${a}.value_lower`, lowered: true },
    type: { kind: 'column', sql: `${a}.type_lower`, lowered: true },
    display: { kind: 'column', sql: `${a}.display_lower`, lowered: true },
    primary: { kind: 'column', sql: `${a}.primary_value`, boolean: true },
  }
  return {
    kind: 'items',
    from: `FROM user_emails ${a} WHERE ${a}.user_id = r.id`,
    value: columns.value,
    itemAssigned: '1',
    isObject: '1',
    scope: { source: (definition) => columns[definition.name] ?? { kind: 'column', sql: 'NULL' } },
  }
}

/**
 * `emails.value eq "x"` (Okta's and Entra's match on email) from the user_emails index, which
 * holds the lower-cased string values of every stored email.
 */
function emailIndex(
  ctx: CompileContext,
  node: Extract<FilterNode, { type: 'compare' }>,
): Predicate | undefined {
  if (ctx.kind !== 'User' || (node.op !== 'eq' && node.op !== 'ne')) return undefined
  const text = (node.raw ?? String(node.value)).toLowerCase()
  if (text === '') return FALSE
  return {
    sql: `r.id IN (SELECT user_id FROM user_emails WHERE tenant_id = ${ctx.tenant} AND value_lower = ${ctx.params.add(text)})`,
    nullable: false,
  }
}

function membershipAttribute(kind: ResourceKind): 'groups' | 'members' {
  return kind === 'User' ? 'groups' : 'members'
}

/**
 * `members.value eq "<id>"` (a group's members) and `groups.value eq "<id>"` (a user's groups)
 * through group_members' own indexes, instead of probing every group's or user's memberships.
 * Were the attribute not caseExact, the table holds only ids this server generated (lower case,
 * resource-id.ts) that named an existing resource exactly (GroupStore.resolveMembers), so the
 * lower-cased value would find every match.
 */
function membershipIndex(
  ctx: CompileContext,
  node: Extract<FilterNode, { type: 'compare' }>,
  caseExact: boolean,
): Predicate | undefined {
  if ((node.op !== 'eq' && node.op !== 'ne') || typeof node.value !== 'string') return undefined
  const id = ctx.params.add(caseExact ? node.value : node.value.toLowerCase())
  const sql =
    ctx.kind === 'User'
      ? `r.id IN (SELECT m.member_id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.group_id = ${id} AND g.tenant_id = ${ctx.tenant})`
      : `r.id IN (SELECT group_id FROM group_members WHERE member_id = ${id})`
  return { sql, nullable: false }
}

function topResolver(ctx: CompileContext): Resolve {
  return (path, implicitValue) => {
    const resolved = resolveTop(ctx.kind, path)
    let canonical = resolved.canonical
    if (implicitValue && resolved.leaf.type === 'complex' && !resolved.subAttribute)
      canonical += '.value'
    return { values: valuesOf(ctx, resolved, implicitValue), definition: resolved.leaf, canonical }
  }
}

export interface CompiledFilter {
  /** A condition on alias `r`; parameters in `params`. */
  where: string
  /**
   * When the filter is `NOT x` (`ne`, `not (...)`): x, never NULL. Matches of a broad negation
   * are counted as the tenant's rows less x's matches, which an index usually finds.
   */
  negates?: string
}

/**
 * Compiles a parsed filter to a SQL condition over alias `r`. Throws the same 400 invalidFilter
 * as the evaluator for unknown attributes and misused operators.
 */
export function compileFilter(node: FilterNode, ctx: CompileContext): CompiledFilter {
  validateFilter(node, ctx.kind)
  const p = compileNode(node, ctx, topResolver(ctx))
  return {
    where: p === TRUE ? '1' : p === FALSE ? '0' : p.sql,
    ...(p.negates === undefined ? {} : { negates: p.negates }),
  }
}
