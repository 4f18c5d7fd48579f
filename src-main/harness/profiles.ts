import { randomUUID } from 'node:crypto'
import type { HarnessProfile } from '../../src-shared/harness.ts'

/**
 * The requests each IdP really sends (SCIM-REFERENCE.md §3 for Okta, §4 for Entra), so that a
 * pass here means "this IdP's traffic works", not "some SCIM client's traffic works".
 */

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'

export interface UserSeed {
  userName: string
  givenName: string
  familyName: string
  email: string
  externalId: string
  department?: string
  manager?: string
  title?: string
}

type Query = Record<string, string | number | undefined>
type Json = Record<string, unknown>

export interface Profile {
  id: HarnessProfile
  label: string
  /** Headers on every request, as captured from the IdP. */
  headers: Record<string, string>
  contentType: string
  /** The "Test API Credentials" / "Test Connection" probe. */
  connectionTest: { path: string; query: Query; describe: string }
  userLookup(userName: string): Query
  groupLookup(displayName: string): Query
  groupGetQuery: Query
  createUser(seed: UserSeed): Json
  createGroup(displayName: string, externalId: string): Json
  /** Deactivate and reactivate as PATCH bodies. */
  setActive(active: boolean): Json
  /** Attribute update as PATCH (name.familyName and the work email). */
  updateNameAndEmail(familyName: string, email: string): Json
  addMembers(members: Array<{ id: string; display: string }>): Json
  removeMember(id: string): Json
  renameGroup(id: string, displayName: string): Json
  /** userName change as the IdP's PATCH (a rename in the directory). */
  renameUser(userName: string): Json
  setExternalId(externalId: string): Json
  /** Okta updates profiles with PUT (AIW apps); Entra uses PATCH only. */
  updatesUsersWithPut: boolean
}

const oktaHeaders = {
  Accept: 'application/scim+json',
  'Accept-Charset': 'utf-8',
  'User-Agent': 'Okta SCIM Client 1.0.0',
}

const patch = (...Operations: Json[]): Json => ({ schemas: [PATCH_SCHEMA], Operations })

const okta: Profile = {
  id: 'okta',
  label: 'Okta',
  headers: oktaHeaders,
  contentType: 'application/scim+json; charset=utf-8',
  connectionTest: {
    path: '/Users',
    query: { startIndex: 1, count: 2 },
    describe: 'Okta "Test API Credentials": GET /Users?startIndex=1&count=2',
  },
  userLookup: (userName) => ({ filter: `userName eq "${userName}"`, startIndex: 1, count: 100 }),
  groupLookup: (displayName) => ({
    filter: `displayName eq "${displayName}"`,
    startIndex: 1,
    count: 100,
  }),
  groupGetQuery: {},
  createUser: (s) => ({
    schemas: [USER_SCHEMA, ...(s.department || s.manager ? [ENTERPRISE_SCHEMA] : [])],
    userName: s.userName,
    name: { givenName: s.givenName, familyName: s.familyName },
    emails: [{ primary: true, value: s.email, type: 'work' }],
    displayName: `${s.givenName} ${s.familyName}`,
    locale: 'en-US',
    externalId: s.externalId,
    groups: [],
    // Okta always sends a placeholder password, even with password sync off.
    password: randomUUID().slice(0, 8),
    active: true,
    ...(s.title ? { title: s.title } : {}),
    ...enterprise(s),
  }),
  createGroup: (displayName) => ({ schemas: [GROUP_SCHEMA], displayName, members: [] }),
  setActive: (active) => patch({ op: 'replace', value: { active } }),
  updateNameAndEmail: (familyName, email) =>
    patch({
      op: 'replace',
      value: { name: { familyName }, emails: [{ value: email, type: 'work', primary: true }] },
    }),
  addMembers: (members) =>
    patch({
      op: 'add',
      path: 'members',
      value: members.map((m) => ({ value: m.id, display: m.display })),
    }),
  removeMember: (id) => patch({ op: 'remove', path: `members[value eq "${id}"]` }),
  renameGroup: (id, displayName) => patch({ op: 'replace', value: { id, displayName } }),
  renameUser: (userName) => patch({ op: 'replace', value: { userName } }),
  setExternalId: (externalId) => patch({ op: 'replace', value: { externalId } }),
  updatesUsersWithPut: true,
}

