import { toBoolean } from './attribute-values.ts'
import type { CompareOperator, FilterValue } from './filter-parser.ts'
import type { AttributeDefinition } from './schema-definitions.ts'

/**
 * The leaves of the filter-to-SQL compiler: where one value lives in SQL (a column or a JSON
 * path) and the SQL that tests it the way filter-evaluation.ts tests a rendered value. Every
 * expression here is true (1) only when the value is assigned (RFC 7643 §2.5: null, "" and []
 * are not), so a leaf is never true for a missing attribute.
 */

/** Named parameters of one compiled statement (`$p0`, `$p1`, ...). */
export class SqlParams {
  readonly values: Record<string, string | number | null> = {}
  private n = 0

  add(value: string | number | null): string {
    const name = `p${this.n++}`
    this.values[name] = value
    return `$${name}`
  }

  /** The parameters `sql` uses (SQLite refuses to bind a name the statement does not have). */
  for(sql: string): Record<string, string | number | null> {
    const out: Record<string, string | number | null> = {}
    for (const match of sql.matchAll(/\$(p\d+)\b/g)) {
      const name = match[1] as string
      out[name] = this.values[name] as string | number | null
    }
    return out
  }
}

/** A SQL boolean; `nullable` when it can be NULL (which only matters under NOT). */
export interface Predicate {
  sql: string
  nullable: boolean
  /** For `NOT x`: x, never NULL, so the rows matching are all rows but those matching x. */
  negates?: string
}

export const TRUE: Predicate = { sql: '1', nullable: false }
export const FALSE: Predicate = { sql: '0', nullable: false }

/** Where a single value lives. */
export type Source =
  | {
      kind: 'json'
      /**
       * SQL expression holding JSON text: the stored resource (`r.json`), or one item of a
       * multi-valued attribute (`e0.value`, read only under a `CASE` that checked it is an
       * object: json_each hands other items over as plain SQL values, not JSON).
       */
      doc: string
      /** SQL expression of the JSON path into it, such as `'$."name"."familyName"'`. */
      path: string
    }
  | {
      kind: 'column'
      sql: string
      /** Holds the value lower-cased by JavaScript already (user_name_lower, ...). */
      lowered?: boolean
      /** An ISO 8601 timestamp column (meta.created, meta.lastModified). */
      date?: boolean
      /** Never NULL and never "" (so no assignedness test is needed). */
      required?: boolean
      /** A boolean as query-columns.ts stores it: 1 true, 0 false, 2 other, NULL unassigned. */
      boolean?: boolean
    }

/** A JSON path built from canonical schema names, which never contain a double quote. */
export function jsonPath(base: string, ...keys: string[]): string {
  return base + keys.map((k) => `."${k}"`).join('')
}

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

/** The SQL path expression of `key` under the path expression `base`. */
export function childPath(base: string, key: string): string {
  // A literal base folds into one literal; an item's path is concatenated at run time.
  if (base.startsWith("'") && base.endsWith("'") && !base.includes("' ||")) {
    return sqlString(jsonPath(base.slice(1, -1).replaceAll("''", "'"), key))
  }
  return `${base} || ${sqlString(`."${key}"`)}`
}

function jsonType(source: Extract<Source, { kind: 'json' }>): string {
  return `json_type(${source.doc}, ${source.path})`
}

function jsonValue(source: Extract<Source, { kind: 'json' }>): string {
  return `(${source.doc} ->> (${source.path}))`
}

/**
 * Lower-cases like JavaScript's toLowerCase: SQLite's lower() folds ASCII only, so text holding
 * anything else goes through scim_lower (registered by the store) and the rest stays in C.
 */
export function lowerSql(expr: string): string {
  return `CASE WHEN ${expr} GLOB '*[^${'\u0001'}-${'\u007f'}]*' THEN scim_lower(${expr}) ELSE lower(${expr}) END`
}

/** Whether the value is assigned: present, not null, not "", not []. */
export function assigned(source: Source): Predicate {
  if (source.kind === 'column') {
    if (source.required) return TRUE
    return { sql: `(${source.sql} IS NOT NULL AND ${source.sql} <> '')`, nullable: false }
  }
  const value = jsonValue(source)
  return {
    sql: `CASE IFNULL(${jsonType(source)}, 'null') WHEN 'null' THEN 0 WHEN 'text' THEN ${value} <> '' WHEN 'array' THEN ${value} <> '[]' ELSE 1 END`,
    nullable: false,
  }
}

