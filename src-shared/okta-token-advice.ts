/**
 * What to paste into Okta for a SCIM token, per Okta app kind: the ONE source of token advice,
 * used by the tokens screen, the onboarding wizard, its HTML export and the CLI, so they can
 * never disagree. Okta's apps differ in what their token field means:
 * - "SCIM 2.0 Test App (Header Auth)" sends its "API Token" field verbatim as the Authorization
 *   header, so the field must hold `Bearer <token>` (the bare token gets a 401).
 * - "SCIM 2.0 Test App (OAuth Bearer Token)" adds "Bearer " itself: the token alone.
 * - An existing SAML app (App Integration Wizard) with SCIM provisioning enabled and
 *   Authentication Mode "HTTP Header" shows "Bearer" before its "Authorization" field: the token alone.
 */

export const oktaTokenAppKinds = ['header', 'oauth', 'aiw-http-header'] as const
export type OktaTokenAppKind = (typeof oktaTokenAppKinds)[number]

export interface OktaTokenAdvice {
  kind: OktaTokenAppKind
  /** The Okta app (or path) this advice is for, as Okta names it. */
  appName: string
  /** Where in Okta the token goes. */
  where: string
  /** The Okta field's label. */
  fieldName: string
  /** What to paste, in words. */
  pasteWhat: string
  /** Why, in one sentence. */
  explanation: string
  /** The exact text to paste for this token. */
  valueToPaste(token: string): string
}

const ADVICE: Record<
  OktaTokenAppKind,
  Omit<OktaTokenAdvice, 'kind' | 'valueToPaste'> & { bearer: boolean }
> = {
  header: {
    appName: 'SCIM 2.0 Test App (Header Auth)',
    where: 'Provisioning → Configure API Integration',
    fieldName: 'API Token',
    pasteWhat: 'the word Bearer, a space, then the token',
    explanation:
      'Okta sends this field verbatim as the Authorization header, so it must start with “Bearer ”; the bare token is answered 401.',
    bearer: true,
  },
  oauth: {
    appName: 'SCIM 2.0 Test App (OAuth Bearer Token)',
    where: 'Provisioning → Configure API Integration',
    fieldName: 'OAuth Bearer Token',
    pasteWhat: 'the token alone',
    explanation: 'Okta puts “Bearer ” in front of this field itself; adding it again makes a 401.',
    bearer: false,
  },
  'aiw-http-header': {
    appName: 'Your SAML app (App Integration Wizard) with SCIM provisioning',
    where: 'Provisioning → Settings → Integration → Edit, Authentication Mode “HTTP Header”',
    fieldName: 'Authorization',
    pasteWhat: 'the token alone',
    explanation:
      'Okta shows “Bearer” in front of the Authorization field and sends “Bearer <token>” itself; adding it again makes a 401.',
    bearer: false,
  },
}

export function isOktaTokenAppKind(v: unknown): v is OktaTokenAppKind {
  return typeof v === 'string' && (oktaTokenAppKinds as readonly string[]).includes(v)
}

export function oktaTokenAdvice(kind: OktaTokenAppKind): OktaTokenAdvice {
  const { bearer, ...rest } = ADVICE[kind]
  return { kind, ...rest, valueToPaste: (token) => (bearer ? `Bearer ${token}` : token) }
}

/** The advice as one sentence, identical wherever a token is shown. */
export function oktaTokenAdviceText(kind: OktaTokenAppKind): string {
  const a = oktaTokenAdvice(kind)
  return `${a.appName}: in ${a.where}, paste ${a.pasteWhat} into “${a.fieldName}”. ${a.explanation}`
}
