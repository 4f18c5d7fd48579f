import {
  CheckFailure,
  get,
  resourcesOf,
  sev,
  show,
  type CheckContext,
  type CheckDef,
} from '../check.ts'

/**
 * The import rehearsal: as many users (and a quarter as many groups) as a real import pages through,
 * more than common server page caps, created concurrently, then listed the way Okta and Entra
 * import (startIndex/count, up to 100 per page, several pages). The pages are judged against
 * what the run itself created, not against the server's own account of its size.
 */

type Collection = 'Users' | 'Groups'

export interface ListedPage {
  startIndex: number
  count: number
  status: number
  ids: string[]
  totalResults: unknown
  itemsPerPage: unknown
  startIndexEcho: unknown
}

export interface Listing {
  collection: Collection
  count: number
  pages: ListedPage[]
  /** Every id in page order, repeats included. */
  ids: string[]
  /** Page 1 read a second time (stable order). */
  firstAgain: string[]
  /** The walk stopped at its page limit before the end (read-only runs on big tenants). */
  truncated: boolean
  /** Ids of the resources this run holds in this collection (the ground truth). */
  own: string[]
}

export interface Rehearsal {
  users: Listing
  groups: Listing
}

/** Read-only walks stop here: consistency on a large tenant, not a full export. */
const MAX_PAGES = 30

async function walk(ctx: CheckContext, collection: Collection, own: string[]): Promise<Listing> {
  // Several pages of our own resources, never more than the 100 an IdP asks for.
  const count = ctx.readOnly ? 100 : Math.min(100, Math.max(2, Math.ceil(own.length / 2)))
  const extra =
    collection === 'Groups' && ctx.profile.id === 'entra' ? ctx.profile.groupGetQuery : {}
  const pages: ListedPage[] = []
  const ids: string[] = []
  let truncated = false
  const read = async (startIndex: number): Promise<ListedPage> => {
    const res = await ctx.send({
      method: 'GET',
      path: `/${collection}`,
      query: { ...extra, startIndex, count },
    })
    return {
      startIndex,
      count,
      status: res.status,
      ids: resourcesOf(res.json).map((r) => String(r.id)),
      totalResults: get(res.json, 'totalResults'),
      itemsPerPage: get(res.json, 'itemsPerPage'),
      startIndexEcho: get(res.json, 'startIndex'),
    }
  }
  for (let startIndex = 1; ; startIndex += count) {
    if (pages.length >= MAX_PAGES) {
      truncated = true
      break
    }
    const page = await read(startIndex)
    pages.push(page)
    ids.push(...page.ids)
    // A short page ends the walk, whatever totalResults claims: that is how a gap shows. Past
    // both totalResults and what the run created, there is nothing an IdP would ask for.
    if (page.status !== 200 || page.ids.length < count) break
    const claimed = typeof page.totalResults === 'number' ? page.totalResults : 0
    if (startIndex + count > Math.max(claimed, own.length)) break
    // A server that ignores count keeps answering full pages of everything: stop once it repeats.
    if (
      page.ids.length > count ||
      page.ids.every((id) => ids.indexOf(id) < ids.length - page.ids.length)
    )
      break
  }
  const firstAgain = (await read(1)).ids
  return { collection, count, pages, ids, firstAgain, truncated, own }
}

/**
 * Groups: a quarter of the users (tenants have far fewer groups than users). Still several pages:
 * the walk pages them in pages of half their number.
 */
export const groupCount = (users: number): number => Math.max(2, Math.ceil(users / 4))

/** Creates the rehearsal's resources (write mode) and walks both collections once per run. */
export function rehearsal(ctx: CheckContext): Promise<Rehearsal> {
  return ctx.fixture('import-rehearsal', async () => {
    if (!ctx.readOnly) {
      const n = ctx.options.importSize
      await Promise.all([
        ...Array.from({ length: n }, (_, i) =>
          ctx.createUser(ctx.userSeed(`imp${i}`), undefined, { bulk: true }),
        ),
        ...Array.from({ length: groupCount(n) }, (_, i) =>
          ctx.createGroup(ctx.groupName(`impg${i}`), { bulk: true }),
        ),
      ])
    }
    const own = (c: Collection) =>
      ctx.ledger
        .live(c)
        .map((e) => e.id)
        .filter((id): id is string => id !== undefined)
    // Nothing writes while the rehearsal runs (exclusive phase), so the two walks cannot shift
    // each other's pages: they run side by side.
    const [users, groups] = await Promise.all([
      walk(ctx, 'Users', own('Users')),
      walk(ctx, 'Groups', own('Groups')),
    ])
    return { users, groups }
  })
}

const impact = (c: Collection): string =>
  c === 'Users'
    ? 'Okta and Entra user imports stop early, miss users or import some twice; missed users are provisioned again and get 409.'
    : 'Okta group import and push-group linking miss groups or see some twice.'

