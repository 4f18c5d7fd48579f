import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { FilterNode } from '../scim/filter-parser.ts'
import { compileFilter, SqlParams, type CompileContext } from '../scim/filter-sql.ts'
import { compileSort } from '../scim/filter-sql-sort.ts'
import { resolveAttributePath } from '../scim/schema-definitions.ts'
import { CountCache } from './count-cache.ts'
import { listedRow, RESOURCE_COLUMNS } from './resource-rows.ts'
import type { Kind, ListedStored, ResourceRow } from './resource-rows.ts'

/**
 * List queries (GET /Users, /Groups, .search) answered by SQL: the filter and sort compiled by
 * scim/filter-sql*.ts, totalResults from a COUNT with the same condition, and only the page's
 * rows read and parsed. Memory per request is bounded by the page: the sort runs in SQLite over
 * (key, seq) pairs, never over rendered resources.
 */

export interface ListQuery {
  kind: Kind
  tenantId: string
  baseUrl: string
  filter?: FilterNode
  sortBy?: string
  sortOrder?: string
  /** Zero-based offset of the first row, and how many rows to return. */
  offset: number
  limit: number
  /** Whether groups/members count as rendered for sorting (the filter names them). */
  withMembership: boolean
}

export interface ListAnswer {
  total: number
  page: ListedStored[]
}

const STATEMENT_CACHE = 256
const PAGE_COLUMNS = RESOURCE_COLUMNS.split(', ')
  .map((column) => `r.${column}`)
  .join(', ')
const WALK_COST = 4
/**
 * A filter asked without a cached count first reads up to this many + 1 of its matches' seqs:
 * when that is all of them they are the total and, sorted, the page, in one statement instead of
 * a COUNT and a page query that each scan the same rows (a `co` or `ew` reads the whole userName
 * index twice: 23 → 14 ms of CPU at 100,000 users). A broad filter stops after 201 rows and is
 * counted; at 1,000 that cost an uncached `le` or `and` over most of a tenant ~0.5-2 ms more.
 */
const FEW_MATCHES = 200
const RESUME_OPS: Record<string, string> = { ge: '>=', gt: '>', le: '<=', lt: '<' }

/**
 * Whether `filter` can match at most one row of a tenant: an equality on `id` or, for users, on
 * `userName` (unique per tenant case-insensitively, `users_tenant_username`). Okta and Entra look
 * every user up this way before each write, so these lookups skip the COUNT and the two-step page.
 */
function atMostOneMatch(kind: Kind, filter: FilterNode): boolean {
  if (filter.type !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') {
    return false
  }
  const resolved = resolveAttributePath(kind, filter.path)
  if (!resolved || resolved.subAttribute || resolved.extension !== undefined) return false
  return resolved.canonical === 'id' || (kind === 'User' && resolved.canonical === 'userName')
}

/** Like JavaScript's toLowerCase, for text SQLite's ASCII-only lower() would get wrong. */
function scimLower(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value
}

export class ResourceQuery {
  private readonly db: DatabaseSync
  private readonly statements = new Map<string, StatementSync>()
  private readonly count: (kind: Kind, tenantId: string) => number

  private readonly totals: CountCache

  /**
   * `count`: the unfiltered count per tenant, kept by the stores without a COUNT(*); `totals`:
   * filtered counts remembered per tenant write generation (count-cache.ts).
   */
  private readonly fewMatches: number

  constructor(
    db: DatabaseSync,
    count: (kind: Kind, tenantId: string) => number,
    totals: CountCache = new CountCache(),
    fewMatches = FEW_MATCHES,
  ) {
    this.db = db
    this.count = count
    this.totals = totals
    this.fewMatches = fewMatches
    db.function('scim_lower', { deterministic: true, varargs: false }, scimLower as never)
    // Every list query is `tenant_id = ? AND ...`; without statistics SQLite takes the tenant
    // index as selective and walks a whole tenant where a unique or narrower index would do.
    // A bounded ANALYZE (a few ms) now, and PRAGMA optimize as the tables grow, keep plans right.
    db.exec('PRAGMA analysis_limit = 400')
    db.exec('PRAGMA optimize = 0x10002')
    this.optimizedAt = Date.now()
  }

