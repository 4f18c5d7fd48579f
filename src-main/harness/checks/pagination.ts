import {
  Blocked,
  check,
  describeResponse,
  expectStatus,
  get,
  resourcesOf,
  sev,
  show,
  type CheckDef,
} from '../check.ts'

const IMPORT_IMPACT =
  'Okta and Entra imports page through /Users: they miss users, import some twice, or loop forever.'

export const paginationChecks: CheckDef[] = [
  {
    id: 'pagination.pages',
    title: 'Paging through /Users is 1-based, honours count, has no gaps or overlaps',
    area: 'pagination',
    spec: 'RFC 7644 §3.4.2.4; Okta import guide (startIndex/count, integers, stable order); Entra Logic App test 23',
    protects: 'User import and reconciliation see every user exactly once.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: false,
    // Users created or deleted by concurrent checks would shift the pages under us.
    phase: 'exclusive',
    async run(ctx) {
      const ours: string[] = []
      if (!ctx.readOnly) {
        const made = await Promise.all(
          Array.from({ length: ctx.options.pageUsers }, (_, i) =>
            ctx.createUser(ctx.userSeed(`page${i}`)),
          ),
        )
        for (const m of made) if (m.id && m.res.status < 300) ours.push(m.id)
        if (ours.length < 2)
          throw new Blocked('Could not create the users to page through (POST /Users failed).')
      }
      const one = await ctx.send({
        method: 'GET',
        path: '/Users',
        query: { startIndex: 1, count: 1 },
      })
      expectStatus(one, 200, { what: 'GET /Users?startIndex=1&count=1' })
      const total = get(one.json, 'totalResults')
      check(
        typeof total === 'number' && Number.isInteger(total),
        `totalResults is ${show(total)}, not an integer.`,
        {
          actual: describeResponse(one),
          idpImpact: IMPORT_IMPACT,
        },
      )
      // Judged against what this run created: a skip here would hide a capped totalResults.
      if (!ctx.readOnly)
        check(
          total >= ours.length,
          `totalResults is ${total}, but this run alone created ${ours.length} users.`,
          {
            expected: `totalResults >= ${ours.length}`,
            actual: describeResponse(one),
            idpImpact: IMPORT_IMPACT,
            fix: 'totalResults is the size of the whole result set, not of the page.',
          },
        )
      else if (total < 2)
        throw new Blocked(
          `Read-only run and only ${total} user(s) on the server: nothing to page through.`,
        )
      check(
        resourcesOf(one.json).length === 1,
        `count=1 returned ${resourcesOf(one.json).length} resources.`,
        {
          expected: 'exactly 1 resource',
          actual: `${resourcesOf(one.json).length} resources, itemsPerPage ${show(get(one.json, 'itemsPerPage'))}`,
          idpImpact: IMPORT_IMPACT,
          fix: 'Return at most `count` resources per page.',
        },
      )
      const complete = total <= 1000
      const count = complete ? Math.max(1, Math.ceil(total / 4)) : 100
      const maxPages = complete ? Math.ceil(total / count) : 5
      const seen = new Map<string, number>()
      const firstPage: string[] = []
      for (let page = 0; page < maxPages; page++) {
        const startIndex = page * count + 1
        const res = await ctx.send({ method: 'GET', path: '/Users', query: { startIndex, count } })
        expectStatus(res, 200, { what: `GET /Users?startIndex=${startIndex}&count=${count}` })
        const items = resourcesOf(res.json)
        const echoed = get(res.json, 'startIndex')
        check(
          echoed === undefined || echoed === startIndex,
          `startIndex=${startIndex} was echoed as ${show(echoed)}.`,
          {
            expected: `startIndex ${startIndex} (1-based)`,
            actual: describeResponse(res),
            idpImpact: IMPORT_IMPACT,
            fix: 'startIndex is 1-based: the first resource is index 1. Echo the requested value.',
          },
        )
        check(items.length <= count, `count=${count} returned ${items.length} resources.`, {
          expected: `at most ${count}`,
          idpImpact: IMPORT_IMPACT,
          fix: 'Honour count as the page size.',
        })
        const expectedLen = Math.min(count, total - page * count)
        check(
          items.length === expectedLen,
          `The page at startIndex=${startIndex} has ${items.length} resources; totalResults ${total} implies ${expectedLen}.`,
          {
            expected: `${expectedLen} resources`,
            actual: describeResponse(res),
            idpImpact: IMPORT_IMPACT,
            fix: 'Page with offset startIndex-1 and limit count over one stable ordering.',
          },
        )
        const ipp = get(res.json, 'itemsPerPage')
        if (ipp !== undefined && ipp !== items.length) {
          ctx.warn(`itemsPerPage is ${show(ipp)} but the page holds ${items.length} resources.`, {
            fix: 'itemsPerPage is the number of resources in this page (RFC 7644 §3.4.2).',
          })
        }
        for (const r of items) {
          const id = String(r.id)
          check(
            !seen.has(id),
            `User ${id} appears on page ${seen.get(id)! + 1} and again on page ${page + 1}.`,
            {
              expected: 'each user on exactly one page',
              idpImpact: IMPORT_IMPACT,
              fix: 'Sort by a stable key (e.g. created, id) before slicing pages.',
            },
          )
          seen.set(id, page)
          if (page === 0) firstPage.push(id)
        }
      }
      if (complete) {
        check(seen.size === total, `Paging saw ${seen.size} users but totalResults is ${total}.`, {
          idpImpact: IMPORT_IMPACT,
          fix: 'Make totalResults the size of the whole result set and serve every item on some page.',
        })
        const missing = ours.filter((id) => !seen.has(id))
        check(
          missing.length === 0,
          `${missing.length} users created by this run never appeared on any page.`,
          {
            actual: missing.join(', '),
            idpImpact: IMPORT_IMPACT,
          },
        )
      } else {
        ctx.note(`${total} users on the server: checked the first ${maxPages} pages of ${count}.`)
      }
      const again = await ctx.send({
        method: 'GET',
        path: '/Users',
        query: { startIndex: 1, count },
      })
      const againIds = resourcesOf(again.json).map((r) => String(r.id))
      check(
        againIds.join() === firstPage.join(),
        'The first page came back in a different order the second time.',
        {
          expected: firstPage.join(', '),
          actual: againIds.join(', '),
          idpImpact: IMPORT_IMPACT,
          fix: 'Use a deterministic sort order regardless of count and startIndex.',
        },
      )
      return {
        status: 'pass',
        message: `Paged ${seen.size} users in pages of ${count}: no gaps, no overlaps, stable order.`,
      }
    },
  },
]
