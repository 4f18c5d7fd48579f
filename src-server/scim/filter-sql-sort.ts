/**
 * `sortBy`/`sortOrder` (RFC 7644 §3.4.2.3) as an SQL ORDER BY over alias `r`, with the meaning
 * of sort-resources.ts: the key is the attribute's value (a multi-valued attribute's primary
 * value, else its first), lower-cased unless caseExact; unassigned keys sort last in both
 * orders; ties keep creation order (seq), so pages never overlap.
 */
import { sortResources } from './sort-resources.ts'
import { jsonPath, lowerSql, type Source } from './filter-sql-values.ts'
import { columnOf, type CompileContext } from './filter-sql.ts'
import {
  lookupSubAttribute,
  resolveAttributePath,
  type AttributeDefinition,
  type ResourceKind,
} from './schema-definitions.ts'

export interface CompiledSort {
  /** Expression computing the key, to select `AS k`. */
  key: string
  /** ORDER BY terms (referring to `k` and `r.seq`). */
  orderBy: string
  /** Set when the key is a unique, never-empty column: pages can resume after a key. */
  unique?: { column: string; descending: boolean }
}

function jsonKey(doc: string, path: string, definition: AttributeDefinition): string {
  const type = `json_type(${doc}, '${path}')`
  const value = `(${doc} ->> '${path}')`
  if (definition.type === 'boolean') {
    // toBoolean(value) ? 1 : 0 for any assigned value.
    return `CASE WHEN IFNULL(${type}, 'null') = 'null' OR (${type} = 'text' AND ${value} = '') THEN NULL WHEN ${type} = 'true' OR (${type} = 'text' AND lower(${value}) = 'true') THEN 1 ELSE 0 END`
  }
  const text = `CASE WHEN ${type} = 'text' AND ${value} <> '' THEN ${value} END`
  return definition.caseExact ? text : lowerSql(text)
}

function columnKey(source: Source & { kind: 'column' }, caseExact: boolean): string {
  const text = source.required ? source.sql : `NULLIF(${source.sql}, '')`
  return caseExact || source.lowered || source.date ? text : lowerSql(text)
}

/**
 * Compiles a sort. Throws the same 400 invalidValue as sortResources for an unknown attribute or
 * a bad sortOrder. `withMembership`: whether the listed resources carry groups/members (only when
 * the filter names them, as the in-memory path rendered them).
 */
export function compileSort(
  ctx: CompileContext,
  sortBy: string,
  sortOrder: string | undefined,
  withMembership: boolean,
): CompiledSort {
  sortResources([], sortBy, sortOrder, ctx.kind)
  const kind: ResourceKind = ctx.kind
  const resolved = resolveAttributePath(kind, sortBy)!
  const direction = (sortOrder ?? 'ascending').toLowerCase() === 'descending' ? 'DESC' : 'ASC'
  const definition =
    resolved.leaf.type === 'complex'
      ? (lookupSubAttribute(resolved.leaf, 'value') ?? resolved.leaf)
      : resolved.leaf
  const { attribute } = resolved
  let sub = resolved.subAttribute?.name
  if (!sub && attribute.type === 'complex') sub = 'value'
  let key: string
  const canonical =
    sub && !resolved.subAttribute ? `${resolved.canonical}.value` : resolved.canonical
  const column = columnOf(ctx, canonical)
  const memberAttr = kind === 'User' ? 'groups' : 'members'
  if (column?.boolean) {
    // toBoolean(value) ? 1 : 0 for any assigned value, as jsonKey does.
    key = `CASE WHEN ${column.sql} IS NULL THEN NULL WHEN ${column.sql} = 1 THEN 1 ELSE 0 END`
  } else if (column) {
    // userName is unique per tenant and never empty: the index order is the whole order.
    if (canonical === 'userName' && kind === 'User')
      return {
        key: 'r.user_name_lower',
        orderBy: `r.user_name_lower ${direction}`,
        unique: { column: 'r.user_name_lower', descending: direction === 'DESC' },
      }
    key = columnKey(column, definition.caseExact)
  } else if (resolved.extension === undefined && attribute.name === memberAttr) {
    key = withMembership ? membershipKey(ctx, sub ?? 'value', definition) : 'NULL'
  } else {
    const base = resolved.extension === undefined ? '$' : jsonPath('$', resolved.extension)
    const top = jsonPath(base, attribute.name)
    if (!attribute.multiValued) {
      key = jsonKey('r.json', sub === undefined ? top : jsonPath(top, sub), definition)
    } else {
      // The primary item if one is marked, else the first item (even when its value is unset).
      const inner = jsonKey('e.value', jsonPath('$', sub ?? 'value'), definition)
      const item = `CASE WHEN e.type = 'object' THEN ${inner} END`
      const primary = `e.type = 'object' AND json_type(e.value, '$."primary"') = 'true'`
      key = `CASE WHEN EXISTS (SELECT 1 FROM json_each(r.json, '${top}') e WHERE ${primary}) THEN (SELECT ${item} FROM json_each(r.json, '${top}') e WHERE ${primary} ORDER BY e.key LIMIT 1) ELSE (SELECT ${item} FROM json_each(r.json, '${top}') e WHERE e.key = 0) END`
    }
  }
  return { key, orderBy: `k IS NULL, k ${direction}, r.seq` }
}

/** The first group of a user (by group creation) or the first member of a group. */
function membershipKey(ctx: CompileContext, sub: string, definition: AttributeDefinition): string {
  let value: string
  let from: string
  if (ctx.kind === 'User') {
    from = `FROM group_members sm JOIN groups sg ON sg.id = sm.group_id WHERE sm.member_id = r.id AND sg.tenant_id = r.tenant_id ORDER BY sg.seq LIMIT 1`
    value =
      {
        value: 'sg.id',
        display: 'sg.display_name',
        $ref: `${ctx.baseUrl} || '/Groups/' || sg.id`,
        type: `'direct'`,
      }[sub] ?? 'NULL'
  } else {
    from = `FROM group_members sm LEFT JOIN users su ON sm.member_type = 'User' AND su.id = sm.member_id LEFT JOIN groups sg ON sm.member_type = 'Group' AND sg.id = sm.member_id WHERE sm.group_id = r.id ORDER BY sm.seq LIMIT 1`
    value =
      {
        value: 'sm.member_id',
        display: 'COALESCE(su.user_name, sg.display_name)',
        $ref: `${ctx.baseUrl} || CASE sm.member_type WHEN 'User' THEN '/Users/' ELSE '/Groups/' END || sm.member_id`,
        type: 'sm.member_type',
      }[sub] ?? 'NULL'
  }
  const text = `NULLIF(${value}, '')`
  return `(SELECT ${definition.caseExact ? text : lowerSql(text)} ${from})`
}
