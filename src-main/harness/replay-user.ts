import { randomBytes, randomUUID } from 'node:crypto'
import { AppError } from '../../src-shared/errors.ts'
import type { HarnessProfile, ReplayResult, ReplayStep } from '../../src-shared/harness.ts'
import { redact, registerSecret } from '../../src-shared/redact.ts'
import { describeResponse, get, isObject, resourcesOf } from './check.ts'
import { HttpCapture, type ScimRequest, type ScimResponse } from './http-capture.ts'
import { ENTERPRISE_SCHEMA, getProfile, PATCH_SCHEMA, type UserSeed } from './profiles.ts'
import { HARNESS_TOOL } from './run-report.ts'

/**
 * Replays the IdP's exact request sequence for one user (lookup by userName, create or update,
 * read back, group pushes) and stops at the first step whose answer would make the IdP go a
 * different way than intended. Unlike the harness this writes real data: it is what the IdP
 * would do for that user, on purpose.
 */

export interface ReplayUserInput {
  baseUrl: string
  token: string
  profile?: Exclude<HarnessProfile, 'rfc'>
  user: {
    userName: string
    givenName?: string
    familyName?: string
    email?: string
    department?: string
    manager?: string
    groups?: string[]
  }
  timeoutMs?: number
  signal?: AbortSignal
  onStep?: (step: ReplayStep) => void
}

export type { ReplayResult, ReplayStep }

class Diverged extends Error {}

