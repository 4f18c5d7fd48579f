import type { SsoEvent } from '../backend/sso-events-client.ts'
import { explainFailure, type Explanation, type SsoContext } from './fixes.ts'

/** The provisioning side of the story, as the admin API reports it. */
export interface ProvisioningSide {
  /** The SCIM user now, or null when none matches; 'unknown' when it could not be looked up. */
  user: { id: string; userName: string; active: boolean } | null | 'unknown'
  events: {
    seq: number
    time: string
    method: string
    path: string
    status: number
    detail: string | null
  }[]
}

export interface StoryFinding extends Explanation {
  code: string
  /** A later sign-in succeeded, so this no longer stops the user. */
  resolved: boolean
  /** The attempts it explains, by SSO event number. */
  seqs: number[]
}

export type CrossCheck =
  | 'provisioned_cannot_sign_in'
  | 'provisioned_never_signed_in'
  | 'signs_in_not_provisioned'
  | 'signs_in_while_deactivated'

export interface SignInStory {
  query: string
  verdict: 'signs_in' | 'cannot_sign_in' | 'no_attempts'
  summary: string
  attempts: Pick<SsoEvent, 'seq' | 'time' | 'outcome' | 'reason' | 'flow' | 'userName'>[]
  findings: StoryFinding[]
  crossCheck: {
    kind: CrossCheck
    explanation: string
    evidence: string[]
    fix: { okta: string; entra: string }
  } | null
}

/**
 * One user's sign-in story from their SSO events (newest first or in any order) and their
 * provisioning side: what happened, why each refusal happened, and whether SSO and SCIM agree
 * about this person.
 */
export function explainSignIn(
  query: string,
  ssoEvents: SsoEvent[],
  provisioning: ProvisioningSide,
  ctx: SsoContext,
): SignInStory {
  const attempts = [...ssoEvents].sort((a, b) => a.seq - b.seq)
  const last = attempts[attempts.length - 1]
  const lastSuccess = [...attempts].reverse().find((e) => e.outcome === 'success')
  const byReason = new Map<string, SsoEvent[]>()
  for (const e of attempts) {
    if (e.outcome !== 'failure') continue
    const code = e.reason ?? 'unknown'
    byReason.set(code, [...(byReason.get(code) ?? []), e])
  }
  const findings: StoryFinding[] = [...byReason.entries()]
    .map(([code, events]) => {
      const latest = events[events.length - 1]!
      return {
        code,
        ...explainFailure(latest, ctx),
        resolved: lastSuccess !== undefined && lastSuccess.seq > latest.seq,
        seqs: events.map((e) => e.seq),
      }
    })
    // What still stops the user first, newest cause first.
    .sort((a, b) => Number(a.resolved) - Number(b.resolved) || b.seqs.at(-1)! - a.seqs.at(-1)!)

  const verdict: SignInStory['verdict'] = !last
    ? 'no_attempts'
    : last.outcome === 'success'
      ? 'signs_in'
      : 'cannot_sign_in'
  const open = findings.filter((f) => !f.resolved)
  const summary =
    verdict === 'no_attempts'
      ? `No sign-in by "${query}" ever reached this SP's ACS.`
      : verdict === 'signs_in'
        ? `"${query}" signs in: the last attempt (#${last!.seq}, ${last!.time}) succeeded${findings.length ? ` after ${findings.reduce((n, f) => n + f.seqs.length, 0)} refused attempt(s)` : ''}.`
        : `"${query}" cannot sign in: the last attempt (#${last!.seq}, ${last!.time}) was refused with ${last!.reason}${open.length > 1 ? `, and ${open.length - 1} other cause(s) are still open` : ''}.`

  return {
    query,
    verdict,
    summary,
    attempts: attempts.map((e) => ({
      seq: e.seq,
      time: e.time,
      outcome: e.outcome,
      reason: e.reason,
      flow: e.flow,
      userName: e.userName,
    })),
    findings,
    crossCheck: crossCheck(query, verdict, lastSuccess, provisioning),
  }
}

function crossCheck(
  query: string,
  verdict: SignInStory['verdict'],
  lastSuccess: SsoEvent | undefined,
  p: ProvisioningSide,
): SignInStory['crossCheck'] {
  const failedScim = p.events.filter((e) => e.status >= 400)
  const scimEvidence = failedScim
    .slice(-3)
    .map(
      (e) =>
        `provisioning #${e.seq} ${e.time} ${e.method} ${e.path} → ${e.status}${e.detail ? `: ${e.detail}` : ''}`,
    )
  if (p.user === 'unknown') return null
  if (p.user && p.user.active && verdict !== 'signs_in') {
    return verdict === 'no_attempts'
      ? {
          kind: 'provisioned_never_signed_in',
          explanation: `"${p.user.userName}" is provisioned by SCIM (active), but no sign-in ever reached the ACS. When the IdP stops a person before posting a response, this SP never hears of it: in Okta the usual cause is a user assigned to the SCIM provisioning app but not to the SAML app (they are often two apps).`,
          evidence: [
            `SCIM user ${p.user.userName} (id ${p.user.id}), active`,
            'no SSO event for this user',
          ],
          fix: {
            okta: 'Okta Admin Console > Applications > (the SAML app) > Assignments: assign the user or a group they are in; then have them sign in from the tile (or the SP login URL) and run this again.',
            entra:
              'Entra admin center > Enterprise applications > (the app) > Users and groups: add the user (with "Assignment required" on, only assigned users may sign in).',
          },
        }
      : {
          kind: 'provisioned_cannot_sign_in',
          explanation: `"${p.user.userName}" is provisioned by SCIM (active) but every recent sign-in is refused: the SSO configuration is at fault, not provisioning. See the causes above.`,
          evidence: [`SCIM user ${p.user.userName} (id ${p.user.id}), active`],
          fix: {
            okta: 'Fix the open causes above, then sign in again.',
            entra: 'Fix the open causes above, then sign in again.',
          },
        }
  }
  if (lastSuccess && p.user === null) {
    return {
      kind: 'signs_in_not_provisioned',
      explanation: `"${query}" signs in through SAML, but SCIM never provisioned a user with this userName or e-mail${failedScim.length ? '; SCIM requests about this user failed' : ''}. The IdP assigns the SAML app but does not push the user to the SCIM app.`,
      evidence: [
        `sign-in #${lastSuccess.seq} ${lastSuccess.time} as ${lastSuccess.userName}`,
        ...scimEvidence,
      ],
      fix: {
        okta: 'Okta Admin Console > Applications > (the SCIM app) > Assignments: assign the user (or Push Groups), and Provisioning > To App: "Create Users" enabled. If the SAML and SCIM app are one app, check Provisioning errors on its Assignments tab.',
        entra:
          'Entra admin center > Enterprise applications > (the app) > Provisioning: the user must be in scope ("Users and groups"); try "Provision on demand" for this user and read its result.',
      },
    }
  }
  if (lastSuccess && p.user && !p.user.active) {
    return {
      kind: 'signs_in_while_deactivated',
      explanation: `"${p.user.userName}" was deactivated through SCIM but still signs in: the IdP still assigns the SAML app to this person.`,
      evidence: [
        `SCIM user ${p.user.userName} (id ${p.user.id}), INACTIVE`,
        `sign-in #${lastSuccess.seq} ${lastSuccess.time}`,
      ],
      fix: {
        okta: 'Okta Admin Console > Applications > (the SAML app) > Assignments: remove the user, or deactivate them in Okta.',
        entra:
          'Entra admin center > Enterprise applications > (the app) > Users and groups: remove the user, or block sign-in.',
      },
    }
  }
  return null
}