const entra: Profile = {
  id: 'entra',
  label: 'Microsoft Entra ID',
  headers: { Accept: 'application/scim+json', 'User-Agent': 'scim-console (Entra ID profile)' },
  contentType: 'application/scim+json',
  // A fresh random GUID each time, as Entra's Test Connection does.
  get connectionTest() {
    return {
      path: '/Users',
      query: { filter: `userName eq "${randomUUID()}"` },
      describe: 'Entra "Test Connection": GET /Users?filter=userName eq "<random GUID>"',
    }
  },
  userLookup: (userName) => ({ filter: `userName eq "${userName}"` }),
  groupLookup: (displayName) => ({
    excludedAttributes: 'members',
    filter: `displayName eq "${displayName}"`,
  }),
  groupGetQuery: { excludedAttributes: 'members' },
  createUser: (s) => ({
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
    externalId: s.externalId,
    userName: s.userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: s.email }],
    meta: { resourceType: 'User' },
    name: {
      formatted: `${s.givenName} ${s.familyName}`,
      familyName: s.familyName,
      givenName: s.givenName,
    },
    roles: [],
    ...(s.title ? { title: s.title } : {}),
    ...enterprise(s),
  }),
  createGroup: (displayName, externalId) => ({
    schemas: [
      GROUP_SCHEMA,
      'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
    ],
    externalId,
    displayName,
    meta: { resourceType: 'Group' },
  }),
  // Without the aadOptscim062020 flag Entra sends capitalised ops and string booleans.
  setActive: (active) => patch({ op: 'Replace', path: 'active', value: active ? 'True' : 'False' }),
  updateNameAndEmail: (familyName, email) =>
    patch(
      { op: 'Replace', path: 'emails[type eq "work"].value', value: email },
      { op: 'Replace', path: 'name.familyName', value: familyName },
    ),
  addMembers: (members) =>
    patch({ op: 'Add', path: 'members', value: members.map((m) => ({ $ref: null, value: m.id })) }),
  removeMember: (id) =>
    patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: id }] }),
  renameGroup: (_id, displayName) =>
    patch({ op: 'Replace', path: 'displayName', value: displayName }),
  renameUser: (userName) => patch({ op: 'Replace', path: 'userName', value: userName }),
  setExternalId: (externalId) => patch({ op: 'Replace', path: 'externalId', value: externalId }),
  updatesUsersWithPut: false,
}

const rfc: Profile = {
  id: 'rfc',
  label: 'RFC 7643/7644',
  headers: { Accept: 'application/scim+json', 'User-Agent': 'scim-console (RFC profile)' },
  contentType: 'application/scim+json',
  connectionTest: {
    path: '/Users',
    query: { startIndex: 1, count: 2 },
    describe: 'GET /Users?startIndex=1&count=2',
  },
  userLookup: (userName) => ({ filter: `userName eq "${userName}"` }),
  groupLookup: (displayName) => ({ filter: `displayName eq "${displayName}"` }),
  groupGetQuery: {},
  createUser: (s) => ({
    schemas: [USER_SCHEMA, ...(s.department || s.manager ? [ENTERPRISE_SCHEMA] : [])],
    userName: s.userName,
    externalId: s.externalId,
    name: { givenName: s.givenName, familyName: s.familyName },
    displayName: `${s.givenName} ${s.familyName}`,
    emails: [{ value: s.email, type: 'work', primary: true }],
    active: true,
    ...(s.title ? { title: s.title } : {}),
    ...enterprise(s),
  }),
  createGroup: (displayName, externalId) => ({
    schemas: [GROUP_SCHEMA],
    displayName,
    externalId,
    members: [],
  }),
  setActive: (active) => patch({ op: 'replace', path: 'active', value: active }),
  updateNameAndEmail: (familyName, email) =>
    patch(
      { op: 'replace', path: 'name.familyName', value: familyName },
      { op: 'replace', path: 'emails[type eq "work"].value', value: email },
    ),
  addMembers: (members) =>
    patch({ op: 'add', path: 'members', value: members.map((m) => ({ value: m.id })) }),
  removeMember: (id) => patch({ op: 'remove', path: `members[value eq "${id}"]` }),
  renameGroup: (_id, displayName) =>
    patch({ op: 'replace', path: 'displayName', value: displayName }),
  renameUser: (userName) => patch({ op: 'replace', path: 'userName', value: userName }),
  setExternalId: (externalId) => patch({ op: 'replace', path: 'externalId', value: externalId }),
  updatesUsersWithPut: true,
}

function enterprise(s: UserSeed): Json {
  if (!s.department && !s.manager) return {}
  return {
    [ENTERPRISE_SCHEMA]: {
      ...(s.department ? { department: s.department } : {}),
      ...(s.manager ? { manager: { value: s.manager } } : {}),
    },
  }
}

export const profiles: Record<HarnessProfile, Profile> = { okta, entra, rfc }

export function getProfile(id: HarnessProfile): Profile {
  return profiles[id]
}
