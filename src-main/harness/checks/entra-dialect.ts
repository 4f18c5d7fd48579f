import {
  check,
  expectStatus,
  get,
  isObject,
  resourcesOf,
  sev,
  show,
  type CheckContext,
  type CheckDef,
  resPath,
} from '../check.ts'
import { ENTERPRISE_SCHEMA, PATCH_SCHEMA } from '../profiles.ts'
import { createdId } from './subject.ts'

/**
 * Requests Entra sends that the basic flows do not cover: its manager updates and lookups, the
 * aadOptscim062020 no-path form with dotted keys, clearing attributes, and member-less group reads.
 */

const managerOf = (json: unknown): unknown => {
  // The extension URN contains dots ("2.0"), so it is read directly rather than through get().
  const ext = isObject(json) ? json[ENTERPRISE_SCHEMA] : undefined
  return isObject(ext) ? get(ext.manager, 'value') : undefined
}

async function readUser(ctx: CheckContext, id: string): Promise<unknown> {
  const res = await ctx.send({ method: 'GET', path: resPath('Users', id) })
  expectStatus(res, 200, { what: `GET /Users/${id}` })
  return res.json
}

export const entraDialectChecks: CheckDef[] = [
  {
    id: 'users.manager',
    title: "Entra's manager update (Add with a one-element array) and its id-and-manager lookup",
    area: 'users',
    spec: 'RFC 7643 §4.3 (enterprise manager); Entra tutorial (manager), Logic App tests 5 and 25',
    protects: 'Manager relationships provisioned by Entra, and its check of the current manager.',
    severity: sev('skip', 'warn', 'info'),
    writes: true,
    async run(ctx) {
      const [boss, report] = await Promise.all([
        ctx.createUser(ctx.userSeed('boss')),
        ctx.createUser(ctx.userSeed('report')),
      ])
      const bossId = createdId(boss)
      const id = createdId(report)
      const body = {
        schemas: [PATCH_SCHEMA],
        Operations: [
          {
            op: 'Add',
            path: 'manager',
            value: [{ $ref: `${ctx.baseUrl}/Users/${bossId}`, value: bossId }],
          },
        ],
      }
      const res = await ctx.send({ method: 'PATCH', path: resPath('Users', id), body })
      expectStatus(res, [200, 204], {
        what: `PATCH /Users/${id} ${JSON.stringify(body)}`,
        idpImpact: 'Entra cannot set managers; every user with a manager logs an update failure.',
        fix: 'Accept path "manager" (mapped to the enterprise extension) with a one-element array value.',
      })
      const after = await readUser(ctx, id)
      check(managerOf(after) === bossId, `The manager reads back as ${show(managerOf(after))}.`, {
        expected: `${ENTERPRISE_SCHEMA}.manager.value = ${bossId}`,
        actual: show(isObject(after) ? after[ENTERPRISE_SCHEMA] : undefined),
        idpImpact: 'Entra reports the manager as set; your app has none.',
        fix: 'Store manager.value from the first array element.',
      })
      const q = await ctx.send({
        method: 'GET',
        path: '/Users',
        query: { filter: `id eq "${id}" and manager eq "${bossId}"` },
      })
      expectStatus(q, 200, {
        what: `GET /Users?filter=id eq "${id}" and manager eq "${bossId}"`,
        idpImpact: 'Entra cannot check the current manager and re-sends the update every cycle.',
        fix: 'Support "and" and the manager attribute in filters.',
      })
      check(
        resourcesOf(q.json).some((r) => r.id === id),
        'The id-and-manager filter did not find the user.',
        {
          actual: show(q.json),
          idpImpact: 'Entra re-sends the manager update every cycle.',
        },
      )
      return {
        status: 'pass',
        message: 'The manager is set and found by the id-and-manager filter.',
      }
    },
  },
  {
    id: 'patch.entra_no_path_dotted',
    title: 'A no-path replace with dotted keys ("name.givenName") is applied',
    area: 'patch',
    spec: 'Entra compatibility doc (aadOptscim062020 flag form); RFC 7644 §3.5.2.3',
    protects: 'Entra apps with the compliance flag update several attributes in one operation.',
    severity: sev('skip', 'warn', 'info'),
    writes: true,
    async run(ctx) {
      const id = createdId(await ctx.createUser(ctx.userSeed('dotted')))
      const body = {
        schemas: [PATCH_SCHEMA],
        Operations: [
          {
            op: 'replace',
            value: {
              displayName: 'Dotted Changed',
              'name.givenName': 'Dotted',
              'name.familyName': 'Changed',
            },
          },
        ],
      }
      const res = await ctx.send({ method: 'PATCH', path: resPath('Users', id), body })
      expectStatus(res, [200, 204], {
        what: `PATCH /Users/${id} ${JSON.stringify(body)}`,
        idpImpact: 'With aadOptscim062020 on, every Entra attribute update fails.',
        fix: 'In a no-path replace, treat dotted keys as attribute paths.',
      })
      const after = await readUser(ctx, id)
      check(
        get(after, 'name.givenName') === 'Dotted' && get(after, 'name.familyName') === 'Changed',
        `name reads back as ${show(get(after, 'name'))}.`,
        {
          expected: '{"givenName":"Dotted","familyName":"Changed"}',
          actual: show(get(after, 'name')),
          idpImpact:
            'Entra believes the names changed; your app keeps the old ones (or stored a literal "name.givenName" key).',
          fix: 'Apply "name.givenName" to name.givenName.',
        },
      )
      return { status: 'pass', message: 'Dotted keys in a no-path replace are applied.' }
    },
  },
  {
    id: 'patch.clear_attribute',
    title: 'Clearing an attribute (remove, and replace with "") reads back empty',
    area: 'patch',
    spec: 'RFC 7643 §2.5; RFC 7644 §3.5.2.2; Entra Logic App test 16 (null update); Okta OIN C9337 (push empty values)',
    protects: 'Values emptied in the IdP are emptied in your app.',
    severity: sev('skip', 'warn', 'warn'),
    writes: true,
    async run(ctx) {
      const seed = { ...ctx.userSeed('clear'), title: 'Engineer' }
      const id = createdId(await ctx.createUser(seed))
      const remove = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove', path: 'title' }] }
      const res = await ctx.send({ method: 'PATCH', path: resPath('Users', id), body: remove })
      expectStatus(res, [200, 204], {
        what: `PATCH /Users/${id} ${JSON.stringify(remove)}`,
        fix: 'Support op "remove" on a simple attribute.',
      })
      const after = await readUser(ctx, id)
      check(
        get(after, 'title') === undefined ||
          get(after, 'title') === null ||
          get(after, 'title') === '',
        `title reads back as ${show(get(after, 'title'))} after remove.`,
        {
          expected: 'no title',
          actual: show(get(after, 'title')),
          idpImpact: 'Attributes cleared in the IdP stay set in your app.',
          fix: 'Remove the attribute.',
        },
      )
      return { status: 'pass', message: 'A removed attribute reads back empty.' }
    },
  },
  {
    id: 'groups.excluded_members',
    title: 'GET /Groups/{id}?excludedAttributes=members leaves members out',
    area: 'groups',
    spec: 'RFC 7644 §3.4.2.5; Entra tutorial (excludedAttributes=members on every group read)',
    protects: 'Entra reads groups without pulling their whole membership.',
    severity: sev('skip', 'warn', 'warn'),
    writes: true,
    async run(ctx) {
      const [g, u] = await Promise.all([
        ctx.createGroup(ctx.groupName('excl')),
        ctx.createUser(ctx.userSeed('excl')),
      ])
      const gid = createdId(g, 'a test group')
      const uid = createdId(u)
      const add = await ctx.send({
        method: 'PATCH',
        path: resPath('Groups', gid),
        body: ctx.profile.addMembers([{ id: uid, display: u.seed.userName }]),
      })
      expectStatus(add, [200, 204], { what: `PATCH /Groups/${gid} add member` })
      const res = await ctx.send({
        method: 'GET',
        path: resPath('Groups', gid),
        query: { excludedAttributes: 'members' },
      })
      expectStatus(res, 200, { what: `GET /Groups/${gid}?excludedAttributes=members` })
      const members = get(res.json, 'members')
      check(
        members === undefined || (Array.isArray(members) && members.length === 0),
        'members came back despite excludedAttributes=members.',
        {
          expected: 'no members attribute',
          actual: show(members),
          idpImpact:
            'Entra pulls every member on every group read: slow syncs and timeouts on large groups.',
          fix: 'Honour excludedAttributes (at least for members).',
        },
      )
      return { status: 'pass', message: 'excludedAttributes=members is honoured.' }
    },
  },
  {
    id: 'users.create.client_id_ignored',
    title: 'A client-sent id on create is ignored',
    area: 'users',
    spec: 'RFC 7643 §3.1 (id is issued by the provider); RFC 7644 §3.3 (readOnly attributes SHALL be ignored)',
    protects: 'Ids stay server-issued and unique whatever the client sends.',
    severity: sev('warn', 'warn', 'warn'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const sentId = `${ctx.runPrefix}client-chosen-id`
      const created = await ctx.createUser(ctx.userSeed('clientid'), (b) => ({ ...b, id: sentId }))
      expectStatus(created.res, [200, 201], {
        what: 'POST /Users with "id" in the body',
        fix: 'Ignore readOnly attributes such as id and meta on create instead of rejecting them.',
      })
      check(created.id !== sentId, 'The server used the id the client sent.', {
        expected: 'a server-issued id',
        actual: show(created.id),
        fix: 'Always issue the id on the server.',
      })
      return { status: 'pass', message: 'The client-sent id was ignored.' }
    },
  },
]
