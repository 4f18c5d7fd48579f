import {
  CheckFailure,
  check,
  describeResponse,
  expectStatus,
  get,
  isObject,
  resPath,
  resourcesOf,
  sev,
  show,
  type CheckContext,
  type CheckDef,
} from '../check.ts'
import { createdId, subjectUser } from './subject.ts'
import { trimTrailingSlashes } from '../../../src-shared/text.ts'

/**
 * Responses that point at the tenant and describe themselves: Location, meta.location and
 * member $ref on the base URL under test; meta timestamps; attributes/excludedAttributes;
 * WWW-Authenticate on 401; the filter operators /ServiceProviderConfig advertises.
 */

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/

/** Why `url` does not point at `<base>/<type>/<id>` (scheme, host, port and path), if it does not. */
export function offTenant(
  url: string,
  baseUrl: string,
  type: string,
  id: string,
): string | undefined {
  let u: URL
  try {
    u = new URL(url, `${baseUrl}/`)
  } catch {
    return `${url} is not a URL`
  }
  const b = new URL(baseUrl)
  if (u.protocol !== b.protocol || u.host !== b.host)
    return `${url} points at ${u.protocol}//${u.host}, not at ${b.protocol}//${b.host}`
  const want = `${trimTrailingSlashes(b.pathname)}/${type}/${id}`
  if (decodeURIComponent(u.pathname) !== want) return `${url} has path ${u.pathname}, not ${want}`
  return undefined
}

const TENANT_IMPACT =
  'Okta and Entra ignore these, but any client that follows them (audits, strict SCIM clients, your own tooling) calls an internal host or the wrong tenant.'

async function groupWithMember(ctx: CheckContext, userId: string, tag: string): Promise<string> {
  const groupId = createdId(await ctx.createGroup(ctx.groupName(tag)), 'a test group')
  const add = await ctx.send({
    method: 'PATCH',
    path: resPath('Groups', groupId),
    body: ctx.profile.addMembers([{ id: userId, display: 'member' }]),
  })
  expectStatus(add, [200, 204], { what: `PATCH /Groups/${groupId} add member` })
  return groupId
}

