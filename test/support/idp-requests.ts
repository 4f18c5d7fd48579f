/**
 * Request bodies and filters exactly as SCIM-REFERENCE.md §3 (Okta) and §4 (Entra ID) quote
 * them. Ids elided with "…" in the reference are filled with realistic values. Used by the
 * unit tests here and available to the server's integration tests.
 */

export const oktaCreateUser = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'test.user@okta.local',
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
}

/** Okta SPEC test step 6 (Runscope variables filled in). */
export const oktaSpecCreateUser = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'Runscope123Abcdefghi456@atko.com',
  name: { givenName: 'Runscope123', familyName: 'Abcdefghi456' },
  emails: [{ primary: true, value: 'Runscope123Abcdefghi456@atko.com', type: 'work' }],
  displayName: 'Runscope123 Abcdefghi456',
  active: true,
}

export const oktaMatchFilter = 'userName eq "test.user@okta.local"'
export const oktaSpecInvalidUserFilter = 'userName eq "abcdefgh@atko.com"'
export const oktaSpecCaseFilter = 'userName eq "RUNSCOPE123ABCDEFGHI456@ATKO.COM"'
/** The 2017 suite's unquoted form. */
export const oktaUnquotedFilter = 'userName eq Runscope123Abcdefghi456@atko.com'
export const oktaGroupFilter = 'displayName eq "Test SCIMv2"'

export const oktaDeactivate = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'replace', value: { active: false } }],
}

export const oktaReactivate = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'replace', value: { active: true } }],
}

export const oktaCreateGroup = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  displayName: 'Test SCIMv2',
  members: [],
}

export const oktaGroupRename = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    {
      op: 'replace',
      value: { id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b', displayName: 'Test SCIMv2' },
    },
  ],
}

export const oktaMembership = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'remove', path: 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]' },
    {
      op: 'add',
      path: 'members',
      value: [{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' }],
    },
  ],
}

export const entraCreateUser = {
  schemas: [
    'urn:ietf:params:scim:schemas:core:2.0:User',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  ],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
  active: true,
  emails: [
    {
      primary: true,
      type: 'work',
      value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com',
    },
  ],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
}

/** Entra's second create example: explicit nulls for unassigned attributes. */
export const entraCreateUserWithNulls = {
  ...entraCreateUser,
  userName: 'Test_User_nulls',
  addresses: null,
  phoneNumbers: null,
  title: null,
  manager: null,
}

export const entraUserNameFilter = 'userName eq "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"'
export const entraExternalIdFilter = 'externalId eq jyoung'
export const entraEmailFilter =
  'emails[type eq "work"].value eq "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"'
export const entraGroupFilter = 'displayName eq "displayName"'

export const entraUpdateMultiValued = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
    { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
  ],
}

export const entraReplaceUserName = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' },
  ],
}

export const entraDisableDocumented = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'Replace', path: 'active', value: false }],
}

export const entraDisableDefault = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
}

export const entraDisableCompliant = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'replace', path: 'active', value: false }],
}

export const entraAddNickName = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'Add', path: 'nickName', value: 'Babs' }],
}

export const entraReplaceSeveralDefault = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'Replace', path: 'displayName', value: 'Babs Jensen' },
    { op: 'Replace', path: 'name.givenName', value: 'Barbara' },
    { op: 'Replace', path: 'name.familyName', value: 'Jensen' },
    {
      op: 'Replace',
      path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
      value: '701984',
    },
  ],
}

export const entraReplaceSeveralCompliant = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'replace', path: 'emails[type eq "work"].value', value: 'babs@example.com' },
    {
      op: 'replace',
      value: {
        displayName: 'Babs Jensen',
        'name.givenName': 'Barbara',
        'name.familyName': 'Jensen',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': '701984',
      },
    },
  ],
}

export const entraManagerAdd = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    {
      op: 'Add',
      path: 'manager',
      value: [
        {
          $ref: 'http://example.com/scim/Users/2819c223-7f76-453a-919d-413861904646',
          value: '2819c223-7f76-453a-919d-413861904646',
        },
      ],
    },
  ],
}

export const entraManagerAddByUrn = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    {
      op: 'Add',
      path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
      value: '2819c223-7f76-453a-919d-413861904646',
    },
  ],
}

export const entraCreateGroup = {
  schemas: [
    'urn:ietf:params:scim:schemas:core:2.0:Group',
    'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
  ],
  externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
  displayName: 'displayName',
  meta: { resourceType: 'Group' },
}

export const entraGroupRename = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    {
      op: 'Replace',
      path: 'displayName',
      value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
    },
  ],
}

export const entraAddMembers = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] },
  ],
}

export const entraRemoveMembersDefault = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'Remove', path: 'members', value: [{ value: 'u1091' }] }],
}

export const entraRemoveMembersLegacyWithRef = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'Remove', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] },
  ],
}

export const entraRemoveMemberCompliant = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' }],
}

/** Entra reference Postman collection, "Group garbage": a member given as a bare string. */
export const entraAddMemberAsString = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'Add', path: 'members', value: 'f648f8d5ea4e4cd38e9c' }],
}

/** Entra reference Postman collection, filters. */
export const entraPostmanFilters = {
  displayName: 'DisplayName eq "BobIsAmazing"',
  complex:
    'name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)',
  startsWith: 'userName sw O',
  created: 'meta.Created gt 2015-10-10T14:38:21.8617979-07:00',
}
