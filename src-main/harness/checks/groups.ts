import {
  check,
  describeResponse,
  expectStatus,
  get,
  isObject,
  resourcesOf,
  schemasOf,
  sev,
  show,
  type CheckContext,
  type CheckDef,
  resPath,
} from '../check.ts'
import { LIST_SCHEMA } from '../profiles.ts'
import { createdId } from './subject.ts'

async function memberIds(ctx: CheckContext, groupId: string): Promise<string[]> {
  const res = await ctx.send({ method: 'GET', path: resPath('Groups', groupId) })
  expectStatus(res, 200, { what: `GET /Groups/${groupId}` })
  const members = get(res.json, 'members')
  return Array.isArray(members) ? members.map((m) => String(get(m, 'value'))) : []
}

async function patchGroup(
  ctx: CheckContext,
  id: string,
  body: Record<string, unknown>,
  impact: string,
  fix: string,
): Promise<void> {
  const res = await ctx.send({ method: 'PATCH', path: resPath('Groups', id), body })
  expectStatus(res, [200, 204], {
    what: `PATCH /Groups/${id} ${JSON.stringify(body)}`,
    idpImpact: impact,
    fix,
  })
}

const MEMBERSHIP_IMPACT =
  'Group push reports success but memberships (and the departments built on them) are wrong in your app.'

