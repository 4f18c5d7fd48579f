import type { AttributeView } from './read-message.ts'

export interface RequiredAttribute {
  /** The name this service documents (the Okta attribute statement to add). */
  name: string
  /** Names IdPs use for the same thing, compared without case: Okta's, Entra's claim URIs, LDAP OIDs. */
  aliases: string[]
}

/** FirstName/LastName as the Auzmor Learn guide names them, and the e-mail. */
export const DEFAULT_REQUIRED_ATTRIBUTES: RequiredAttribute[] = [
  {
    name: 'FirstName',
    aliases: [
      'firstName',
      'givenName',
      'given_name',
      'urn:oid:2.5.4.42',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
    ],
  },
  {
    name: 'LastName',
    aliases: [
      'lastName',
      'surname',
      'sn',
      'family_name',
      'urn:oid:2.5.4.4',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
    ],
  },
  {
    name: 'email',
    aliases: [
      'mail',
      'emailAddress',
      'urn:oid:0.9.2342.19200300.100.1.3',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
    ],
  },
]

/** The first non-empty value of the attribute under any of its names, or null. */
export function attributeValue(
  attributes: AttributeView[],
  wanted: RequiredAttribute,
): string | null {
  const names = new Set([wanted.name, ...wanted.aliases].map((n) => n.toLowerCase()))
  for (const a of attributes) {
    const hit = names.has(a.name.toLowerCase()) || names.has((a.friendlyName ?? '').toLowerCase())
    const v = hit ? a.values.find((x) => x.trim() !== '') : undefined
    if (v !== undefined) return v.trim()
  }
  return null
}