  private optimizedAt: number

  /** Re-analyzes tables whose size changed a lot since the last time, at most once a minute. */
  private maybeOptimize(): void {
    const now = Date.now()
    if (now - this.optimizedAt < 60_000 || this.db.isTransaction) return
    this.optimizedAt = now
    this.db.exec('PRAGMA optimize')
  }

  private prepare(sql: string): StatementSync {
    let stmt = this.statements.get(sql)
    if (stmt) {
      // Most recently used last, so the oldest is evicted first.
      this.statements.delete(sql)
    } else {
      stmt = this.db.prepare(sql)
      if (this.statements.size >= STATEMENT_CACHE) {
        this.statements.delete(this.statements.keys().next().value as string)
      }
    }
    this.statements.set(sql, stmt)
    return stmt
  }

  private run(sql: string, params: SqlParams): unknown[] {
    return this.prepare(sql).all(params.for(sql))
  }

  list(q: ListQuery): ListAnswer {
    this.maybeOptimize()
    const params = new SqlParams()
    const ctx: CompileContext = {
      kind: q.kind,
      params,
      baseUrl: params.add(q.baseUrl),
      tenant: params.add(q.tenantId),
      aliases: 0,
    }
    const table = q.kind === 'User' ? 'users' : 'groups'
    const compiled = q.filter === undefined ? undefined : compileFilter(q.filter, ctx)
    const sort =
      q.sortBy === undefined || q.sortBy === ''
        ? undefined
        : compileSort(ctx, q.sortBy, q.sortOrder, q.withMembership)
    const tenantRows = `FROM ${table} r WHERE r.tenant_id = ${ctx.tenant}`
    const from = compiled ? `${tenantRows} AND (${compiled.where})` : tenantRows
    if (compiled && !sort && q.offset === 0 && q.filter && atMostOneMatch(q.kind, q.filter)) {
      // The same condition as below, read in one statement: its match count is the total.
      const rows = this.run(`SELECT ${RESOURCE_COLUMNS} ${from}`, params) as ResourceRow[]
      return {
        total: rows.length,
        page: q.limit === 0 ? [] : rows.map((r) => listedRow(q.kind, r)),
      }
    }
    const limit = params.add(q.limit)
    // A count made inside a write transaction that then rolls back is outdated by the
    // rollback (ResourceStore.forgetUncommitted bumps every generation), so it may be kept.
    const cacheKey = `${from}\0${JSON.stringify(params.for(from))}`
    const cached = compiled ? this.totals.peek(q.tenantId, cacheKey) : undefined
    let total = compiled
      ? typeof cached === 'number'
        ? cached
        : undefined
      : this.count(q.kind, q.tenantId)
    if (total === undefined && compiled?.negates !== undefined) {
      // `ne` and `not`: all rows but the (usually few, indexed) matches of what is negated.
      const negated = `SELECT COUNT(*) AS n ${tenantRows} AND (${compiled.negates})`
      total = this.count(q.kind, q.tenantId) - (this.run(negated, params)[0] as { n: number }).n
    }
    let matched: number[] | undefined
    if (total === undefined && !sort && this.fewMatches > 0) {
      const seqs = (
        this.run(`SELECT r.seq AS seq ${from} LIMIT ${this.fewMatches + 1}`, params) as {
          seq: number
        }[]
      ).map((row) => row.seq)
      if (seqs.length <= this.fewMatches) {
        matched = seqs.sort((a, b) => a - b)
        total = matched.length
      }
    }
    if (total === undefined) {
      total = (this.run(`SELECT COUNT(*) AS n ${from}`, params)[0] as { n: number }).n
    }
    if (compiled) this.totals.remember(q.tenantId, cacheKey, total)
    if (q.limit === 0 || q.offset >= total) return { total, page: [] }
    // Without a sort the page is in creation order. Walking the seq index stops after
    // offset + limit matches: about (offset + limit) * rows / matches rows read, each a table
    // row. Sorting the matches' seqs (found through the narrowest, often covering, index) costs
    // about one index entry per match. The count says which is cheaper (a table row read taken
    // as WALK_COST index entries); matches bunched late in creation order make the walk longer,
    // never longer than the tenant.
    // A bookmark: where the page at this offset starts, left by an earlier request for the
    // same list (the previous page's end when an IdP pages through, this page's start when it
    // is asked again), valid until the tenant's next write. The page then starts there instead
    // of skipping `offset` matches again. For creation order it is the seq before the page;
    // for a unique sort key (userName) the key with the comparison that resumes after it.
    const bookmark = (at: number) => `${cacheKey}\0${sort?.orderBy ?? ''}\0after ${at}`
    const keyset = sort?.unique
    const resumeAt =
      q.offset === 0 || (sort && !keyset)
        ? undefined
        : this.totals.peek(q.tenantId, bookmark(q.offset))
    let resume = ''
    if (typeof resumeAt === 'number' && !sort) {
      resume = ` AND r.seq > ${params.add(resumeAt)}`
    } else if (typeof resumeAt === 'string' && keyset) {
      const op = RESUME_OPS[resumeAt.slice(0, 2)]
      if (op) resume = ` AND ${keyset.column} ${op} ${params.add(resumeAt.slice(3))}`
    }
    const skip = resume === '' ? q.offset : 0
    const rowsOfTenant = this.count(q.kind, q.tenantId)
    const walked = ((skip + q.limit) * rowsOfTenant) / Math.max(total, 1)
    const sparse = walked * WALK_COST > total
    const order = sort ? sort.orderBy : compiled && sparse ? '+r.seq' : 'r.seq'
    const key = sort ? `, ${sort.key} AS k` : ''
    // The walk is decided: without the hint the planner may read a broad filter's own index
    // (a date range, say) and sort all of its matches instead.
    const pageFrom =
      !sort && compiled && !sparse
        ? from.replace(`${table} r WHERE`, `${table} r INDEXED BY ${table}_tenant_seq WHERE`)
        : from
    // A walk in creation order that reads the rows anyway (a filter's columns, or no rows skipped)
    // takes the page's columns as it goes. A sort or a sparse filter orders keys first, and an
    // unfiltered skip walks the covering index, so those read only the page's rows afterwards.
    const oneStep = !matched && !sort && !sparse && (compiled !== undefined || skip === 0)
    const columns = oneStep ? `, ${PAGE_COLUMNS}` : ''
    const hits: (Partial<ResourceRow> & { seq: number; k?: string })[] = matched
      ? matched.slice(q.offset, q.offset + q.limit).map((seq) => ({ seq }))
      : (this.run(
          `SELECT r.seq AS seq${key}${columns} ${pageFrom}${resume} ORDER BY ${order} LIMIT ${limit} OFFSET ${params.add(skip)}`,
          params,
        ) as (Partial<ResourceRow> & { seq: number; k?: string })[])
    const seqs = hits.map((row) => row.seq)
    if (seqs.length === 0) return { total, page: [] }
    const first = hits[0]!
    const last = hits.at(-1)!
    if (!sort) {
      this.totals.remember(q.tenantId, bookmark(q.offset), first.seq - 1)
      this.totals.remember(q.tenantId, bookmark(q.offset + hits.length), last.seq)
    } else if (keyset && typeof first.k === 'string' && typeof last.k === 'string') {
      const [startOp, nextOp] = keyset.descending ? ['le', 'lt'] : ['ge', 'gt']
      this.totals.remember(q.tenantId, bookmark(q.offset), `${startOp}:${first.k}`)
      this.totals.remember(q.tenantId, bookmark(q.offset + hits.length), `${nextOp}:${last.k}`)
    }
    if (oneStep) return { total, page: (hits as ResourceRow[]).map((r) => listedRow(q.kind, r)) }
    const rows = this.prepare(
      `SELECT seq, ${RESOURCE_COLUMNS} FROM ${table} WHERE seq IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(seqs)) as unknown as (ResourceRow & { seq: number })[]
    const bySeq = new Map(rows.map((row) => [row.seq, row]))
    const page: ListedStored[] = []
    for (const seq of seqs) {
      const row = bySeq.get(seq)
      if (row) page.push(listedRow(q.kind, row))
    }
    return { total, page }
  }
}