export async function replayUser(input: ReplayUserInput): Promise<ReplayResult> {
  let url: URL
  try {
    url = new URL(input.baseUrl)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme')
  } catch {
    throw new AppError('harness.bad_input', `"${input.baseUrl}" is not an http(s) URL.`, {
      hint: 'Give the SCIM base URL, for example https://app.example.com/scim/v2',
    })
  }
  const userName = input.user.userName.trim()
  if (!userName)
    throw new AppError('harness.bad_input', 'The user name is empty.', {
      hint: 'Pass --user-name jane@acme.com',
    })
  const token = input.token.trim().replace(/^bearer\s+/i, '')
  if (!token) throw new AppError('harness.bad_input', 'The SCIM token is empty.')
  registerSecret(token)

  const profile = getProfile(input.profile ?? 'okta')
  const http = new HttpCapture({
    baseUrl: `${url.origin}${url.pathname}`,
    token,
    timeoutMs: input.timeoutMs ?? 30_000,
    concurrency: 1,
    defaultHeaders: profile.headers,
    // It writes real data on purpose, but it is still the console's request, not the IdP's.
    identity: { kind: 'replay', id: randomBytes(4).toString('hex'), version: HARNESS_TOOL.version },
    contentType: profile.contentType,
    ...(input.signal ? { signal: input.signal } : {}),
  })
  const local = userName.split('@')[0] ?? userName
  const seed: UserSeed = {
    userName,
    givenName: input.user.givenName ?? local.split(/[._-]/)[0] ?? local,
    familyName: input.user.familyName ?? local.split(/[._-]/)[1] ?? local,
    email: input.user.email ?? (userName.includes('@') ? userName : `${userName}@example.invalid`),
    externalId: randomUUID().replace(/-/g, '').slice(0, 20),
    ...(input.user.department ? { department: input.user.department } : {}),
    ...(input.user.manager ? { manager: input.user.manager } : {}),
  }
  const steps: ReplayStep[] = []
  let userId: string | undefined

  const step = async (
    title: string,
    req: ScimRequest,
    judge: (
      res: ScimResponse,
    ) =>
      { ok: true; result: string } | { ok: false; result: string; idpImpact: string; fix: string },
  ): Promise<ScimResponse> => {
    const res = await http.request(req)
    const verdict = res.error
      ? {
          ok: false as const,
          result: res.error.message,
          idpImpact: `${profile.label} gets no answer and retries later; a create that did go through becomes a 409 on the retry.`,
          fix: 'Make the endpoint reachable and answer within 60 s.',
        }
      : judge(res)
    const s: ReplayStep = redact({
      n: steps.length + 1,
      title,
      request: `${req.method} ${res.exchange.request.url}`,
      status: res.error ? res.error.code : res.status,
      ok: verdict.ok,
      result: verdict.result,
      ...(verdict.ok ? {} : { idpImpact: verdict.idpImpact, fix: verdict.fix }),
      exchangeId: res.exchange.id,
    })
    steps.push(s)
    input.onStep?.(s)
    if (!verdict.ok) throw new Diverged(verdict.result)
    return res
  }
  const unexpected = (res: ScimResponse, expected: string, idpImpact: string, fix: string) => ({
    ok: false as const,
    result: `Expected ${expected}; got ${describeResponse(res)}`,
    idpImpact,
    fix,
  })

  try {
    // 1. Okta and Entra look the user up by its matching attribute before anything else.
    const lookup = await step(
      'Look up the user by userName',
      { method: 'GET', path: '/Users', query: profile.userLookup(userName) },
      (res) => {
        if (res.status === 404 && profile.id === 'okta')
          return { ok: true, result: '404: Okta treats it as "not found" and creates.' }
        if (res.status !== 200) {
          return unexpected(
            res,
            '200 with a ListResponse',
            `${profile.label} cannot tell whether ${userName} exists, so the user is never provisioned.`,
            'Answer the userName filter with 200 and a ListResponse (empty when nothing matches).',
          )
        }
        const n = resourcesOf(res.json).length
        if (n > 1)
          return unexpected(
            res,
            'at most one match',
            `${profile.label} refuses to pick one of ${n} matches; the user is stuck.`,
            'userName must be unique (case-insensitively); remove the duplicates.',
          )
        return {
          ok: true,
          result:
            n === 0
              ? 'Not found: the IdP will create the user.'
              : `Found ${String(resourcesOf(res.json)[0]?.id)}: the IdP will update it.`,
        }
      },
    )
    const existing = lookup.status === 200 ? resourcesOf(lookup.json)[0] : undefined

    if (!existing) {
      // 2a. Create with the IdP's body.
      const created = await step(
        'Create the user',
        { method: 'POST', path: '/Users', body: profile.createUser(seed) },
        (res) => {
          if (res.status === 409) {
            return unexpected(
              res,
              '201 Created',
              `The lookup said ${userName} does not exist but the create says it does: ${profile.label} retries forever and the user never shows up.`,
              'Make the userName filter find every user the uniqueness check sees: compare case-insensitively and include inactive users.',
            )
          }
          if (res.status !== 201 && !(profile.id === 'entra' && res.status === 200)) {
            return unexpected(
              res,
              '201 Created with the user',
              `${profile.label} marks the create as failed; the user does not appear.`,
              "Accept the IdP's create body as sent (placeholder password, nulls, groups:[]) and answer 201 with the user.",
            )
          }
          if (typeof get(res.json, 'id') !== 'string')
            return unexpected(
              res,
              'the created user with an id',
              'Okta fails with "Create new user returned empty user".',
              'Return the created user, with its id, in the 201 body.',
            )
          return { ok: true, result: `Created with id ${String(get(res.json, 'id'))}.` }
        },
      )
      userId = String(get(created.json, 'id'))
    } else {
      userId = String(existing.id)
      if (profile.updatesUsersWithPut) {
        // 2b (Okta). GET, merge the profile changes into what came back, PUT the whole object.
        const current = await step(
          'Read the user before updating',
          { method: 'GET', path: `/Users/${encodeURIComponent(userId)}` },
          (res) =>
            res.status === 200 && isObject(res.json) && get(res.json, 'id') === userId
              ? { ok: true, result: 'Read back.' }
              : unexpected(
                  res,
                  `200 with user ${userId}`,
                  'Okta merges its changes into whatever came back and PUTs it; a wrong shape corrupts the user.',
                  'Return the bare user for GET /Users/{id}.',
                ),
        )
        const next: Record<string, unknown> = {
          ...(current.json as Record<string, unknown>),
          ...profile.createUser(seed),
          id: userId,
          active: true,
        }
        delete next.password
        await step(
          'Update the user (PUT)',
          { method: 'PUT', path: `/Users/${encodeURIComponent(userId)}`, body: next },
          (res) =>
            res.status === 200
              ? { ok: true, result: 'Updated.' }
              : unexpected(
                  res,
                  '200 with the user',
                  'Okta marks the profile update as failed; the user keeps stale attributes.',
                  'Answer PUT with 200 and the full resource.',
                ),
        )
      } else {
        const ops: Array<Record<string, unknown>> = [
          { op: 'Replace', path: 'name.givenName', value: seed.givenName },
          { op: 'Replace', path: 'name.familyName', value: seed.familyName },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: seed.email },
          { op: 'Replace', path: 'active', value: 'True' },
        ]
        if (seed.department)
          ops.push({ op: 'Add', path: `${ENTERPRISE_SCHEMA}:department`, value: seed.department })
        await step(
          'Update the user (PATCH)',
          {
            method: 'PATCH',
            path: `/Users/${encodeURIComponent(userId)}`,
            body: { schemas: [PATCH_SCHEMA], Operations: ops },
          },
          (res) =>
            res.status === 200 || res.status === 204
              ? { ok: true, result: 'Updated.' }
              : unexpected(
                  res,
                  '200 or 204',
                  'Entra logs the update as failed and retries next cycle; repeated failures quarantine the job.',
                  'Accept capitalised ops, string booleans and value-path filters.',
                ),
        )
      }
    }

    // 3. Read back what the IdP believes it wrote.
    await step(
      'Read the user back',
      { method: 'GET', path: `/Users/${encodeURIComponent(userId)}` },
      (res) => {
        if (res.status !== 200)
          return unexpected(
            res,
            '200 with the user',
            `${profile.label} cannot update or deactivate this user later.`,
            'GET /Users/{id} must return every user you created.',
          )
        const diffs: string[] = []
        if (String(get(res.json, 'userName')).toLowerCase() !== userName.toLowerCase())
          diffs.push(`userName ${JSON.stringify(get(res.json, 'userName'))}`)
        if (get(res.json, 'active') !== true)
          diffs.push(`active ${JSON.stringify(get(res.json, 'active'))}`)
        // The extension URN contains dots ("2.0"), so it cannot go through get()'s dotted paths.
        const ext = isObject(res.json) ? res.json[ENTERPRISE_SCHEMA] : undefined
        const department = isObject(ext) ? ext.department : undefined
        if (seed.department && department !== seed.department)
          diffs.push(`department ${JSON.stringify(department ?? null)}`)
        if (diffs.length)
          return {
            ok: false,
            result: `Stored values differ from what was sent: ${diffs.join(', ')}.`,
            idpImpact:
              'The IdP believes the user is provisioned as sent; your app shows something else.',
            fix: 'Store attributes exactly as sent, including the enterprise extension.',
          }
        return { ok: true, result: 'Stored as sent.' }
      },
    )

    // 4. Group pushes: find or create each group, then add the member.
    for (const name of input.user.groups ?? []) {
      const found = await step(
        `Find group "${name}"`,
        { method: 'GET', path: '/Groups', query: profile.groupLookup(name) },
        (res) =>
          res.status === 200
            ? { ok: true, result: `${resourcesOf(res.json).length} match(es).` }
            : unexpected(
                res,
                '200 with a ListResponse',
                'Group push cannot find or create the group.',
                'Support filter=displayName eq "…" on /Groups.',
              ),
      )
      let groupId = resourcesOf(found.json).find((g) => g.displayName === name)?.id as
        string | undefined
      if (!groupId) {
        const made = await step(
          `Create group "${name}"`,
          { method: 'POST', path: '/Groups', body: profile.createGroup(name, randomUUID()) },
          (res) =>
            (res.status === 201 || res.status === 200) && typeof get(res.json, 'id') === 'string'
              ? { ok: true, result: `Created ${String(get(res.json, 'id'))}.` }
              : unexpected(
                  res,
                  '201 with the group and its id',
                  'The pushed group (and the department built on it) never appears.',
                  "Accept the IdP's group body and answer 201 with the group.",
                ),
        )
        groupId = String(get(made.json, 'id'))
      }
      await step(
        `Add ${userName} to "${name}"`,
        {
          method: 'PATCH',
          path: `/Groups/${encodeURIComponent(groupId)}`,
          body: profile.addMembers([{ id: userId, display: userName }]),
        },
        (res) =>
          res.status === 200 || res.status === 204
            ? { ok: true, result: 'Membership pushed.' }
            : unexpected(
                res,
                '200 or 204',
                'The user never gets this group (or department).',
                'Support PATCH add on members.',
              ),
      )
      await step(
        `Check membership of "${name}"`,
        { method: 'GET', path: `/Groups/${encodeURIComponent(groupId)}` },
        (res) => {
          const members = get(res.json, 'members')
          const has = Array.isArray(members) && members.some((m) => get(m, 'value') === userId)
          return res.status === 200 && has
            ? { ok: true, result: 'Member present.' }
            : {
                ok: false,
                result: `The group's members do not include ${userId}: ${describeResponse(res)}`,
                idpImpact:
                  'The IdP reports the push as done; the user lacks the group in your app.',
                fix: 'Apply "add" on members and return members on GET /Groups/{id}.',
              }
        },
      )
    }
    return { profile: profile.id, outcome: 'completed', userId, steps, exchanges: http.exchanges }
  } catch (err) {
    if (!(err instanceof Diverged)) throw err
    return {
      profile: profile.id,
      outcome: 'diverged',
      ...(userId ? { userId } : {}),
      steps,
      exchanges: http.exchanges,
    }
  }
}