export const groupChecks: CheckDef[] = [
  {
    id: 'groups.list',
    title: 'GET /Groups is a ListResponse',
    area: 'groups',
    spec: 'RFC 7644 §3.4.2; Okta SPEC test step 10; Okta Test API Credentials (/Groups?startIndex=1&count=100)',
    protects: 'Okta group import and push start by listing groups.',
    severity: sev('warn', 'warn', 'fail'),
    writes: false,
    async run(ctx) {
      const res = await ctx.send({
        method: 'GET',
        path: '/Groups',
        query: { startIndex: 1, count: 100 },
      })
      expectStatus(res, 200, {
        what: 'GET /Groups?startIndex=1&count=100',
        idpImpact: 'Group push and group import are unavailable.',
        fix: 'Serve /Groups as a ListResponse (even if empty).',
      })
      check(schemasOf(res.json).includes(LIST_SCHEMA), 'GET /Groups is not a ListResponse.', {
        actual: describeResponse(res),
      })
      const total = get(res.json, 'totalResults')
      check(Number.isInteger(total), `totalResults is ${show(total)}, not an integer.`, {
        actual: describeResponse(res),
      })
      check(
        total === 0 || Array.isArray(get(res.json, 'Resources')),
        'Resources is not an array.',
        { actual: describeResponse(res) },
      )
      return { status: 'pass', message: 'GET /Groups answers a ListResponse.' }
    },
  },
  {
    id: 'groups.create',
    title: 'POST /Groups answers 201 with an id',
    area: 'groups',
    spec: 'RFC 7644 §3.3; Okta Push Groups; Entra Logic App test 19',
    protects: 'Pushed groups (your departments) are created.',
    severity: sev('fail', 'fail', 'fail'),
    writes: true,
    async run(ctx) {
      const name = ctx.groupName('create')
      const created = await ctx.createGroup(name)
      expectStatus(created.res, ctx.profile.id === 'entra' ? [200, 201] : [201], {
        what: `POST /Groups with ${ctx.profile.label}'s body`,
        idpImpact: 'Group push fails; the group never appears in your app.',
        fix: 'Accept a group with displayName and empty (or absent) members, answer 201 with the group.',
      })
      check(typeof created.id === 'string' && created.id !== '', 'The created group has no id.', {
        actual: describeResponse(created.res),
      })
      check(
        get(created.res.json, 'displayName') === name,
        `displayName came back as ${show(get(created.res.json, 'displayName'))}.`,
        {
          expected: show(name),
        },
      )
      return { status: 'pass', message: 'POST /Groups creates the group.' }
    },
  },
  {
    id: 'groups.filter_display_name',
    title: 'displayName eq finds the group',
    area: 'groups',
    spec: 'RFC 7644 §3.4.2.2; Okta Push Groups lookup; Entra group query',
    protects: 'The IdP finds an existing group instead of creating a second one.',
    severity: sev('fail', 'fail', 'fail'),
    writes: true,
    async run(ctx) {
      const name = ctx.groupName('filter')
      const id = createdId(await ctx.createGroup(name), 'a test group')
      const res = await ctx.send({
        method: 'GET',
        path: '/Groups',
        query: ctx.profile.groupLookup(name),
      })
      expectStatus(res, 200, { what: `GET /Groups?filter=displayName eq "${name}"` })
      const hits = resourcesOf(res.json)
      check(
        hits.length === 1 && hits[0]?.id === id,
        `The displayName filter returned ${hits.length} groups.`,
        {
          expected: `exactly the group ${id}`,
          actual: describeResponse(res),
          idpImpact: 'Okta and Entra create the group again (409) or link the wrong group.',
          fix: 'Support filter=displayName eq "<value>" on /Groups.',
        },
      )
      return { status: 'pass', message: 'The displayName filter finds the group.' }
    },
  },
  {
    id: 'groups.members',
    title: "Adding and removing members in the IdP's PATCH form (read back)",
    area: 'groups',
    spec: 'RFC 7644 §3.5.2.1-2; Okta group push membership PATCH; Entra add/remove members (legacy remove form)',
    protects: 'Group memberships pushed by the IdP are applied exactly.',
    severity: sev('fail', 'fail', 'fail'),
    writes: true,
    async run(ctx) {
      const [g, a, b] = await Promise.all([
        ctx.createGroup(ctx.groupName('members')),
        ctx.createUser(ctx.userSeed('member-a')),
        ctx.createUser(ctx.userSeed('member-b')),
      ])
      const gid = createdId(g, 'a test group')
      const aid = createdId(a)
      const bid = createdId(b)
      await patchGroup(
        ctx,
        gid,
        ctx.profile.addMembers([
          { id: aid, display: a.seed.userName },
          { id: bid, display: b.seed.userName },
        ]),
        MEMBERSHIP_IMPACT,
        'Support op "add" on path "members" with several values in one PATCH.',
      )
      const afterAdd = await memberIds(ctx, gid)
      check(
        afterAdd.includes(aid) && afterAdd.includes(bid),
        `After adding 2 members the group holds ${show(afterAdd)}.`,
        {
          expected: show([aid, bid]),
          actual: show(afterAdd),
          idpImpact: MEMBERSHIP_IMPACT,
          fix: 'Apply every value of an "add" on members.',
        },
      )
      const remove = ctx.profile.removeMember(aid)
      await patchGroup(
        ctx,
        gid,
        remove,
        MEMBERSHIP_IMPACT,
        ctx.profile.id === 'entra'
          ? 'Support Entra\'s legacy removal: {"op":"Remove","path":"members","value":[{"value":"<id>"}]} removes only those members.'
          : 'Support remove with path members[value eq "<id>"].',
      )
      const afterRemove = await memberIds(ctx, gid)
      check(
        !afterRemove.includes(aid) && afterRemove.includes(bid),
        `After removing one member the group holds ${show(afterRemove)}.`,
        {
          expected: show([bid]),
          actual: show(afterRemove),
          idpImpact:
            afterRemove.length === 0
              ? 'Removing one member emptied the whole group: everyone loses that department.'
              : 'Removed members keep their group membership in your app.',
          fix: `Apply ${JSON.stringify(remove.Operations)} to the one member only.`,
        },
      )
      return { status: 'pass', message: 'Members are added and removed exactly.' }
    },
  },
  {
    id: 'groups.rename',
    title: 'Rename keeps the group and its members',
    area: 'groups',
    spec: 'RFC 7644 §3.5.2.3; Okta rename PATCH (id inside value); Entra Replace displayName',
    protects: 'A renamed IdP group renames the department without emptying it.',
    severity: sev('fail', 'fail', 'fail'),
    writes: true,
    async run(ctx) {
      const [g, u] = await Promise.all([
        ctx.createGroup(ctx.groupName('rename')),
        ctx.createUser(ctx.userSeed('rename')),
      ])
      const gid = createdId(g, 'a test group')
      const uid = createdId(u)
      await patchGroup(
        ctx,
        gid,
        ctx.profile.addMembers([{ id: uid, display: u.seed.userName }]),
        MEMBERSHIP_IMPACT,
        'Support add on members.',
      )
      const newName = ctx.groupName('renamed')
      await patchGroup(
        ctx,
        gid,
        ctx.profile.renameGroup(gid, newName),
        'Renames in the IdP never reach your app.',
        'Support replace of displayName (with a path, and with no path and an object value).',
      )
      const res = await ctx.send({ method: 'GET', path: resPath('Groups', gid) })
      expectStatus(res, 200, { what: `GET /Groups/${gid} after rename` })
      check(
        get(res.json, 'displayName') === newName,
        `displayName reads back as ${show(get(res.json, 'displayName'))}.`,
        {
          expected: show(newName),
          actual: show(get(res.json, 'displayName')),
          idpImpact: 'The department keeps its old name.',
        },
      )
      const members = get(res.json, 'members')
      const ids = Array.isArray(members)
        ? members.map((m) => (isObject(m) ? m.value : undefined))
        : []
      check(ids.includes(uid), `After the rename the members are ${show(members)}.`, {
        expected: `members still include ${uid}`,
        actual: show(members),
        idpImpact: 'A rename silently empties the group: its members lose the department.',
        fix: 'A replace that does not mention members must leave members alone.',
      })
      return { status: 'pass', message: 'The rename applied and members were kept.' }
    },
  },
  {
    id: 'groups.delete',
    title: 'DELETE /Groups/{id} gives 204, then 404',
    area: 'groups',
    spec: 'RFC 7644 §3.6; Okta "Unlink pushed group: delete"; Entra Logic App test 10',
    protects: 'Unlinking a pushed group removes it.',
    severity: sev('warn', 'warn', 'fail'),
    writes: true,
    async run(ctx) {
      const name = ctx.groupName('delete')
      const id = createdId(await ctx.createGroup(name), 'a test group')
      const del = await ctx.send({ method: 'DELETE', path: resPath('Groups', id) })
      expectStatus(del, 204, { what: `DELETE /Groups/${id}`, fix: 'Answer DELETE with 204.' })
      ctx.forget({ type: 'Groups', id, name })
      const read = await ctx.send({ method: 'GET', path: resPath('Groups', id) })
      expectStatus(read, 404, {
        what: `GET /Groups/${id} after DELETE`,
        idpImpact: 'Deleted groups linger.',
      })
      return { status: 'pass', message: 'DELETE gives 204 and the group is gone.' }
    },
  },
]
