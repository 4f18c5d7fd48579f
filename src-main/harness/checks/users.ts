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
  type CheckDef,
  resPath,
} from '../check.ts'
import { ERROR_SCHEMA, LIST_SCHEMA } from '../profiles.ts'
import { createdId, subjectUser } from './subject.ts'

/** Okta SPEC test's `UserIdThatDoesNotExist`. */
export const UNKNOWN_USER_ID = '010101001010101011001010101011'

const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v)

import { userCreateChecks } from './users-create.ts'

const listChecks: CheckDef[] = [
  {
    id: 'users.list.shape',
    title: 'GET /Users is a ListResponse with integer counts',
    area: 'users',
    spec: 'RFC 7644 §3.4.2; Okta SPEC test step 1; Okta import guide (integers, not strings)',
    protects:
      'Okta "Test API Credentials", Entra "Test Connection" and user import parse the list.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      const t = ctx.profile.connectionTest
      const res = await ctx.send({ method: 'GET', path: t.path, query: t.query })
      expectStatus(res, 200, {
        what: t.describe,
        idpImpact: `${ctx.profile.label} reports the connection test as failed.`,
        fix: 'Answer list and filter requests with 200 and a ListResponse.',
      })
      check(isObject(res.json), 'The body is not a JSON object.', { actual: describeResponse(res) })
      const body = res.json
      check(schemasOf(body).includes(LIST_SCHEMA), `schemas lacks ${LIST_SCHEMA}.`, {
        expected: `"schemas":["${LIST_SCHEMA}"]`,
        actual: describeResponse(res),
        fix: 'Wrap list answers in the ListResponse message.',
      })
      // totalResults is REQUIRED; startIndex and itemsPerPage must be integers when present.
      const bad = ['totalResults', 'startIndex', 'itemsPerPage'].filter(
        (k) => (k === 'totalResults' || body[k] !== undefined) && !isInt(body[k]),
      )
      check(bad.length === 0, `Counts are not JSON integers: ${bad.join(', ')}.`, {
        expected: 'totalResults, startIndex, itemsPerPage as JSON integers (e.g. 2, not "2")',
        actual: `totalResults=${show(body.totalResults)} startIndex=${show(body.startIndex)} itemsPerPage=${show(body.itemsPerPage)}`,
        idpImpact: "Okta's credential test and import fail: it requires integers, not strings.",
        fix: 'Serialise the counts as numbers.',
      })
      check(
        (body.totalResults as number) === 0 || Array.isArray(body.Resources),
        'totalResults is non-zero but Resources is not an array.',
        {
          actual: describeResponse(res),
          fix: 'Always send "Resources": [...] when totalResults > 0.',
        },
      )
      if (ctx.profile.id === 'okta' && body.startIndex === undefined) {
        ctx.warn("startIndex is missing; Okta's SPEC test asserts it is a number.", {
          fix: 'Echo startIndex (1-based) in every ListResponse.',
        })
      }
      return { status: 'pass', message: `${t.describe} answers a well-formed ListResponse.` }
    },
  },
  {
    id: 'users.list.first_user',
    title: 'Listed users carry id, userName, name, active and email',
    area: 'users',
    spec: 'Okta SPEC test step 1 (Resources[0] attributes)',
    protects: "Okta's SPEC test reads the first user's core attributes.",
    severity: sev('warn', 'info', 'info'),
    writes: false,
    async run(ctx) {
      if (!ctx.readOnly) createdId(await ctx.primaryUser(), "the run's primary user")
      const res = await ctx.send({
        method: 'GET',
        path: '/Users',
        query: { count: 1, startIndex: 1 },
      })
      expectStatus(res, 200, { what: 'GET /Users?count=1&startIndex=1' })
      const first = resourcesOf(res.json)[0]
      check(first, 'GET /Users?count=1&startIndex=1 returned no user.', {
        actual: describeResponse(res),
        fix: "Okta's test needs at least one user in the tenant.",
      })
      const need = [
        'id',
        'userName',
        'name.givenName',
        'name.familyName',
        'active',
        'emails.0.value',
      ]
      const missing = need.filter((p) => get(first, p) === undefined || get(first, p) === '')
      check(missing.length === 0, `The first listed user lacks ${missing.join(', ')}.`, {
        expected: need.join(', '),
        actual: show(first),
        idpImpact: "Okta's SPEC test step 1 fails on this tenant's first user.",
        fix: 'Return the core attributes in list responses, or make sure users have them.',
      })
      return { status: 'pass', message: 'The first listed user has all core attributes.' }
    },
  },
]

