import {
  check,
  describeResponse,
  expectStatus,
  get,
  isObject,
  schemasOf,
  sev,
  show,
  type CheckDef,
} from '../check.ts'
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from '../profiles.ts'
import { createdId } from './subject.ts'

/** POST /Users: status, body, Location/meta, duplicates, nulls, missing userName. */
export const userCreateChecks: CheckDef[] = [
  {
    id: 'users.create.status',
    title: 'POST /Users answers 201 with the created user',
    area: 'users',
    spec: 'RFC 7644 §3.3; Okta SPEC test step 6; Entra Logic App test 17',
    protects: 'The IdP stores the returned id and uses it for every later update.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const created = await ctx.primaryUser()
      const { res } = created
      const acceptable = ctx.profile.id === 'entra' ? [200, 201] : [201]
      expectStatus(res, acceptable, {
        what: `POST /Users with ${ctx.profile.label}'s body`,
        idpImpact:
          res.status === 400
            ? `${ctx.profile.label} cannot create this user; the error shows up in its provisioning tasks and the user never appears.`
            : `${ctx.profile.label} treats the create as failed and retries it, then gets 409.`,
        fix:
          res.status === 400
            ? `Accept ${ctx.profile.label}'s create body as-is: ignore attributes you do not store (such as Okta's placeholder "password", "groups":[] or Entra's nulls) instead of rejecting them.`
            : 'Answer a successful create with 201 Created and the user in the body.',
      })
      if (res.status === 200) ctx.note('Entra accepts 200 for create; RFC 7644 says 201.')
      check(isObject(res.json) && res.text.trim() !== '', 'The create answer has no body.', {
        expected: 'the created user as JSON',
        actual: describeResponse(res),
        idpImpact: 'Okta fails with "Create new user returned empty user".',
        fix: 'Return the created resource in the 201 body.',
      })
      return { status: 'pass', message: `POST /Users answered ${res.status} with a body.` }
    },
  },
  {
    id: 'users.create.body',
    title: 'The created user has an id and echoes what was sent',
    area: 'users',
    spec: 'RFC 7643 §3.1; RFC 7644 §3.3; Okta SPEC test step 6',
    protects: 'The IdP links its user to yours by the returned id and checks the values it sent.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const created = await ctx.primaryUser()
      createdId(created, "the run's primary user")
      const body = created.res.json
      const seed = created.seed
      check(
        typeof get(body, 'id') === 'string' && get(body, 'id') !== '',
        'The created user has no id.',
        {
          expected: 'a non-empty string "id"',
          actual: show(get(body, 'id')),
          idpImpact: 'Neither Okta nor Entra can update or deactivate a user without its id.',
          fix: 'Issue an id on create and return it.',
        },
      )
      check(schemasOf(body).includes(USER_SCHEMA), `schemas lacks ${USER_SCHEMA}.`, {
        actual: show(get(body, 'schemas')),
      })
      const pairs: Array<[string, unknown]> = [
        ['userName', seed.userName],
        ['name.givenName', seed.givenName],
        ['name.familyName', seed.familyName],
      ]
      for (const [path, sent] of pairs) {
        check(
          get(body, path) === sent,
          `${path} came back as ${show(get(body, path))}, not as sent.`,
          {
            expected: show(sent),
            actual: show(get(body, path)),
            idpImpact:
              path === 'userName'
                ? 'The IdP matches users by userName: a changed value (e.g. lower-cased) makes its next lookup miss and it creates a duplicate.'
                : 'The IdP sees different values than it sent and keeps re-sending updates.',
            fix: 'Store and return values exactly as sent; no reformatting.',
          },
        )
      }
      check(get(body, 'active') === true, `active came back as ${show(get(body, 'active'))}.`, {
        expected: 'true',
        actual: show(get(body, 'active')),
        idpImpact: 'Okta and Entra think the user is deactivated right after creating it.',
        fix: 'Store "active" and return it as a boolean.',
      })
      const email = get(body, 'emails.0.value')
      if (email !== seed.email) {
        ctx.warn(`emails[0].value came back as ${show(email)}.`, {
          expected: show(seed.email),
          actual: show(email),
        })
      }
      return {
        status: 'pass',
        message: 'The created user has an id and echoes userName, name and active.',
      }
    },
  },
  {
    id: 'users.create.location_meta',
    title: 'Create sets Location and meta (resourceType, created, location)',
    area: 'users',
    spec: 'RFC 7644 §3.3; RFC 7643 §3.1',
    protects: 'Clients that follow Location or meta.location find the new resource.',
    severity: sev('warn', 'warn', 'warn'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const created = await ctx.primaryUser()
      const id = createdId(created, "the run's primary user")
      const location = created.res.headers.get('location')
      const meta = get(created.res.json, 'meta')
      const problems: string[] = []
      if (!location) problems.push('no Location header')
      else if (!decodeURIComponent(location).endsWith(`/Users/${id}`))
        problems.push(`Location ${location} does not end in /Users/${id}`)
      if (get(meta, 'resourceType') !== 'User')
        problems.push(`meta.resourceType is ${show(get(meta, 'resourceType'))}`)
      const createdAt = get(meta, 'created')
      if (typeof createdAt !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(createdAt))
        problems.push(`meta.created is ${show(createdAt)}, not an xsd:dateTime`)
      const metaLoc = get(meta, 'location')
      if (typeof metaLoc !== 'string') problems.push('meta.location is missing')
      else if (location && metaLoc !== location && !location.endsWith(metaLoc))
        problems.push(`meta.location ${metaLoc} differs from Location ${location}`)
      check(problems.length === 0, `Create response: ${problems.join('; ')}.`, {
        expected: `Location: <base>/Users/${id}; meta.resourceType "User"; meta.created dateTime; meta.location`,
        actual: `Location: ${location ?? '(none)'}; meta: ${show(meta)}`,
        idpImpact: 'Okta and Entra do not read these, but strict SCIM clients and audits do.',
        fix: 'Set the Location header to the new resource URL and fill meta.',
      })
      return { status: 'pass', message: 'Location and meta are set.' }
    },
  },
  {
    id: 'users.create.duplicate',
    title: 'A duplicate userName gives 409 uniqueness',
    area: 'users',
    spec: 'RFC 7644 §3.3, §3.12; Okta SPEC test step 8',
    protects: 'A retried create cannot make a second account for the same person.',
    severity: sev('fail', 'fail', 'fail'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const created = await ctx.primaryUser()
      createdId(created, "the run's primary user")
      // Okta's step 8 resends the same body with the email replaced by the userName.
      const body = {
        ...created.body,
        emails: [{ primary: true, value: created.seed.userName, type: 'work' }],
      }
      const res = await ctx.send({ method: 'POST', path: '/Users', body })
      if (res.status >= 200 && res.status < 300) {
        const dupId = get(res.json, 'id')
        if (typeof dupId === 'string')
          ctx.track({ type: 'Users', id: dupId, name: created.seed.userName })
      }
      expectStatus(res, 409, {
        what: 'POST /Users with an existing userName',
        idpImpact:
          res.status < 300
            ? 'A retried or re-assigned create makes a second account for the same person; the IdP then updates one of them at random.'
            : 'The IdP cannot tell "already exists" from a real error and keeps retrying.',
        fix: 'Enforce userName uniqueness (case-insensitively) and answer 409 with scimType "uniqueness".',
      })
      if (get(res.json, 'scimType') !== 'uniqueness') {
        ctx.warn(`The 409 has scimType ${show(get(res.json, 'scimType'))}, not "uniqueness".`, {
          expected: '"scimType":"uniqueness"',
          actual: describeResponse(res),
          fix: 'Add "scimType":"uniqueness" to the 409 Error body (RFC 7644 §3.3 MUST).',
        })
      }
      return { status: 'pass', message: 'A duplicate create is refused with 409.' }
    },
  },
  {
    id: 'users.create.null_values',
    title: "Entra's explicit nulls on create are accepted",
    area: 'users',
    spec: 'RFC 7643 §2.5 (null = unassigned); Entra SCIM tutorial create example 2',
    protects: 'Entra creates users whose optional attributes are empty.',
    severity: sev('skip', 'fail', 'warn'),
    writes: true,
    async run(ctx) {
      const seed = ctx.userSeed('nulls')
      const created = await ctx.createUser(seed, (body) => ({
        ...body,
        addresses: null,
        phoneNumbers: null,
        title: null,
        nickName: null,
        [ENTERPRISE_SCHEMA]: { manager: null, department: null, employeeNumber: null },
      }))
      expectStatus(created.res, [200, 201], {
        what: 'POST /Users with explicit null attributes',
        idpImpact:
          'Entra fails to create every user who has an empty title, phone or manager; it looks random.',
        fix: 'Treat null as "unassigned" (RFC 7643 §2.5) instead of rejecting it.',
      })
      return { status: 'pass', message: 'A create with null attributes is accepted.' }
    },
  },
  {
    id: 'users.create.missing_user_name',
    title: 'Create without userName gives 400',
    area: 'users',
    spec: 'RFC 7643 §4.1 (userName REQUIRED); Entra Postman "Post no username"',
    protects: 'Broken IdP mappings surface as clear errors instead of nameless users.',
    severity: sev('warn', 'warn', 'warn'),
    rfcMust: true,
    writes: true,
    async run(ctx) {
      const res = await ctx.send({
        method: 'POST',
        path: '/Users',
        body: {
          schemas: [USER_SCHEMA],
          name: { givenName: 'No', familyName: 'Username' },
          displayName: `${ctx.runPrefix}no-username`,
        },
      })
      const id = get(res.json, 'id')
      if (res.status < 300 && typeof id === 'string')
        ctx.track({ type: 'Users', id, name: `${ctx.runPrefix}no-username` })
      expectStatus(res, 400, {
        what: 'POST /Users without userName',
        fix: 'Reject a user without userName with 400 and scimType "invalidValue".',
      })
      return { status: 'pass', message: 'A create without userName is rejected with 400.' }
    },
  },
]
