/**
 * The two ways the vendors' Okta guides connect SCIM (test/fixtures/seeds), as ONE source for the
 * onboarding wizard and its HTML export, so neither mixes a setting of one path into the other:
 * - "catalog": a separate "SCIM 2.0 Test App" from the OIN catalog (Header Auth or OAuth Bearer
 *   Token), hidden from users, beside the SAML app people sign in with (the Wizer guide; the
 *   Auzmor Learn guide's OIN variant).
 * - "aiw": SCIM provisioning enabled on the SAML app made with the App Integration Wizard in step
 *   2, Authentication Mode "HTTP Header" (the Auzmor Learn guide's AIW path). One app does both.
 * The token lines come from okta-token-advice.ts, never written here a second time.
 */
import { oktaTokenAdvice, oktaTokenAdviceText, type OktaTokenAppKind } from './okta-token-advice.ts'

export type OktaSetupPath = 'catalog' | 'aiw'

/** One instruction: the Okta menu path (shown bold) and what to do there. */
export interface OktaSetupStep {
  where: string
  what: string
}

export interface OktaScimSetup {
  kind: OktaTokenAppKind
  path: OktaSetupPath
  /** The path's name, as the wizard's chooser and the export show it. */
  pathName: string
  /** Okta's label of the base URL field on this path. */
  baseUrlField: string
  /** Where that field is. */
  baseUrlWhere: string
  /** The Okta steps, in order, complete for this path. */
  steps: OktaSetupStep[]
  /** The settings as label → value, for the exported checklist. */
  settings: Array<[string, string]>
  /** What assigning a person in Okta does on this path. */
  assignment: string
}

export function oktaSetupPathOf(kind: OktaTokenAppKind): OktaSetupPath {
  return kind === 'aiw-http-header' ? 'aiw' : 'catalog'
}

export const OKTA_SETUP_PATH_NAMES: Record<OktaSetupPath, string> = {
  catalog: 'A separate SCIM app from the Okta catalog (OIN)',
  aiw: 'SCIM on the SAML app from step 2 (App Integration Wizard)',
}

const PUSH_ACTIONS = 'Create Users, Update User Attributes, Deactivate Users'

/** Every step and setting of one path, with the token advice for its app. */
export function oktaScimSetup(kind: OktaTokenAppKind, baseUrl: string): OktaScimSetup {
  const token = oktaTokenAdvice(kind)
  const path = oktaSetupPathOf(kind)
  if (path === 'aiw') {
    return {
      kind,
      path,
      pathName: OKTA_SETUP_PATH_NAMES.aiw,
      baseUrlField: 'SCIM connector base URL',
      baseUrlWhere: 'Provisioning → Integration',
      steps: [
        {
          where: 'Applications → Applications',
          what: 'open the SAML 2.0 app you created in step 2 (Create App Integration → SAML 2.0); no second app is needed.',
        },
        {
          where: 'General → App Settings → Edit',
          what: 'in Provisioning select “Enable SCIM provisioning”, then Save. A Provisioning tab appears.',
        },
        {
          where: 'Provisioning → Settings → Integration → Edit',
          what: `SCIM connector base URL: ${baseUrl}. Unique identifier field for users: userName. Supported provisioning actions: Push New Users, Push Profile Updates and Push Groups (Import New Users and Profile Updates only if you want Okta to read users back).`,
        },
        {
          where: 'Authentication Mode',
          what: `choose “HTTP Header”; in “${token.fieldName}” paste ${token.pasteWhat} (${token.explanation}) Then Test Connector Configuration, and Save.`,
        },
        {
          where: 'Provisioning → To App → Edit',
          what: `enable ${PUSH_ACTIONS}, then Save. The app’s username format is the Email you set in step 2.`,
        },
      ],
      settings: [
        ['Okta app', token.appName],
        ['Provisioning (General → App Settings)', 'Enable SCIM provisioning'],
        ['SCIM connector base URL', baseUrl],
        ['Unique identifier field for users', 'userName'],
        [
          'Supported provisioning actions',
          'Push New Users, Push Profile Updates, Push Groups (Import New Users and Profile Updates optional)',
        ],
        ['Authentication Mode', 'HTTP Header'],
        [`Token field “${token.fieldName}”`, oktaTokenAdviceText(kind)],
        ['Provisioning → To App', PUSH_ACTIONS],
      ],
      assignment:
        'One app signs people in and provisions them: assigning a person or group to it does both.',
    }
  }
  return {
    kind,
    path,
    pathName: OKTA_SETUP_PATH_NAMES.catalog,
    baseUrlField: 'SCIM 2.0 Base URL',
    baseUrlWhere: 'Provisioning → Configure API Integration',
    steps: [
      {
        where: 'Applications → Browse App Catalog',
        what: `search for “${token.appName}”, Add Integration, name it and tick “Do not display application icon to users” (people sign in with the SAML app from step 2).`,
      },
      {
        where: 'Sign On → Credentials Details',
        what: 'Application username format: Email (the same as the SAML app).',
      },
      {
        where: 'Provisioning → Configure API Integration',
        what: `tick Enable API integration; SCIM 2.0 Base URL: ${baseUrl}; in “${token.fieldName}” paste ${token.pasteWhat} (${token.explanation}) Then Test API Credentials, and Save.`,
      },
      {
        where: 'Provisioning → To App → Edit',
        what: `enable ${PUSH_ACTIONS}, then Save. “To Okta” (import) is not needed.`,
      },
      {
        where: 'Push Groups',
        what: 'optional: Push Groups → Find groups by name. A renamed group must be pushed again.',
      },
    ],
    settings: [
      ['Okta app', token.appName],
      ['Application username format (Sign On)', 'Email'],
      ['SCIM 2.0 Base URL', baseUrl],
      [`Token field “${token.fieldName}”`, oktaTokenAdviceText(kind)],
      ['Provisioning → To App', PUSH_ACTIONS],
      ['Push Groups', 'optional, by name'],
    ],
    assignment:
      'Assign the same people and groups to the SAML (SSO) app as to the SCIM app: a user assigned to the SCIM app but not to the SSO app is created but cannot log in.',
  }
}