/** Throws CheckFailure for the first thing the walk shows wrong. */
export function judgeListing(l: Listing, readOnly: boolean): string {
  const what = `/${l.collection}`
  const bad = l.pages.find((p) => p.status !== 200)
  if (bad)
    throw new CheckFailure(
      `GET ${what}?startIndex=${bad.startIndex}&count=${bad.count} answered HTTP ${bad.status}.`,
      { expected: 'HTTP 200 with a ListResponse', idpImpact: impact(l.collection) },
    )
  const over = l.pages.find((p) => p.ids.length > p.count)
  if (over)
    throw new CheckFailure(
      `count=${over.count} on ${what} returned ${over.ids.length} resources: count is ignored.`,
      {
        expected: `at most ${over.count} resources per page`,
        actual: `${over.ids.length} resources at startIndex=${over.startIndex}`,
        idpImpact: impact(l.collection),
        fix: `Honour startIndex and count on ${what} as on every list endpoint (RFC 7644 §3.4.2.4).`,
      },
    )
  const seen = new Map<string, number>()
  l.pages.forEach((p, i) => {
    for (const id of p.ids) {
      if (seen.has(id))
        throw new CheckFailure(
          `${what}: ${id} appears on page ${seen.get(id)! + 1} and again on page ${i + 1}.`,
          {
            expected: 'each resource on exactly one page',
            idpImpact: impact(l.collection),
            fix: 'Sort by a stable key (e.g. created, id) before slicing pages.',
          },
        )
      seen.set(id, i)
    }
  })
  const totals = [...new Set(l.pages.map((p) => p.totalResults))]
  const total = totals[0]
  if (typeof total !== 'number' || !Number.isInteger(total) || totals.length > 1)
    throw new CheckFailure(`${what}: totalResults is ${totals.map(show).join(', then ')}.`, {
      expected: 'the same integer totalResults on every page',
      idpImpact: impact(l.collection),
    })
  if (!readOnly) {
    if (total < l.own.length)
      throw new CheckFailure(
        `${what} says totalResults ${total}, but this run alone created ${l.own.length} ${l.collection.toLowerCase()} there.`,
        {
          expected: `totalResults >= ${l.own.length}`,
          actual: `totalResults ${total} on pages of ${l.count}`,
          idpImpact: `${impact(l.collection)} (an IdP stops after totalResults resources).`,
          fix: 'totalResults is the size of the whole result set, not of the page or of a server cap.',
        },
      )
    const missing = l.own.filter((id) => !seen.has(id))
    if (missing.length > 0)
      throw new CheckFailure(
        `${missing.length} of the ${l.own.length} ${l.collection.toLowerCase()} this run created never appeared while paging ${what}.`,
        {
          expected: `every created resource on some page of ${l.count}`,
          actual: `missing: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
          idpImpact: impact(l.collection),
          fix: 'Serve every resource on some page: offset startIndex-1, limit count, over one stable order.',
        },
      )
  }
  if (!l.truncated && seen.size !== total)
    throw new CheckFailure(
      `Paging ${what} to the end found ${seen.size} resources but totalResults is ${total}.`,
      {
        expected: `totalResults ${seen.size}`,
        actual: `totalResults ${total}`,
        idpImpact: impact(l.collection),
        fix: 'Make totalResults the size of the whole result set and serve every item on some page.',
      },
    )
  const first = l.pages[0]!.ids
  if (l.firstAgain.join() !== first.join())
    throw new CheckFailure(
      `${what}: the first page came back in a different order the second time.`,
      {
        expected: first.slice(0, 5).join(', '),
        actual: l.firstAgain.slice(0, 5).join(', '),
        idpImpact: impact(l.collection),
        fix: 'Use a deterministic sort order regardless of count and startIndex.',
      },
    )
  return `${seen.size} ${l.collection.toLowerCase()} in ${l.pages.length} page(s) of ${l.count}${l.truncated ? ' (first pages only)' : ''}`
}

const listingCheck = (collection: Collection): CheckDef => ({
  id: collection === 'Users' ? 'import.users' : 'import.groups',
  title: `Importing /${collection} in pages of up to 100 sees every resource once`,
  area: 'pagination',
  spec: 'RFC 7644 §3.4.2, §3.4.2.4 (count MUST NOT be exceeded; totalResults); Okta import guide; Entra Logic App test 23',
  protects:
    collection === 'Users'
      ? 'User import and reconciliation see every user exactly once, beyond the first page.'
      : 'Group import sees every group exactly once, beyond the first page.',
  severity: collection === 'Users' ? sev('fail', 'fail', 'fail') : sev('fail', 'warn', 'fail'),
  rfcMust: true,
  writes: false,
  phase: 'exclusive',
  async run(ctx) {
    const r = await rehearsal(ctx)
    const summary = judgeListing(collection === 'Users' ? r.users : r.groups, ctx.readOnly)
    return { status: 'pass', message: `Paged ${summary}: no gaps, no repeats, stable order.` }
  },
})

export const importChecks: CheckDef[] = [
  listingCheck('Users'),
  listingCheck('Groups'),
  {
    id: 'import.items_per_page',
    title: 'itemsPerPage is the size of each page, partial pages included',
    area: 'pagination',
    spec: 'RFC 7644 §3.4.2 (itemsPerPage REQUIRED when partial results are returned)',
    protects: 'Clients that page by itemsPerPage know when a page is short.',
    severity: sev('warn', 'warn', 'fail'),
    rfcMust: true,
    writes: false,
    phase: 'exclusive',
    async run(ctx) {
      const r = await rehearsal(ctx)
      for (const l of [r.users, r.groups]) {
        for (const p of l.pages) {
          if (p.status !== 200) continue
          const partial = typeof p.totalResults !== 'number' || p.ids.length < p.totalResults
          if (!partial && p.itemsPerPage === undefined) continue
          if (p.itemsPerPage !== p.ids.length)
            throw new CheckFailure(
              `GET /${l.collection}?startIndex=${p.startIndex}&count=${p.count} holds ${p.ids.length} resources but itemsPerPage is ${show(p.itemsPerPage)}.`,
              {
                expected: `"itemsPerPage": ${p.ids.length}`,
                actual: `itemsPerPage ${show(p.itemsPerPage)}, totalResults ${show(p.totalResults)}`,
                idpImpact:
                  'Okta and Entra page by totalResults and tolerate it; strict SCIM clients stop or loop.',
                fix: 'Send itemsPerPage, the number of resources in this page, on every ListResponse.',
              },
            )
        }
      }
      return { status: 'pass', message: 'Every page carries itemsPerPage equal to its size.' }
    },
  },
]