function metaProblems(json: unknown, resourceType: string): string[] {
  const meta = get(json, 'meta')
  const problems: string[] = []
  if (get(meta, 'resourceType') !== resourceType)
    problems.push(`meta.resourceType is ${show(get(meta, 'resourceType'))}, not "${resourceType}"`)
  for (const k of ['created', 'lastModified']) {
    const v = get(meta, k)
    if (typeof v !== 'string' || !DATE_TIME.test(v) || Number.isNaN(Date.parse(v)))
      problems.push(`meta.${k} is ${show(v)}, not an xsd:dateTime`)
  }
  const c = Date.parse(String(get(meta, 'created')))
  const m = Date.parse(String(get(meta, 'lastModified')))
  if (c > m) problems.push('meta.lastModified is before meta.created')
  return problems
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export const responseChecks: CheckDef[] = [
  {
    id: 'responses.location',
    title: 'Location, meta.location and member $ref point at the base URL under test',
    area: 'transport',
    spec: 'RFC 7644 §3.1 (Location SHALL be the resource URI), §3.3; RFC 7643 §3.1 (meta.location), §4.2 ($ref)',
    protects:
      'Clients that follow the links reach this tenant, not an internal host behind the load balancer.',
    severity: sev('warn', 'warn', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const created = await ctx.primaryUser()
      const id = createdId(created, "the run's primary user")
      const problems: string[] = []
      const location = created.res.headers.get('location')
      if (!location) problems.push('the create answer has no Location header')
      else {
        const p = offTenant(location, ctx.baseUrl, 'Users', id)
        if (p) problems.push(`Location: ${p}`)
      }
      const read = await ctx.send({ method: 'GET', path: resPath('Users', id) })
      expectStatus(read, 200, { what: `GET /Users/${id}` })
      for (const [what, json] of [
        ['create answer', created.res.json],
        ['GET', read.json],
      ] as const) {
        const loc = get(json, 'meta.location')
        if (typeof loc !== 'string') problems.push(`meta.location is missing in the ${what}`)
        else {
          const p = offTenant(loc, ctx.baseUrl, 'Users', id)
          if (p) problems.push(`meta.location in the ${what}: ${p}`)
        }
      }
      const groupId = await groupWithMember(ctx, id, 'loc')
      const group = await ctx.send({ method: 'GET', path: resPath('Groups', groupId) })
      expectStatus(group, 200, { what: `GET /Groups/${groupId}` })
      const gl = get(group.json, 'meta.location')
      if (typeof gl === 'string') {
        const p = offTenant(gl, ctx.baseUrl, 'Groups', groupId)
        if (p) problems.push(`group meta.location: ${p}`)
      }
      const members = get(group.json, 'members')
      for (const m of Array.isArray(members) ? members : []) {
        const ref = get(m, '$ref')
        if (typeof ref !== 'string') continue
        const p = offTenant(ref, ctx.baseUrl, 'Users', String(get(m, 'value')))
        if (p) problems.push(`member $ref: ${p}`)
      }
      check(
        problems.length === 0,
        `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}.`,
        {
          expected: `URLs under ${ctx.baseUrl}/Users/{id} and ${ctx.baseUrl}/Groups/{id}`,
          actual: problems.join('; '),
          idpImpact: TENANT_IMPACT,
          fix: 'Build resource URLs from the public base URL of the tenant (configured, or from X-Forwarded-Host/Proto), never from the internal host name.',
        },
      )
      return {
        status: 'pass',
        message: 'Location, meta.location and $ref point at the base URL under test.',
      }
    },
  },
  {
    id: 'responses.meta',
    title: 'meta.resourceType, created and lastModified are valid; lastModified moves on change',
    area: 'transport',
    spec: 'RFC 7643 §3.1 (meta attributes, lastModified)',
    protects: 'Audits and incremental syncs can tell when a resource changed.',
    severity: sev('warn', 'warn', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const seed = ctx.userSeed('meta')
      const id = createdId(await ctx.createUser(seed))
      const before = await ctx.send({ method: 'GET', path: resPath('Users', id) })
      expectStatus(before, 200, { what: `GET /Users/${id}` })
      const problems = metaProblems(before.json, 'User').map((p) => `user ${p}`)
      const groupId = createdId(await ctx.createGroup(ctx.groupName('meta')), 'a test group')
      const group = await ctx.send({ method: 'GET', path: resPath('Groups', groupId) })
      expectStatus(group, 200, { what: `GET /Groups/${groupId}` })
      problems.push(...metaProblems(group.json, 'Group').map((p) => `group ${p}`))
      check(problems.length === 0, `${problems.join('; ')}.`, {
        expected: 'meta.resourceType "User"/"Group", created and lastModified as xsd:dateTime',
        actual: `user meta ${show(get(before.json, 'meta'))}; group meta ${show(get(group.json, 'meta'))}`,
        idpImpact: 'Okta and Entra do not read meta; audits and strict clients do.',
        fix: 'Fill meta on every resource the server returns.',
      })
      const t0 = Date.parse(String(get(before.json, 'meta.lastModified')))
      let after: number = t0
      // A server with one-second timestamps needs a change in a later second to show it.
      for (const [i, family] of ['Changed', 'Changed again'].entries()) {
        if (i > 0) await sleep(1100)
        const res = await ctx.send({
          method: 'PATCH',
          path: resPath('Users', id),
          body: ctx.profile.updateNameAndEmail(family, seed.email),
        })
        expectStatus(res, [200, 204], { what: `PATCH /Users/${id}` })
        const read = await ctx.send({ method: 'GET', path: resPath('Users', id) })
        after = Date.parse(String(get(read.json, 'meta.lastModified')))
        if (after > t0) break
      }
      check(after > t0, 'meta.lastModified did not move after the user was changed.', {
        expected: `a lastModified later than ${new Date(t0).toISOString()}`,
        actual: Number.isNaN(after) ? 'no valid lastModified' : new Date(after).toISOString(),
        idpImpact: 'Incremental syncs and audits miss the change.',
        fix: 'Set meta.lastModified on every change.',
      })
      return { status: 'pass', message: 'meta is complete and lastModified moves on change.' }
    },
  },
  {
    id: 'responses.attributes',
    title: 'attributes and excludedAttributes are honoured on users and groups',
    area: 'transport',
    spec: 'RFC 7644 §3.4.2.5, §3.9; Entra group reads use excludedAttributes=members',
    protects: "Entra's group reads stay small; clients get the projection they asked for.",
    severity: sev('warn', 'warn', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      const subject = await subjectUser(ctx)
      const path = resPath('Users', subject.id)
      const only = await ctx.send({ method: 'GET', path, query: { attributes: 'userName' } })
      expectStatus(only, 200, { what: `GET /Users/${subject.id}?attributes=userName` })
      const problems: string[] = []
      if (get(only.json, 'userName') !== subject.userName || get(only.json, 'id') !== subject.id)
        problems.push('attributes=userName dropped id or userName')
      for (const k of ['name', 'emails', 'active'])
        if (get(only.json, k) !== undefined)
          problems.push(`attributes=userName still returned ${k}`)
      const ex = await ctx.send({ method: 'GET', path, query: { excludedAttributes: 'emails' } })
      expectStatus(ex, 200, { what: `GET /Users/${subject.id}?excludedAttributes=emails` })
      if (get(ex.json, 'emails') !== undefined)
        problems.push('excludedAttributes=emails still returned emails')
      if (get(ex.json, 'userName') !== subject.userName)
        problems.push('excludedAttributes=emails dropped userName')
      const listed = await ctx.send({
        method: 'GET',
        path: '/Users',
        query: { filter: `userName eq "${subject.userName}"`, attributes: 'userName' },
      })
      const first = resourcesOf(listed.json)[0]
      if (isObject(first) && first.emails !== undefined)
        problems.push('a list with attributes=userName still returned emails')
      if (!ctx.readOnly) {
        const groupId = await groupWithMember(ctx, subject.id, 'attrs')
        const g = await ctx.send({
          method: 'GET',
          path: resPath('Groups', groupId),
          query: { excludedAttributes: 'members' },
        })
        expectStatus(g, 200, { what: `GET /Groups/${groupId}?excludedAttributes=members` })
        if (get(g.json, 'members') !== undefined)
          problems.push('/Groups/{id}?excludedAttributes=members still returned members')
        if (typeof get(g.json, 'displayName') !== 'string')
          problems.push('/Groups/{id}?excludedAttributes=members dropped displayName')
      }
      check(problems.length === 0, `${problems.join('; ')}.`, {
        expected: 'only the requested attributes (plus id and schemas), none of the excluded ones',
        actual: describeResponse(only),
        idpImpact:
          'Entra reads groups with excludedAttributes=members: large groups come back whole on every read, slowly, and may time out.',
        fix: 'Apply attributes/excludedAttributes to every response that returns resources.',
      })
      return { status: 'pass', message: 'attributes and excludedAttributes are honoured.' }
    },
  },
  {
    id: 'auth.www_authenticate',
    title: '401 answers carry WWW-Authenticate: Bearer',
    area: 'auth',
    spec: 'RFC 6750 §3 (MUST include WWW-Authenticate); RFC 9110 §15.5.2',
    protects: 'Clients and proxies can tell which credentials are needed.',
    severity: sev('warn', 'warn', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      const t = ctx.profile.connectionTest
      const res = await ctx.send({
        method: 'GET',
        path: t.path,
        query: t.query,
        auth: 'none',
        noRetry: true,
      })
      if (res.status !== 401)
        throw new CheckFailure(
          `A request without a token got HTTP ${res.status}, not 401 (see auth.no_token).`,
          {
            expected: 'HTTP 401 with WWW-Authenticate: Bearer',
            actual: describeResponse(res),
          },
        )
      const header = res.headers.get('www-authenticate')
      check(
        header !== null && /^bearer\b/i.test(header.trim()),
        `The 401 carries WWW-Authenticate ${show(header ?? undefined)}.`,
        {
          expected: 'WWW-Authenticate: Bearer (optionally with realm, error)',
          actual: `WWW-Authenticate: ${header ?? '(none)'}`,
          idpImpact: 'Okta and Entra do not need it; standard HTTP clients and gateways do.',
          fix: 'Add "WWW-Authenticate: Bearer" to every 401.',
        },
      )
      return { status: 'pass', message: 'The 401 carries WWW-Authenticate: Bearer.' }
    },
  },
  {
    id: 'filters.advertised_operators',
    title: 'The filter operators /ServiceProviderConfig advertises work',
    area: 'filters',
    spec: 'RFC 7644 §3.4.2.2 (operators), §5 (filter.supported)',
    protects: 'Clients that trust the advertised capabilities get correct answers.',
    severity: sev('warn', 'warn', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      const spc = await ctx.send({ method: 'GET', path: '/ServiceProviderConfig' })
      if (spc.status !== 200 || get(spc.json, 'filter.supported') !== true)
        return {
          status: 'pass',
          message: `/ServiceProviderConfig does not advertise filtering (HTTP ${spc.status}): nothing to hold the server to beyond eq.`,
        }
      const subject = await subjectUser(ctx)
      const u = subject.userName
      const mid = u.slice(2, Math.max(3, u.length - 2))
      const cases: Array<[string, boolean]> = [
        [`userName sw "${u.slice(0, u.length - 1)}"`, true],
        [`userName co "${mid}"`, true],
        [`userName ew "${u.slice(1)}"`, true],
        [`userName pr and userName eq "${u}"`, true],
        [`userName eq "${u}" or userName eq "${u}-none"`, true],
        [`userName ne "${u}" and userName sw "${u}"`, false],
        [`not (userName eq "${u}") and userName sw "${u}"`, false],
      ]
      const wrong: string[] = []
      for (const [filter, should] of cases) {
        const res = await ctx.send({ method: 'GET', path: '/Users', query: { filter, count: 100 } })
        if (res.status !== 200) {
          wrong.push(`${filter} → HTTP ${res.status}`)
          continue
        }
        const found = resourcesOf(res.json).some((r) => r.id === subject.id)
        if (found !== should)
          wrong.push(`${filter} ${should ? 'misses' : 'still returns'} the user`)
      }
      check(wrong.length === 0, `Advertised filtering fails: ${wrong.join('; ')}.`, {
        expected: `every RFC 7644 operator works on userName ${show(u)}`,
        actual: wrong.join('; '),
        idpImpact:
          'Okta and Entra use eq only; other clients trusting filter.supported get wrong results.',
        fix: 'Implement the RFC 7644 §3.4.2.2 operators, or advertise filter.supported=false.',
      })
      return {
        status: 'pass',
        message: `The ${cases.length} operator probes behave as the RFC says.`,
      }
    },
  },
]