const ORDER_SQL: Partial<Record<CompareOperator, string>> = {
  eq: '=',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
}

/** Code points, as SQLite's length() and substr() count them. */
function codePoints(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}

/** `text op b` for co/sw/ew/eq/gt/..., both sides already in the case they are compared in. */
function textCompare(text: string, op: CompareOperator, b: string, params: SqlParams): string {
  const order = ORDER_SQL[op]
  if (order) return `${text} ${order} ${params.add(b)}`
  // An empty needle is in every string (as in JavaScript).
  if (b === '') return `${text} IS NOT NULL`
  switch (op) {
    case 'co':
      return `instr(${text}, ${params.add(b)}) > 0`
    case 'sw': {
      // A byte range: UTF-8 never holds 0xFF, so every string starting with b sorts in
      // [b, b || 0xFF) and nothing else does. An index on the column serves it.
      const p = params.add(b)
      return `(${text} >= ${p} AND ${text} < ${p} || CAST(x'ff' AS TEXT))`
    }
    case 'ew':
      return `substr(${text}, length(${text}) - ${params.add(codePoints(b))} + 1) = ${params.add(b)}`
    default:
      throw new Error(`unreachable operator ${op}`)
  }
}

const MIN_ISO_MS = Date.parse('0000-01-01T00:00:00.000Z')
const MAX_ISO_MS = Date.parse('9999-12-31T23:59:59.999Z')

/** meta.created / meta.lastModified, stored as `toISOString()` text, compared as instants. */
function dateCompare(
  source: Extract<Source, { kind: 'column' }>,
  op: CompareOperator,
  text: string,
  params: SqlParams,
): Predicate {
  const ms = Date.parse(text)
  if (op !== 'co' && op !== 'sw' && op !== 'ew' && !Number.isNaN(ms)) {
    // Stored timestamps are fixed-width ISO strings, so their text order is their time order;
    // an instant outside years 0000-9999 is before or after all of them.
    if (ms < MIN_ISO_MS || ms > MAX_ISO_MS) {
      const after = ms > MAX_ISO_MS
      const yes = after ? op === 'lt' || op === 'le' : op === 'gt' || op === 'ge'
      return yes ? TRUE : FALSE
    }
    return {
      sql: textCompare(source.sql, op, new Date(ms).toISOString(), params),
      nullable: false,
    }
  }
  // Not a date: compared as lower-case text, like the evaluator does.
  return {
    sql: textCompare(`lower(${source.sql})`, op, text.toLowerCase(), params),
    nullable: false,
  }
}

/**
 * One assigned value compared with the filter's value (`ne` is handled above this, as "no value
 * equals"). Follows compareValue in filter-evaluation.ts type by type.
 */
export function compareLeaf(
  source: Source,
  definition: AttributeDefinition,
  op: CompareOperator,
  value: Exclude<FilterValue, null>,
  raw: string | undefined,
  params: SqlParams,
): Predicate {
  const written = raw ?? String(value)
  if (definition.type === 'boolean') {
    const expected = toBoolean(value)
    if (expected === undefined) return FALSE
    if (source.kind === 'column') {
      return source.boolean ? { sql: `${source.sql} = ${expected ? 1 : 0}`, nullable: true } : FALSE
    }
    const word = expected ? 'true' : 'false'
    const type = jsonType(source)
    return {
      sql: `(${type} = '${word}' OR (${type} = 'text' AND lower(${jsonValue(source)}) = '${word}'))`,
      nullable: true,
    }
  }
  if (definition.type === 'dateTime' && source.kind === 'column' && source.date) {
    return dateCompare(source, op, written, params)
  }
  if (definition.type === 'integer' || definition.type === 'decimal') {
    // No attribute of the supported schemas has these types; refuse rather than guess.
    return FALSE
  }
  let text = source.kind === 'column' ? source.sql : jsonValue(source)
  let b = written
  if (!definition.caseExact) {
    if (!(source.kind === 'column' && source.lowered)) text = lowerSql(text)
    b = b.toLowerCase()
  }
  const test = textCompare(text, op, b, params)
  if (source.kind === 'json') {
    // Only JSON strings are compared (normalisation stores no other shape for these types).
    const value = jsonValue(source)
    return {
      sql: `(${jsonType(source)} = 'text' AND ${value} <> '' AND ${test})`,
      nullable: true,
    }
  }
  const present = assigned(source)
  if (present === TRUE) return { sql: test, nullable: false }
  return { sql: `(${present.sql} AND ${test})`, nullable: true }
}
