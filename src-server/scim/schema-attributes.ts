/**
 * The attribute definitions of the schemas this server supports (RFC 7643 §4, §8.7), as data;
 * schema-definitions.ts resolves paths against them.
 * Filters, PATCH, normalisation, projection and the /Schemas document all read these, so the
 * discovery endpoints can never drift from what the server actually does.
 */

export type ResourceKind = 'User' | 'Group'

export type AttributeType =
  'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex'

export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly'
export type Returned = 'always' | 'never' | 'default' | 'request'
export type Uniqueness = 'none' | 'server' | 'global'

export interface AttributeDefinition {
  name: string
  type: AttributeType
  multiValued: boolean
  description: string
  required: boolean
  caseExact: boolean
  mutability: Mutability
  returned: Returned
  uniqueness: Uniqueness
  canonicalValues?: string[]
  referenceTypes?: string[]
  subAttributes?: AttributeDefinition[]
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

type AttributeOptions = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>>

function attr(
  name: string,
  type: AttributeType,
  description: string,
  options: AttributeOptions = {},
): AttributeDefinition {
  const definition: AttributeDefinition = {
    name,
    type,
    multiValued: options.multiValued ?? false,
    description,
    required: options.required ?? false,
    caseExact: options.caseExact ?? false,
    mutability: options.mutability ?? 'readWrite',
    returned: options.returned ?? 'default',
    uniqueness: options.uniqueness ?? 'none',
  }
  if (options.canonicalValues) definition.canonicalValues = options.canonicalValues
  if (options.referenceTypes) definition.referenceTypes = options.referenceTypes
  if (options.subAttributes) definition.subAttributes = options.subAttributes
  return definition
}

/** The `value`/`display`/`type`/`primary` shape shared by emails, phoneNumbers, roles... */
function multiValuedComplex(
  name: string,
  description: string,
  valueType: AttributeType,
  types: string[] | undefined,
  options: AttributeOptions = {},
): AttributeDefinition {
  const typeOptions: AttributeOptions = types ? { canonicalValues: types } : {}
  return attr(name, 'complex', description, {
    ...options,
    multiValued: true,
    subAttributes: [
      attr('value', valueType, `The value of the ${name} entry.`),
      attr('display', 'string', 'A human-readable name, primarily used for display purposes.'),
      attr('type', 'string', 'A label indicating the function of the entry.', typeOptions),
      attr('primary', 'boolean', 'Whether this is the primary or preferred value.'),
    ],
  })
}

/** RFC 7643 §3.1 common attributes; not part of any schema document but filterable. */
export const commonAttributes: AttributeDefinition[] = [
  attr('id', 'string', 'Unique identifier of the resource, issued by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attr(
    'externalId',
    'string',
    'Identifier of the resource as defined by the provisioning client.',
    {
      caseExact: true,
    },
  ),
  attr('meta', 'complex', 'Resource metadata.', {
    mutability: 'readOnly',
    subAttributes: [
      attr('resourceType', 'string', 'The name of the resource type.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      attr('created', 'dateTime', 'When the resource was added.', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', 'When the resource was last modified.', {
        mutability: 'readOnly',
      }),
      attr('location', 'reference', 'The URI of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      attr('version', 'string', 'The version (ETag) of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
  }),
]

export const userAttributes: AttributeDefinition[] = [
  attr('userName', 'string', 'Unique identifier for the User, typically used to sign in.', {
    required: true,
    uniqueness: 'server',
  }),
  attr('name', 'complex', "The components of the user's real name.", {
    subAttributes: [
      attr('formatted', 'string', 'The full name, formatted for display.'),
      attr('familyName', 'string', 'The family name (last name).'),
      attr('givenName', 'string', 'The given name (first name).'),
      attr('middleName', 'string', 'The middle name(s).'),
      attr('honorificPrefix', 'string', 'The honorific prefix(es), e.g. "Ms.".'),
      attr('honorificSuffix', 'string', 'The honorific suffix(es), e.g. "III".'),
    ],
  }),
  attr('displayName', 'string', 'The name of the User, suitable for display to end-users.'),
  attr('nickName', 'string', 'The casual way to address the user.'),
  attr('profileUrl', 'reference', "A URI pointing to the user's online profile.", {
    referenceTypes: ['external'],
  }),
  attr('title', 'string', "The user's title, such as 'Vice President'."),
  attr('userType', 'string', 'The relationship between the organization and the user.'),
  attr('preferredLanguage', 'string', "The user's preferred written or spoken language."),
  attr('locale', 'string', "The user's default location, e.g. 'en-US'."),
  attr('timezone', 'string', "The user's time zone in IANA format, e.g. 'America/Los_Angeles'."),
  attr('active', 'boolean', "The user's administrative status."),
  attr('password', 'string', 'Write-only; this server never stores or returns it.', {
    caseExact: true,
    mutability: 'writeOnly',
    returned: 'never',
  }),
  multiValuedComplex('emails', 'Email addresses for the user.', 'string', [
    'work',
    'home',
    'other',
  ]),
  multiValuedComplex('phoneNumbers', 'Phone numbers for the user.', 'string', [
    'work',
    'home',
    'mobile',
    'fax',
    'pager',
    'other',
  ]),
  multiValuedComplex('ims', 'Instant messaging addresses for the user.', 'string', [
    'aim',
    'gtalk',
    'icq',
    'xmpp',
    'msn',
    'skype',
    'qq',
    'yahoo',
  ]),
  multiValuedComplex('photos', 'URLs of images of the user.', 'reference', ['photo', 'thumbnail']),
  attr('addresses', 'complex', 'Physical mailing addresses for this user.', {
    multiValued: true,
    subAttributes: [
      attr('formatted', 'string', 'The full mailing address, formatted for display.'),
      attr('streetAddress', 'string', 'The full street address component.'),
      attr('locality', 'string', 'The city or locality component.'),
      attr('region', 'string', 'The state or region component.'),
      attr('postalCode', 'string', 'The zip code or postal code component.'),
      attr('country', 'string', 'The country name component.'),
      attr('type', 'string', 'A label indicating the function of the address.', {
        canonicalValues: ['work', 'home', 'other'],
      }),
      attr('primary', 'boolean', 'Whether this is the primary address.'),
    ],
  }),
  attr('groups', 'complex', 'Groups the user belongs to; managed through the Group resource.', {
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      attr('value', 'string', 'The id of the Group.', { mutability: 'readOnly' }),
      attr('$ref', 'reference', 'The URI of the Group.', {
        mutability: 'readOnly',
        referenceTypes: ['User', 'Group'],
      }),
      attr('display', 'string', 'The displayName of the Group.', { mutability: 'readOnly' }),
      attr('type', 'string', 'direct or indirect membership.', {
        mutability: 'readOnly',
        canonicalValues: ['direct', 'indirect'],
      }),
    ],
  }),
  multiValuedComplex('entitlements', 'Entitlements for the user.', 'string', undefined),
  multiValuedComplex('roles', 'Roles for the user.', 'string', undefined),
  multiValuedComplex('x509Certificates', 'X.509 certificates issued to the user.', 'binary', []),
]

export const enterpriseUserAttributes: AttributeDefinition[] = [
  attr('employeeNumber', 'string', 'Numeric or alphanumeric identifier assigned to a person.'),
  attr('costCenter', 'string', 'Identifies the name of a cost center.'),
  attr('organization', 'string', 'Identifies the name of an organization.'),
  attr('division', 'string', 'Identifies the name of a division.'),
  attr('department', 'string', 'Identifies the name of a department.'),
  attr('manager', 'complex', "The user's manager.", {
    subAttributes: [
      attr('value', 'string', 'The id of the SCIM resource representing the manager.'),
      attr('$ref', 'reference', 'The URI of the manager resource.', {
        referenceTypes: ['User'],
      }),
      // RFC 7643 marks this readOnly; we store what the IdP sends because the product shows the
      // manager's name even when the manager was never provisioned here.
      attr('displayName', 'string', "The manager's displayName."),
    ],
  }),
]

export const groupAttributes: AttributeDefinition[] = [
  // RFC 7643 has required:false; Entra and Okta always send it and the product needs a name.
  attr('displayName', 'string', 'A human-readable name for the Group.', { required: true }),
  attr('members', 'complex', 'A list of members of the Group.', {
    multiValued: true,
    subAttributes: [
      attr('value', 'string', 'The id of the member resource.', {
        caseExact: true,
        mutability: 'immutable',
      }),
      attr('$ref', 'reference', 'The URI of the member resource.', {
        mutability: 'immutable',
        referenceTypes: ['User', 'Group'],
      }),
      attr('display', 'string', 'A human-readable name of the member.', {
        mutability: 'immutable',
      }),
      attr('type', 'string', 'The type of the member.', {
        mutability: 'immutable',
        canonicalValues: ['User', 'Group'],
      }),
    ],
  }),
]

export interface SchemaDescription {
  id: string
  name: string
  description: string
  attributes: AttributeDefinition[]
}

export const schemaDescriptions: SchemaDescription[] = [
  { id: USER_SCHEMA, name: 'User', description: 'User Account', attributes: userAttributes },
  { id: GROUP_SCHEMA, name: 'Group', description: 'Group', attributes: groupAttributes },
  {
    id: ENTERPRISE_USER_SCHEMA,
    name: 'EnterpriseUser',
    description: 'Enterprise User',
    attributes: enterpriseUserAttributes,
  },
]
