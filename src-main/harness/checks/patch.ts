import { check, expectStatus, get, sev, show, type CheckDef, resPath } from '../check.ts'
import { PATCH_SCHEMA } from '../profiles.ts'
import { createdId } from './subject.ts'

export const patchChecks: CheckDef[] = [
  {
    id: 'patch.update_attributes',
    title: "PATCH in the IdP's form updates name and work email (read back)",
    area: 'patch',
    spec: 'RFC 7644 §3.5.2; Entra tutorial update example; Entra compatibility flags (capitalised ops)',
    protects: 'Attribute changes made in the IdP reach your app.',
    // Okta updates profile attributes with PUT (users.put.replace), never with PATCH.
    severity: sev('skip', 'fail', 'fail'),
    writes: true,
    async run(ctx) {
      const seed = ctx.userSeed('patch')
      const id = createdId(await ctx.createUser(seed))
      const email = `changed.${seed.email}`
      const body = ctx.profile.updateNameAndEmail('Changed', email)
      const res = await ctx.send({ method: 'PATCH', path: resPath('Users', id), body })
      expectStatus(res, [200, 204], {
        what: `PATCH /Users/${id} ${JSON.stringify(body)}`,
        idpImpact: `${ctx.profile.label}'s attribute updates fail for every user; the change never arrives.`,
        fix:
          ctx.profile.id === 'entra'
            ? 'Accept "op" case-insensitively (Entra sends "Replace", "Add", "Remove") and value-path filters like emails[type eq "work"].value.'
            : 'Support PATCH replace, both with a path and with no path and an object value.',
      })
      const after = await ctx.send({ method: 'GET', path: resPath('Users', id) })
      expectStatus(after, 200, { what: `GET /Users/${id} after PATCH` })
      check(
        get(after.json, 'name.familyName') === 'Changed',
        `name.familyName reads back as ${show(get(after.json, 'name.familyName'))}.`,
        {
          expected: '"Changed"',
          actual: show(get(after.json, 'name.familyName')),
          idpImpact: `${ctx.profile.label} believes the update succeeded, but your app still shows the old name.`,
          fix: 'Apply every operation in the PatchOp, then persist.',
        },
      )
      const emails = get(after.json, 'emails')
      const work = Array.isArray(emails) ? emails.find((e) => get(e, 'type') === 'work') : undefined
      check(
        get(work, 'value') === email,
        `The work email reads back as ${show(get(work, 'value'))}.`,
        {
          expected: show(email),
          actual: show(emails),
          idpImpact: 'Email changes in the IdP never reach your app.',
          fix: 'Apply replace on emails (and on emails[type eq "work"].value).',
        },
      )
      return { status: 'pass', message: 'The PATCH was applied and reads back.' }
    },
  },
  {
    id: 'patch.okta_no_path',
    title: 'Okta\'s no-path PATCH {"op":"replace","value":{"active":false}} is applied',
    area: 'patch',
    spec: 'RFC 7644 §3.5.2.3; Okta SCIM 2.0 reference (deactivate)',
    protects: 'Okta deactivation of OIN apps.',
    severity: sev('fail', 'warn', 'warn'),
    writes: true,
    async run(ctx) {
      const id = createdId(await ctx.createUser(ctx.userSeed('nopath')))
      const body = {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'replace', value: { active: false } }],
      }
      const res = await ctx.send({ method: 'PATCH', path: resPath('Users', id), body })
      expectStatus(res, [200, 204], {
        what: `PATCH /Users/${id} ${JSON.stringify(body)}`,
        idpImpact: 'Okta cannot deactivate users (a 501 becomes a manual deprovisioning task).',
        fix: 'Support replace without a path whose value is an object of attributes.',
      })
      const after = await ctx.send({ method: 'GET', path: resPath('Users', id) })
      expectStatus(after, 200, { what: `GET /Users/${id} after PATCH` })
      check(
        get(after.json, 'active') === false,
        `active reads back as ${show(get(after.json, 'active'))}.`,
        {
          expected: 'false',
          actual: show(get(after.json, 'active')),
          idpImpact: 'Okta shows the user as deactivated, but they keep access to your app.',
          fix: 'Apply no-path replace operations attribute by attribute.',
        },
      )
      return { status: 'pass', message: "Okta's no-path PATCH deactivates the user." }
    },
  },
  {
    id: 'patch.entra_string_boolean',
    title: 'Entra\'s {"op":"Replace","path":"active","value":"False"} deactivates',
    area: 'patch',
    spec: 'Entra compatibility doc (default without aadOptscim062020); RFC 7643 §2.3.2',
    protects: 'Entra deprovisioning with its default PATCH dialect.',
    severity: sev('skip', 'fail', 'info'),
    writes: true,
    async run(ctx) {
      const id = createdId(await ctx.createUser(ctx.userSeed('strbool')))
      const body = {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      }
      const res = await ctx.send({ method: 'PATCH', path: resPath('Users', id), body })
      expectStatus(res, [200, 204], {
        what: `PATCH /Users/${id} ${JSON.stringify(body)}`,
        idpImpact: 'Entra deprovisioning fails with 400; users who left keep access.',
        fix: 'Accept "op" case-insensitively and the strings "True"/"False" for active.',
      })
      const after = await ctx.send({ method: 'GET', path: resPath('Users', id) })
      expectStatus(after, 200, { what: `GET /Users/${id} after PATCH` })
      check(
        get(after.json, 'active') === false,
        `active reads back as ${show(get(after.json, 'active'))}.`,
        {
          expected: 'false (a boolean)',
          actual: show(get(after.json, 'active')),
          idpImpact:
            'The string "False" was stored as truthy: Entra believes the user is disabled, but they keep access.',
          fix: 'Convert "True"/"False" to booleans before storing.',
        },
      )
      return { status: 'pass', message: 'The string boolean "False" deactivates the user.' }
    },
  },
]
