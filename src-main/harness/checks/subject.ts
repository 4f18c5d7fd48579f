import { Blocked, get, type CheckContext, type CreatedGroup, type CreatedUser } from '../check.ts'

export interface SubjectUser {
  id: string
  userName: string
  externalId: string | undefined
  email: string | undefined
}

/** The id of a user this run created, or Blocked when its POST did not succeed. */
export function createdId(created: CreatedUser | CreatedGroup, what = 'a test user'): string {
  if (created.id !== undefined && created.res.status >= 200 && created.res.status < 300)
    return created.id
  throw new Blocked(
    `Needs ${what}, but its POST answered HTTP ${created.res.status}${created.id === undefined ? ' without an id' : ''} (see users.create.status / groups.create).`,
  )
}

/**
 * The user the read checks look at: the run's primary user, or in read-only mode any existing
 * user (the first one /Users returns), which is what Okta's SPEC test does too.
 */
export async function subjectUser(ctx: CheckContext): Promise<SubjectUser> {
  if (ctx.readOnly) {
    const u = await ctx.anyUser()
    if (!u || typeof u.id !== 'string' || typeof u.userName !== 'string') {
      throw new Blocked(
        'Read-only run and GET /Users returned no user with id and userName to read.',
      )
    }
    const email = get(u, 'emails.0.value')
    return {
      id: u.id,
      userName: u.userName,
      externalId: typeof u.externalId === 'string' ? u.externalId : undefined,
      email: typeof email === 'string' ? email : undefined,
    }
  }
  const created = await ctx.primaryUser()
  return {
    id: createdId(created, "the run's primary user"),
    userName: created.seed.userName,
    externalId: created.seed.externalId,
    email: created.seed.email,
  }
}