const readAndChangeChecks: CheckDef[] = [
  {
    id: 'users.get.by_id',
    title: 'GET /Users/{id} returns that user',
    area: 'users',
    spec: 'RFC 7644 §3.4.1; Okta SPEC test steps 2 and 7',
    protects: "Okta's PUT flow reads the user first and sends back what it read.",
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      const subject = await subjectUser(ctx)
      const res = await ctx.send({
        method: 'GET',
        path: `/Users/${encodeURIComponent(subject.id)}`,
      })
      expectStatus(res, 200, {
        what: `GET /Users/${subject.id}`,
        idpImpact: 'Every update and deactivation for this user fails.',
      })
      check(
        !schemasOf(res.json).includes(LIST_SCHEMA),
        'GET by id returned a ListResponse, not the user.',
        {
          expected: 'the User resource',
          actual: describeResponse(res),
          idpImpact:
            'Okta merges its changes into the ListResponse and PUTs it back, corrupting the user.',
          fix: 'Return the bare resource for /Users/{id}.',
        },
      )
      check(
        get(res.json, 'id') === subject.id,
        `The id came back as ${show(get(res.json, 'id'))}.`,
        {
          expected: show(subject.id),
          actual: show(get(res.json, 'id')),
        },
      )
      check(
        get(res.json, 'userName') === subject.userName,
        `userName came back as ${show(get(res.json, 'userName'))}.`,
        {
          expected: show(subject.userName),
          actual: show(get(res.json, 'userName')),
        },
      )
      return { status: 'pass', message: 'GET /Users/{id} returns the user.' }
    },
  },
  {
    id: 'users.get.unknown',
    title: 'GET /Users/{unknown id} gives 404 with a SCIM Error',
    area: 'users',
    spec: 'RFC 7644 §3.4.1, §3.12; Okta SPEC test steps 4 and 12',
    protects: 'The IdP can tell "this user is gone" from a server failure.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: false,
    async run(ctx) {
      const res = await ctx.send({ method: 'GET', path: `/Users/${UNKNOWN_USER_ID}` })
      expectStatus(res, 404, {
        what: `GET /Users/${UNKNOWN_USER_ID}`,
        idpImpact:
          'The IdP believes a user exists that does not (or sees a server error) and its updates fail.',
        fix: 'Answer 404 with a SCIM Error for ids you do not know.',
      })
      check(schemasOf(res.json).includes(ERROR_SCHEMA), `The 404 body lacks ${ERROR_SCHEMA}.`, {
        expected: `{"schemas":["${ERROR_SCHEMA}"],"status":"404","detail":"..."}`,
        actual: describeResponse(res),
        fix: 'Send the SCIM Error JSON with the 404, not a framework error page.',
      })
      if (!get(res.json, 'detail'))
        ctx.warn("The 404 Error has no detail; Okta's SPEC test asserts it is not empty.")
      return { status: 'pass', message: 'An unknown id gives 404 with a SCIM Error.' }
    },
  },
  {
    id: 'users.put.replace',
    title: 'PUT replaces the user, keeps id and active, drops omitted attributes',
    area: 'users',
    spec: 'RFC 7644 §3.5.1; Okta SCIM 2.0 reference (AIW apps update with GET then PUT)',
    protects: 'Okta profile updates (and AIW deactivations) apply without suspending the user.',
    severity: sev('fail', 'warn', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const seed = { ...ctx.userSeed('put'), title: 'Engineer' }
      const id = createdId(await ctx.createUser(seed))
      const before = await ctx.send({ method: 'GET', path: resPath('Users', id) })
      expectStatus(before, 200, { what: `GET /Users/${id}` })
      check(isObject(before.json), 'GET returned no JSON body.', {
        actual: describeResponse(before),
      })
      // Okta modifies what it read and PUTs the whole object back, id/meta/groups included.
      const next: Record<string, unknown> = {
        ...before.json,
        name: { ...(before.json.name as object), givenName: 'Updated' },
      }
      delete next.title
      const res = await ctx.send({ method: 'PUT', path: resPath('Users', id), body: next })
      expectStatus(res, 200, {
        what: `PUT /Users/${id}`,
        idpImpact:
          res.status === 204
            ? 'Okta expects 200 with the user and marks the update as failed.'
            : 'Okta profile updates fail for every user.',
        fix: 'Answer PUT with 200 and the entire updated resource.',
      })
      check(get(res.json, 'id') === id, `PUT changed the id to ${show(get(res.json, 'id'))}.`, {
        expected: id,
      })
      const after = await ctx.send({ method: 'GET', path: resPath('Users', id) })
      expectStatus(after, 200, { what: `GET /Users/${id} after PUT` })
      check(
        get(after.json, 'name.givenName') === 'Updated',
        `name.givenName reads back as ${show(get(after.json, 'name.givenName'))}.`,
        {
          expected: '"Updated"',
          actual: show(get(after.json, 'name.givenName')),
          idpImpact: 'Profile changes in the IdP never reach your app.',
          fix: 'Apply the PUT body as the new state of the resource.',
        },
      )
      check(
        get(after.json, 'active') === true,
        `active reads back as ${show(get(after.json, 'active'))} after a PUT that kept it true.`,
        {
          expected: 'true',
          actual: show(get(after.json, 'active')),
          idpImpact: 'Users end up suspended after an ordinary profile update.',
          fix: 'Keep the active value the PUT carries.',
        },
      )
      check(
        get(after.json, 'title') === undefined || get(after.json, 'title') === null,
        `title still reads ${show(get(after.json, 'title'))} after a PUT that omitted it.`,
        {
          expected: 'title removed (PUT is a full replace)',
          actual: show(get(after.json, 'title')),
          idpImpact: 'Attributes cleared in the IdP stay set in your app forever.',
          fix: 'Treat PUT as a replace: attributes not in the body are cleared.',
        },
      )
      return { status: 'pass', message: 'PUT replaced the user and kept its id and active.' }
    },
  },
  {
    id: 'users.lifecycle.deactivate_reactivate',
    title: 'Deactivate keeps the user; reactivate restores it with the same id',
    area: 'users',
    spec: 'RFC 7643 §4.1.1; Okta CRUD test steps 7-13; Entra Logic App tests 3 and 6',
    protects: 'Unassigning a user in the IdP is a soft delete that can be undone.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const seed = ctx.userSeed('life')
      const id = createdId(await ctx.createUser(seed))
      const off = await ctx.send({
        method: 'PATCH',
        path: resPath('Users', id),
        body: ctx.profile.setActive(false),
      })
      expectStatus(off, [200, 204], {
        what: `PATCH /Users/${id} ${JSON.stringify(ctx.profile.setActive(false))}`,
        idpImpact: `${ctx.profile.label} cannot deactivate users: people who left keep access.`,
        fix:
          ctx.profile.id === 'okta'
            ? 'Support a PATCH "replace" with no path whose value is an object ({"active":false}).'
            : ctx.profile.id === 'entra'
              ? 'Accept capitalised ops ("Replace") and the string booleans "True"/"False" for active.'
              : 'Support PATCH replace on active.',
      })
      const read = await ctx.send({ method: 'GET', path: resPath('Users', id) })
      expectStatus(read, 200, {
        what: `GET /Users/${id} after deactivation`,
        idpImpact:
          'The user was deleted instead of deactivated: reactivation in the IdP fails with 404.',
        fix: 'Deactivation sets active=false; keep returning the user.',
      })
      check(
        get(read.json, 'active') === false,
        `After deactivation active reads ${show(get(read.json, 'active'))}.`,
        {
          expected: 'false',
          actual: show(get(read.json, 'active')),
          idpImpact: `${ctx.profile.label} believes the user is deactivated, but they keep access to your app.`,
          fix: 'Apply the PATCH and persist active=false (string "False" must not read as truthy).',
        },
      )
      const found = await ctx.send({
        method: 'GET',
        path: '/Users',
        query: ctx.profile.userLookup(seed.userName),
      })
      check(
        found.status === 200 && resourcesOf(found.json).some((r) => r.id === id),
        'A deactivated user is no longer found by the userName filter.',
        {
          expected: 'the deactivated user in the filter result',
          actual: describeResponse(found),
          idpImpact: 'On reassignment the IdP finds nothing, POSTs, and gets 409 forever.',
          fix: 'Return inactive users from queries too; only hard-deleted users disappear.',
        },
      )
      const on = await ctx.send({
        method: 'PATCH',
        path: resPath('Users', id),
        body: ctx.profile.setActive(true),
      })
      expectStatus(on, [200, 204], { what: `PATCH /Users/${id} reactivate` })
      const again = await ctx.send({ method: 'GET', path: resPath('Users', id) })
      expectStatus(again, 200, { what: `GET /Users/${id} after reactivation` })
      check(
        get(again.json, 'active') === true,
        `After reactivation active reads ${show(get(again.json, 'active'))}.`,
        {
          expected: 'true',
          actual: show(get(again.json, 'active')),
          idpImpact: 'Re-assigned users stay locked out.',
        },
      )
      check(
        get(again.json, 'id') === id && get(again.json, 'userName') === seed.userName,
        'Reactivation changed the id or userName.',
        {
          expected: `id ${id}, userName ${seed.userName}`,
          actual: `id ${show(get(again.json, 'id'))}, userName ${show(get(again.json, 'userName'))}`,
        },
      )
      return { status: 'pass', message: 'Deactivate and reactivate keep the same user.' }
    },
  },
  {
    id: 'users.delete',
    title: 'DELETE /Users/{id} gives 204, then 404',
    area: 'users',
    spec: 'RFC 7644 §3.6; Entra Logic App test 4',
    protects: 'Entra hard-deletes users 30 days after soft delete. Okta never deletes users.',
    severity: sev('warn', 'fail', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const seed = ctx.userSeed('del')
      const id = createdId(await ctx.createUser(seed))
      const del = await ctx.send({ method: 'DELETE', path: resPath('Users', id) })
      expectStatus(del, 204, {
        what: `DELETE /Users/${id}`,
        fix: 'Answer DELETE with 204 No Content.',
      })
      ctx.forget({ type: 'Users', id, name: seed.userName })
      const read = await ctx.send({ method: 'GET', path: resPath('Users', id) })
      expectStatus(read, 404, {
        what: `GET /Users/${id} after DELETE`,
        idpImpact: 'Deleted users linger and keep matching lookups.',
        fix: 'A deleted resource answers 404 to every later request.',
      })
      return { status: 'pass', message: 'DELETE gives 204 and the user is gone.' }
    },
  },
]

/** Report order: list, create, read, change, delete. */
export const userChecks: CheckDef[] = [...listChecks, ...userCreateChecks, ...readAndChangeChecks]
