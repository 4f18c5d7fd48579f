import {
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
import type { UserSeed } from '../profiles.ts'
import { createdId } from './subject.ts'

/**
 * Identity across change: login names that are not e-mail addresses (Okta's "Custom" and
 * "Email prefix" username formats), a second person with the same login, renames by PUT and by
 * each IdP's PATCH, new e-mail and externalId, group renames. Each lookup is judged against the
 * identity the run last gave the resource (the ledger), not against the server's echo.
 */

const LOOKUP_IMPACT =
  'The IdP looks users up by userName before it creates or links them: a miss makes it POST a duplicate (or get 409 forever), a wrong hit links the wrong person.'

/** A seed whose userName is a login, not an e-mail, and whose e-mail differs from it. */
export function loginSeed(ctx: CheckContext, tag: string): UserSeed {
  const s = ctx.userSeed(tag)
  const at = s.userName.indexOf('@')
  const local = at === -1 ? s.userName : s.userName.slice(0, at)
  return { ...s, userName: local, email: `${local}.mail@scimc.example.com` }
}

/** Ids a filter returns; a 404 counts as "none" (filters.no_match reports that bug). */
async function filterIds(
  ctx: CheckContext,
  collection: 'Users' | 'Groups',
  filter: string,
  extra: Record<string, string> = {},
): Promise<string[]> {
  const res = await ctx.send({ method: 'GET', path: `/${collection}`, query: { ...extra, filter } })
  if (res.status === 404) return []
  expectStatus(res, 200, { what: `GET /${collection}?filter=${filter}`, idpImpact: LOOKUP_IMPACT })
  return resourcesOf(res.json).map((r) => String(r.id))
}

/** After a change: the new value finds the resource, the old one no longer does. */
async function expectFoundOnlyByNew(
  ctx: CheckContext,
  collection: 'Users' | 'Groups',
  attr: string,
  id: string,
  oldValue: string,
  newValue: string,
  how: string,
): Promise<void> {
  const extra = collection === 'Groups' ? (ctx.profile.groupGetQuery as Record<string, string>) : {}
  const byNew = await filterIds(ctx, collection, `${attr} eq "${newValue}"`, extra)
  check(byNew.includes(id), `After ${how}, ${attr} eq "${newValue}" does not find ${id}.`, {
    expected: `${id} in the result`,
    actual: byNew.length ? byNew.join(', ') : 'no resources',
    idpImpact: LOOKUP_IMPACT,
    fix: `Update the lookup index when ${attr} changes: filters must see the current value.`,
  })
  const byOld = await filterIds(ctx, collection, `${attr} eq "${oldValue}"`, extra)
  check(!byOld.includes(id), `After ${how}, the old ${attr} "${oldValue}" still finds ${id}.`, {
    expected: 'no result for the old value',
    actual: byOld.join(', '),
    idpImpact: `${LOOKUP_IMPACT} A new person given the freed name is linked to the old account.`,
    fix: `Drop the old ${attr} from the lookup index when it changes.`,
  })
}

async function readBack(ctx: CheckContext, id: string, path: string, want: string, how: string) {
  const res = await ctx.send({ method: 'GET', path: resPath('Users', id) })
  expectStatus(res, 200, { what: `GET /Users/${id} after ${how}` })
  check(get(res.json, path) === want, `After ${how}, ${path} reads ${show(get(res.json, path))}.`, {
    expected: show(want),
    actual: show(get(res.json, path)),
    idpImpact: 'The change never reaches your app; the IdP keeps re-sending it.',
  })
}

async function renameUser(ctx: CheckContext, by: 'PUT' | 'PATCH'): Promise<string> {
  const seed = loginSeed(ctx, by === 'PUT' ? 'rnput' : 'rnpatch')
  const id = createdId(await ctx.createUser(seed))
  const next = `${seed.userName}-renamed`
  let res
  if (by === 'PUT') {
    const cur = await ctx.send({ method: 'GET', path: resPath('Users', id) })
    expectStatus(cur, 200, { what: `GET /Users/${id}` })
    check(isObject(cur.json), 'GET returned no JSON body.', { actual: describeResponse(cur) })
    res = await ctx.send({
      method: 'PUT',
      path: resPath('Users', id),
      body: { ...cur.json, userName: next },
    })
  } else {
    res = await ctx.send({
      method: 'PATCH',
      path: resPath('Users', id),
      body: ctx.profile.renameUser(next),
    })
  }
  expectStatus(res, [200, 204], {
    what: `${by} /Users/${id} with a new userName`,
    idpImpact: `${ctx.profile.label} cannot apply a username change; the user keeps the old login.`,
    fix: `Accept a userName change by ${by === 'PUT' ? 'PUT' : `${ctx.profile.label}'s PATCH`}.`,
  })
  ctx.ledger.update('Users', id, { name: next })
  await readBack(ctx, id, 'userName', next, `the ${by} rename`)
  await expectFoundOnlyByNew(ctx, 'Users', 'userName', id, seed.userName, next, `the ${by} rename`)
  return `Renamed by ${by}: the new userName finds the user, the old one does not.`
}

export const identityChecks: CheckDef[] = [
  {
    id: 'identity.user_name_not_email',
    title: 'A userName that is not an e-mail is found by userName, and only by it',
    area: 'users',
    spec: 'RFC 7644 §3.4.2.2 (filter on the named attribute); Okta username formats "Custom" and "Email prefix"',
    protects: 'Lookups by login name find users whose login is not their e-mail address.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const seed = loginSeed(ctx, 'login')
      const id = createdId(await ctx.createUser(seed))
      const hits = await filterIds(ctx, 'Users', `userName eq "${seed.userName}"`)
      check(hits.includes(id), `userName eq "${seed.userName}" does not find the user.`, {
        expected: `${id} (userName ${seed.userName}, e-mail ${seed.email})`,
        actual: hits.length ? hits.join(', ') : 'no resources',
        idpImpact: LOOKUP_IMPACT,
        fix: 'Filter userName on userName, not on the e-mail address.',
      })
      const own = new Set(ctx.ledger.live('Users').map((e) => e.id))
      const wrong = hits.filter((h) => h !== id && own.has(h))
      check(
        wrong.length === 0,
        `userName eq "${seed.userName}" also returns ${wrong.join(', ')}.`,
        {
          idpImpact: LOOKUP_IMPACT,
        },
      )
      const byMail = await filterIds(ctx, 'Users', `userName eq "${seed.email}"`)
      check(
        !byMail.includes(id),
        `userName eq "${seed.email}" (the user's e-mail, not its userName) finds the user.`,
        {
          expected: 'no result: no user has that userName',
          actual: byMail.join(', '),
          idpImpact: `${LOOKUP_IMPACT} Someone whose login is another person's e-mail is linked to them.`,
          fix: 'Compare userName with userName only.',
        },
      )
      return { status: 'pass', message: 'A login-style userName is found by userName only.' }
    },
  },
  {
    id: 'identity.same_user_name_other_email',
    title: 'A second user with the same userName but another e-mail gives 409 uniqueness',
    area: 'users',
    spec: 'RFC 7643 §4.1 (userName unique); RFC 7644 §3.3 (409, scimType uniqueness)',
    protects: 'Two people can never share one login; a retried create never makes a twin.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const seed = loginSeed(ctx, 'uniq')
      createdId(await ctx.createUser(seed))
      const other = loginSeed(ctx, 'uniq2')
      const twin = { ...other, userName: seed.userName }
      const res = await ctx.send({
        method: 'POST',
        path: '/Users',
        body: ctx.profile.createUser(twin),
      })
      const dupId = get(res.json, 'id')
      if (res.status < 300 && typeof dupId === 'string')
        ctx.track({ type: 'Users', id: dupId, name: seed.userName })
      expectStatus(res, 409, {
        what: `POST /Users with the existing userName "${seed.userName}" and another e-mail`,
        idpImpact:
          'Two accounts share one login; the IdP updates one of them at random and the other keeps stale access.',
        fix: 'Enforce uniqueness on userName itself (case-insensitively), not on the e-mail.',
      })
      check(
        get(res.json, 'scimType') === 'uniqueness',
        `The 409 has scimType ${show(get(res.json, 'scimType'))}.`,
        {
          expected: '"scimType":"uniqueness"',
          actual: describeResponse(res),
          fix: 'Add "scimType":"uniqueness" to the 409 Error (RFC 7644 §3.3).',
        },
      )
      return {
        status: 'pass',
        message: 'The same userName with another e-mail is refused with 409.',
      }
    },
  },
  {
    id: 'identity.rename_put',
    title: 'A userName changed by PUT is found by the new name, not the old',
    area: 'users',
    spec: 'RFC 7644 §3.5.1, §3.4.2.2; Okta AIW apps update with GET then PUT',
    protects: 'Okta username changes (e.g. after a marriage) keep the account linked.',
    severity: sev('fail', 'skip', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      return { status: 'pass', message: await renameUser(ctx, 'PUT') }
    },
  },
  {
    id: 'identity.rename_patch',
    title: "A userName changed by the IdP's PATCH is found by the new name, not the old",
    area: 'users',
    spec: 'RFC 7644 §3.5.2, §3.4.2.2; Okta no-path replace; Entra "Replace" path userName',
    protects: 'Directory renames keep the account linked and free the old login.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      return { status: 'pass', message: await renameUser(ctx, 'PATCH') }
    },
  },
  {
    id: 'identity.email_external_id',
    title: 'A new e-mail and externalId read back and the externalId filter follows the change',
    area: 'users',
    spec: 'RFC 7644 §3.5.2, §3.4.2.2; Entra matching on externalId',
    protects: 'Entra, which links users by externalId, finds them after the change.',
    severity: sev('warn', 'fail', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const seed = ctx.userSeed('extchg')
      const id = createdId(await ctx.createUser(seed))
      const newMail = seed.email.replace('@', '.new@')
      const mail = await ctx.send({
        method: 'PATCH',
        path: resPath('Users', id),
        body: ctx.profile.updateNameAndEmail(seed.familyName, newMail),
      })
      expectStatus(mail, [200, 204], { what: `PATCH /Users/${id} new e-mail` })
      const read = await ctx.send({ method: 'GET', path: resPath('Users', id) })
      expectStatus(read, 200, { what: `GET /Users/${id} after the e-mail change` })
      const emails = get(read.json, 'emails')
      const list = Array.isArray(emails) ? emails : []
      const primaries = list.filter((e) => get(e, 'primary') === true)
      check(
        list.some((e) => get(e, 'value') === newMail) &&
          !list.some((e) => get(e, 'value') === seed.email) &&
          primaries.length <= 1,
        `After the e-mail change, emails read ${show(emails)}.`,
        {
          expected: `the work e-mail ${newMail} alone (replace, not add; at most one primary)`,
          actual: show(emails),
          idpImpact:
            'The old address stays (or two addresses are primary): notifications and SSO matching use the wrong one.',
          fix: 'A replace of emails replaces the values (RFC 7644 §3.5.2.3); "primary" is true at most once (RFC 7643 §2.4).',
        },
      )
      const newExt = `${seed.externalId}-new`
      const ext = await ctx.send({
        method: 'PATCH',
        path: resPath('Users', id),
        body: ctx.profile.setExternalId(newExt),
      })
      expectStatus(ext, [200, 204], { what: `PATCH /Users/${id} new externalId` })
      ctx.ledger.update('Users', id, { email: newMail, externalId: newExt })
      await readBack(ctx, id, 'externalId', newExt, 'the externalId change')
      await expectFoundOnlyByNew(
        ctx,
        'Users',
        'externalId',
        id,
        seed.externalId,
        newExt,
        'the externalId change',
      )
      return {
        status: 'pass',
        message: 'E-mail and externalId changes apply and filters follow them.',
      }
    },
  },
  {
    id: 'identity.group_rename',
    title: 'A renamed group is found by its new displayName and keeps its renamed members',
    area: 'groups',
    spec: 'RFC 7644 §3.5.2, §3.4.2.2; Okta group push rename; Entra "Replace" displayName',
    protects: 'Group push keeps linking the renamed group and its members.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const seed = loginSeed(ctx, 'gmember')
      const userId = createdId(await ctx.createUser(seed))
      const name = ctx.groupName('grn')
      const groupId = createdId(await ctx.createGroup(name), 'a test group')
      const add = await ctx.send({
        method: 'PATCH',
        path: resPath('Groups', groupId),
        body: ctx.profile.addMembers([{ id: userId, display: seed.userName }]),
      })
      expectStatus(add, [200, 204], { what: `PATCH /Groups/${groupId} add member` })
      const newLogin = `${seed.userName}-renamed`
      const ren = await ctx.send({
        method: 'PATCH',
        path: resPath('Users', userId),
        body: ctx.profile.renameUser(newLogin),
      })
      expectStatus(ren, [200, 204], { what: `PATCH /Users/${userId} rename` })
      ctx.ledger.update('Users', userId, { name: newLogin })
      const newName = `${name}-renamed`
      const res = await ctx.send({
        method: 'PATCH',
        path: resPath('Groups', groupId),
        body: ctx.profile.renameGroup(groupId, newName),
      })
      expectStatus(res, [200, 204], {
        what: `PATCH /Groups/${groupId} rename`,
        idpImpact: 'Group renames in the IdP never reach your app.',
      })
      ctx.ledger.update('Groups', groupId, { name: newName })
      await expectFoundOnlyByNew(
        ctx,
        'Groups',
        'displayName',
        groupId,
        name,
        newName,
        'the group rename',
      )
      const read = await ctx.send({ method: 'GET', path: resPath('Groups', groupId) })
      expectStatus(read, 200, { what: `GET /Groups/${groupId}` })
      const members = get(read.json, 'members')
      const ids = Array.isArray(members) ? members.map((m) => String(get(m, 'value'))) : []
      check(ids.includes(userId), 'After renaming the member and the group, the member is gone.', {
        expected: `members containing ${userId}`,
        actual: show(members),
        idpImpact: 'People lose group-based access after a rename.',
        fix: 'Keep memberships by id; renames must not touch them.',
      })
      return {
        status: 'pass',
        message: 'The renamed group is found by its new name and keeps its member.',
      }
    },
  },
]
