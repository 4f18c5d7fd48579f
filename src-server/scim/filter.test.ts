import { describe, expect, it } from 'vitest'
import {
  evaluateFilter,
  findIndexableEquality,
  parseFilter,
  parseSimpleEquality,
  type FilterNode,
} from './filter.ts'
import { ScimError } from './scim-error.ts'
import {
  entraEmailFilter,
  entraExternalIdFilter,
  entraGroupFilter,
  entraPostmanFilters,
  entraUserNameFilter,
  oktaGroupFilter,
  oktaMatchFilter,
  oktaSpecCaseFilter,
  oktaSpecInvalidUserFilter,
  oktaUnquotedFilter,
} from '../../test/support/idp-requests.ts'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

const babs = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'BJensen-Ext',
  userName: 'Babs.Jensen@Example.com',
  name: { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Ms. Barbara J Jensen III' },
  displayName: 'Babs Jensen',
  title: 'Tour Guide',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  phoneNumbers: [{ value: '555-555-8377', type: 'work' }],
  meta: {
    resourceType: 'User',
    created: '2024-01-10T08:00:00Z',
    lastModified: '2024-06-01T12:30:00Z',
    version: 'W/"3694e05e9dff591"',
  },
  [ENTERPRISE]: {
    employeeNumber: '701984',
    department: 'Tour Operations',
    manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
  },
}

const inactive = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'a1',
  userName: 'test.user@okta.local',
  externalId: '00ujl29u0le5T6Aj10h7',
  active: false,
  name: { givenName: 'Test', familyName: 'Employee' },
  emails: [{ value: 'someone@example.org', type: 'work' }],
  meta: { created: '2015-10-11T00:00:00Z', lastModified: '2015-10-11T00:00:00Z' },
}

const group = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'g1',
  displayName: 'Test SCIMv2',
  members: [
    { value: '2819c223-7f76-453a-919d-413861904646', display: 'Babs Jensen' },
    { value: 'a1', display: 'test.user@okta.local' },
  ],
}

function matches(filter: string, resource: Record<string, unknown> = babs): boolean {
  return evaluateFilter(parseFilter(filter, 'User'), resource, 'User')
}

function filterError(filter: string, kind: 'User' | 'Group' = 'User'): ScimError {
  try {
    parseFilter(filter, kind)
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError)
    return error as ScimError
  }
  throw new Error(`expected ${filter} to be rejected`)
}

describe('parseFilter: structure', () => {
  it('parses a simple equality into a compare node', () => {
    expect(parseFilter('userName eq "bjensen"')).toEqual({
      type: 'compare',
      path: 'userName',
      op: 'eq',
      value: 'bjensen',
    })
  })

  it('gives the same tree for the fast path and the full parser', () => {
    // Extra parentheses force the general parser.
    expect(parseFilter('(userName eq "a b")')).toEqual(parseFilter('userName eq "a b"'))
    expect(parseFilter('userName   EQ   "x"')).toEqual(parseFilter('userName eq "x"'))
  })

  it.each([
    'userName eq "jdoe@example.com"',
    '  userName eq "with spaces and (parens) [brackets] and or not"  ',
    'userName\teq "tab before the operator"',
    'userName eq ""',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1"',
    'name.givenName Eq "x"',
    'userName eq "back\\slash"',
    'userName eq "quote \\"inside\\""',
  ])('the fast path and the full parser agree on %s', (text) => {
    const fast = parseSimpleEquality(text)
    const full = parseFilter(`(${text})`)
    expect(parseFilter(text)).toEqual(full)
    if (fast) expect(fast).toEqual(full)
  })

  it('the fast path declines what it cannot handle', () => {
    expect(parseSimpleEquality('userName eq "a" and title pr')).toBeUndefined()
    expect(parseSimpleEquality('userName eq "a\\"b"')).toBeUndefined()
    expect(parseSimpleEquality('userName ne "a"')).toBeUndefined()
    expect(parseSimpleEquality('emails[type eq "work"]')).toBeUndefined()
    expect(parseSimpleEquality('userName eq "open')).toBeUndefined()
    expect(parseSimpleEquality('userName eq "a"')).toEqual({
      type: 'compare',
      path: 'userName',
      op: 'eq',
      value: 'a',
    })
  })

  it('binds and tighter than or', () => {
    const node = parseFilter('title pr or userName eq "a" and active eq true')
    expect(node.type).toBe('or')
    expect((node as Extract<FilterNode, { type: 'or' }>).right.type).toBe('and')
  })

  it('lets parentheses override precedence', () => {
    const node = parseFilter('(title pr or userName eq "a") and active eq true')
    expect(node.type).toBe('and')
    expect((node as Extract<FilterNode, { type: 'and' }>).left.type).toBe('or')
  })

  it('parses not, with and without parentheses', () => {
    expect(parseFilter('not (title pr)')).toEqual({
      type: 'not',
      filter: { type: 'present', path: 'title' },
    })
    expect(parseFilter('not title pr').type).toBe('not')
  })

  it('parses operators and keywords case-insensitively', () => {
    const node = parseFilter('userName EQ "a" AND title PR OR NOT (active Eq TRUE)')
    expect(node.type).toBe('or')
  })

  it('keeps JSON types for bare true/false/null/numbers and strings otherwise', () => {
    expect(parseFilter('active eq true')).toMatchObject({ value: true })
    expect(parseFilter('active eq False')).toMatchObject({ value: false })
    expect(parseFilter('title eq null')).toMatchObject({ value: null })
    expect(parseFilter('x eq 42')).toMatchObject({ value: 42, raw: '42' })
    expect(parseFilter('x eq -1.5e3')).toMatchObject({ value: -1500 })
    expect(parseFilter(entraExternalIdFilter)).toMatchObject({ value: 'jyoung', raw: 'jyoung' })
    expect(parseFilter('x eq 0123')).toMatchObject({ value: '0123' })
  })

  it('decodes JSON escapes inside quoted values', () => {
    expect(parseFilter('displayName eq "say \\"hi\\" \\u00e9"')).toMatchObject({
      value: 'say "hi" é',
    })
  })

  it('parses value paths, with a trailing sub-attribute comparison', () => {
    expect(parseFilter('emails[type eq "work" and value co "@example.com"]')).toMatchObject({
      type: 'valuePath',
      path: 'emails',
      filter: { type: 'and' },
    })
    expect(parseFilter(entraEmailFilter)).toMatchObject({
      type: 'valuePath',
      path: 'emails',
      filter: { type: 'compare', path: 'type', value: 'work' },
      then: { type: 'compare', path: 'value', op: 'eq' },
    })
  })

  it('parses URN-qualified attribute paths', () => {
    expect(parseFilter(`${ENTERPRISE}:employeeNumber eq "1"`)).toMatchObject({
      path: `${ENTERPRISE}:employeeNumber`,
    })
  })
})

describe('parseFilter: malformed filters are 400 invalidFilter with a position', () => {
  const cases: [string, number, string][] = [
    ['userName equals "x"', 10, 'unknown operator "equals"'],
    ['userName eq', 12, 'expected a value'],
    ['userName', 9, 'expected an operator'],
    ['(userName eq "x"', 17, 'expected ")"'],
    ['userName eq "x")', 16, 'expected "and", "or"'],
    ['userName eq "x" foo', 17, 'expected "and", "or"'],
    ['userName eq "unterminated', 13, 'never closed'],
    ['emails[type eq "work"', 22, 'expected "]"'],
    ['emails[type eq "work"]x', 23, 'expected ".subAttribute"'],
    ['emails[type[value eq "a"] eq "b"]', 12, 'cannot be nested'],
    ['title pr and', 13, 'expected an attribute name'],
    ['"x" eq userName', 1, 'expected an attribute name'],
    ['userName eq "x" and', 20, 'expected an attribute name'],
    ['userName eq ()', 13, 'expected a value'],
  ]
  it.each(cases)('%s → position %i, %s', (filter, position, message) => {
    const error = filterError(filter)
    expect(error.status).toBe(400)
    expect(error.scimType).toBe('invalidFilter')
    expect(error.message).toContain(`position ${position}`)
    expect(error.message).toContain(message)
    expect(error.toBody()).toMatchObject({ status: '400', scimType: 'invalidFilter' })
  })

  it('rejects an empty filter and an over-long one', () => {
    expect(filterError('   ').message).toContain('empty')
    expect(filterError(`userName eq "${'a'.repeat(5000)}"`).message).toContain('longer than')
  })

  it('rejects Okta 2016 bare-value filters (no attribute or operator)', () => {
    expect(filterError('RUNSCOPE123@ATKO.COM').scimType).toBe('invalidFilter')
  })

  it('rejects unknown attributes when the kind is known', () => {
    expect(filterError('favouriteColour eq "blue"').message).toContain(
      '"favouriteColour" is not an attribute of User',
    )
    expect(filterError('members.value eq "x"', 'User').scimType).toBe('invalidFilter')
    expect(filterError('userName eq "x"', 'Group').message).toContain('not an attribute of Group')
    expect(filterError('emails[colour eq "x"]').message).toContain('not a sub-attribute')
  })

  it('rejects ordering and substring operators on booleans (RFC 7644 §3.4.2.2)', () => {
    expect(filterError('active gt true').message).toContain('"gt" cannot be used on boolean')
    expect(filterError('active co true').scimType).toBe('invalidFilter')
    expect(filterError('active eq "maybe"').message).toContain('true or false')
  })

  it('rejects comparing a complex attribute without a value sub-attribute', () => {
    expect(filterError('name eq "Babs"').message).toContain('name.formatted')
  })

  it('rejects deep nesting without overflowing the stack', () => {
    const deep = '('.repeat(100) + 'title pr' + ')'.repeat(100)
    expect(filterError(deep).message).toContain('nested too deeply')
  })
})

describe('evaluateFilter: operators', () => {
  it.each([
    ['userName eq "babs.jensen@example.com"', true],
    ['userName ne "babs.jensen@example.com"', false],
    ['userName ne "someone@else"', true],
    ['userName co "JENSEN"', true],
    ['userName sw "babs."', true],
    ['userName ew "@example.com"', true],
    ['userName ew "@example.org"', false],
    ['userName gt "a"', true],
    ['userName ge "babs.jensen@example.com"', true],
    ['userName lt "babs"', false],
    ['userName le "c"', true],
    ['title pr', true],
    ['nickName pr', false],
    ['emails pr', true],
    ['name.middleName pr', false],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected)
  })

  it('evaluates and, or, not and grouping', () => {
    expect(matches('title pr and userName sw "babs"')).toBe(true)
    expect(matches('title pr and userName sw "zz"')).toBe(false)
    expect(matches('nickName pr or userName sw "babs"')).toBe(true)
    expect(matches('not (userName sw "babs")')).toBe(false)
    expect(matches('nickName pr or title pr and active eq false')).toBe(false)
    expect(matches('(nickName pr or title pr) and active eq true')).toBe(true)
  })

  it('compares booleans, including Entra-style string booleans', () => {
    expect(matches('active eq true')).toBe(true)
    expect(matches('active eq false', inactive)).toBe(true)
    expect(matches('active ne true', inactive)).toBe(true)
    expect(matches('active eq "True"')).toBe(true)
    expect(matches('active eq true', { ...babs, active: 'True' })).toBe(true)
  })

  it('treats null as unassigned', () => {
    expect(matches('nickName eq null')).toBe(true)
    expect(matches('title eq null')).toBe(false)
    expect(matches('title ne null')).toBe(true)
  })

  it('compares dateTime attributes as instants', () => {
    expect(matches('meta.lastModified gt "2024-05-31T23:59:59Z"')).toBe(true)
    expect(matches('meta.lastModified gt "2024-06-01T12:30:00Z"')).toBe(false)
    expect(matches('meta.lastModified ge "2024-06-01T14:30:00+02:00"')).toBe(true)
    expect(matches('meta.lastModified lt "2025-01-01T00:00:00Z"')).toBe(true)
    expect(matches('meta.created eq "2024-01-10T08:00:00.000Z"')).toBe(true)
  })
})

describe('evaluateFilter: case rules from the schema', () => {
  it('matches userName case-insensitively (caseExact false)', () => {
    expect(matches('userName eq "BABS.JENSEN@EXAMPLE.COM"')).toBe(true)
  })

  it('matches id and externalId case-sensitively (caseExact true)', () => {
    expect(matches('externalId eq "BJensen-Ext"')).toBe(true)
    expect(matches('externalId eq "bjensen-ext"')).toBe(false)
    expect(matches('id eq "2819C223-7F76-453A-919D-413861904646"')).toBe(false)
    expect(matches('id eq "2819c223-7f76-453a-919d-413861904646"')).toBe(true)
  })

  it('matches emails.value case-insensitively', () => {
    expect(matches('emails.value eq "BJENSEN@example.com"')).toBe(true)
  })

  it('accepts attribute names in any case', () => {
    expect(matches('USERNAME eq "babs.jensen@example.com"')).toBe(true)
    expect(matches('Name.GivenName eq "barbara"')).toBe(true)
    expect(matches('EMAILS[TYPE eq "work"].VALUE eq "bjensen@example.com"')).toBe(true)
  })
})

describe('evaluateFilter: multi-valued attributes and value paths', () => {
  it('matches if any value matches', () => {
    expect(matches('emails.value eq "babs@jensen.org"')).toBe(true)
    expect(matches('emails.type eq "home"')).toBe(true)
    expect(matches('emails co "jensen.org"')).toBe(true)
  })

  it('requires one value to satisfy the whole bracket filter', () => {
    expect(matches('emails[type eq "work" and value co "@example.com"]')).toBe(true)
    expect(matches('emails[type eq "home" and value co "@example.com"]')).toBe(false)
    expect(matches('emails[type eq "work" or type eq "other"]')).toBe(true)
    expect(matches('emails[not (type eq "work")]')).toBe(true)
  })

  it('evaluates Entra\'s emails[type eq "work"].value eq filter on the same value', () => {
    expect(matches('emails[type eq "work"].value eq "bjensen@example.com"')).toBe(true)
    expect(matches('emails[type eq "work"].value eq "babs@jensen.org"')).toBe(false)
    expect(matches('emails[type eq "home"].value pr')).toBe(true)
  })

  it('filters group members by value', () => {
    const filter = parseFilter('members[value eq "a1"]', 'Group')
    expect(evaluateFilter(filter, group, 'Group')).toBe(true)
    expect(evaluateFilter(parseFilter('members.value eq "zz"'), group, 'Group')).toBe(false)
    expect(evaluateFilter(parseFilter('members eq "a1"'), group, 'Group')).toBe(true)
  })
})

describe('evaluateFilter: enterprise extension by URN', () => {
  it('resolves enterprise attributes through their URN', () => {
    expect(matches(`${ENTERPRISE}:employeeNumber eq "701984"`)).toBe(true)
    expect(matches(`${ENTERPRISE}:department eq "tour operations"`)).toBe(true)
    expect(matches(`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`)).toBe(
      true,
    )
    expect(matches(`${ENTERPRISE.toUpperCase()}:EMPLOYEENUMBER eq "701984"`)).toBe(true)
    expect(matches(`${ENTERPRISE}:employeeNumber pr`, inactive)).toBe(false)
  })

  it('accepts the core URN prefix on core attributes', () => {
    expect(
      matches('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "babs.jensen@example.com"'),
    ).toBe(true)
  })

  it("accepts Entra's short manager name (documented manager check)", () => {
    expect(
      matches(
        'id eq "2819c223-7f76-453a-919d-413861904646" and manager eq "26118915-6090-4610-87e4-49d8ca9f808d"',
      ),
    ).toBe(true)
  })
})

describe('evaluateFilter: the IdP filters from SCIM-REFERENCE.md', () => {
  it("Okta's match-first filter finds the user regardless of case", () => {
    expect(matches(oktaMatchFilter, inactive)).toBe(true)
    expect(
      matches(oktaMatchFilter.toUpperCase().replace('USERNAME EQ', 'userName eq'), inactive),
    ).toBe(true)
  })

  it('Okta SPEC test filters', () => {
    const created = { ...inactive, userName: 'Runscope123Abcdefghi456@atko.com' }
    expect(matches(oktaSpecInvalidUserFilter, created)).toBe(false)
    expect(matches(oktaSpecCaseFilter, created)).toBe(true)
    expect(matches(oktaUnquotedFilter, created)).toBe(true)
  })

  it('Okta and Entra group filters', () => {
    expect(evaluateFilter(parseFilter(oktaGroupFilter, 'Group'), group, 'Group')).toBe(true)
    const entraGroup = { ...group, displayName: 'displayName' }
    expect(evaluateFilter(parseFilter(entraGroupFilter, 'Group'), entraGroup, 'Group')).toBe(true)
  })

  it("Entra's userName, unquoted externalId and email filters", () => {
    const user = {
      ...inactive,
      userName: 'Test_User_dfeef4c5-5681-4387-b016-bdf221e82081',
      externalId: 'jyoung',
      emails: [
        { type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' },
      ],
    }
    expect(matches(entraUserNameFilter, user)).toBe(true)
    expect(matches(entraExternalIdFilter, user)).toBe(true)
    expect(matches('externalId eq JYOUNG', user)).toBe(false)
    expect(matches(entraEmailFilter, user)).toBe(true)
  })

  it('Entra test connection with a random GUID matches nothing', () => {
    expect(matches('userName eq "b3a1d7c0-5d45-4a6c-a2f4-0a6a64f0e5c1"')).toBe(false)
    expect(matches('externalId eq 5a6c0f8e-8b39-4a06-a3b8-5b5c5b0b2a47')).toBe(false)
  })

  it('unquoted numeric-looking externalIds compare as the text written', () => {
    expect(matches('externalId eq 0042', { ...inactive, externalId: '0042' })).toBe(true)
    expect(matches('externalId eq 42', { ...inactive, externalId: '42' })).toBe(true)
  })

  it('the Entra reference collection filters', () => {
    expect(matches(entraPostmanFilters.displayName, { ...babs, displayName: 'BobIsAmazing' })).toBe(
      true,
    )
    expect(matches(entraPostmanFilters.complex, inactive)).toBe(true)
    expect(matches(entraPostmanFilters.complex, babs)).toBe(false)
    expect(matches(entraPostmanFilters.startsWith, { ...inactive, userName: 'OMalley' })).toBe(true)
    expect(matches(entraPostmanFilters.created, inactive)).toBe(true)
    expect(
      matches(entraPostmanFilters.created, {
        ...inactive,
        meta: { created: '2015-10-09T00:00:00Z' },
      }),
    ).toBe(false)
  })

  it('RFC 7644 §3.4.2.2 examples', () => {
    expect(matches('title pr and userType eq "Employee"', { ...babs, userType: 'Employee' })).toBe(
      true,
    )
    expect(
      matches(
        'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
        { ...babs, userType: 'Employee' },
      ),
    ).toBe(true)
    expect(
      matches(
        'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
        { ...babs, userType: 'Contractor' },
      ),
    ).toBe(false)
    expect(
      matches('userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', {
        ...babs,
        userType: 'Employee',
      }),
    ).toBe(true)
    expect(
      matches(
        'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      ),
    ).toBe(true)
  })
})

describe('findIndexableEquality', () => {
  it('returns the whole filter when it is a single equality', () => {
    expect(findIndexableEquality(parseFilter(oktaMatchFilter))).toEqual({
      path: 'username',
      value: 'test.user@okta.local',
      caseExact: false,
    })
    expect(findIndexableEquality(parseFilter('ExternalID eq "abc"'))).toEqual({
      path: 'externalid',
      value: 'abc',
      caseExact: true,
    })
    expect(findIndexableEquality(parseFilter(entraGroupFilter))).toMatchObject({
      path: 'displayname',
      value: 'displayName',
    })
    expect(findIndexableEquality(parseFilter('emails.value eq "a@b"'))).toMatchObject({
      path: 'emails.value',
    })
  })

  it('normalises URN-qualified core paths to the short form', () => {
    expect(
      findIndexableEquality(
        parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"'),
      ),
    ).toMatchObject({ path: 'username' })
  })

  it('returns unquoted values as the text written', () => {
    expect(findIndexableEquality(parseFilter(entraExternalIdFilter))).toMatchObject({
      path: 'externalid',
      value: 'jyoung',
    })
    expect(findIndexableEquality(parseFilter('externalId eq 0042'))).toMatchObject({
      value: '0042',
    })
    expect(findIndexableEquality(parseFilter('userName eq 12345'))).toMatchObject({
      value: '12345',
    })
  })

  it('picks the most selective conjunct of a top-level and', () => {
    expect(
      findIndexableEquality(
        parseFilter('displayName eq "a" and userName eq "b" and active eq true'),
      ),
    ).toMatchObject({ path: 'username', value: 'b' })
    expect(findIndexableEquality(parseFilter('id eq "1" and manager eq "2"'))).toMatchObject({
      path: 'id',
      value: '1',
    })
  })

  it("narrows Entra's value-path email filter to emails.value", () => {
    expect(findIndexableEquality(parseFilter(entraEmailFilter))).toMatchObject({
      path: 'emails.value',
    })
  })

  it('returns nothing for or, not, other operators and null', () => {
    expect(findIndexableEquality(parseFilter('userName eq "a" or userName eq "b"'))).toBeUndefined()
    expect(findIndexableEquality(parseFilter('not (userName eq "a")'))).toBeUndefined()
    expect(findIndexableEquality(parseFilter('userName sw "a"'))).toBeUndefined()
    expect(findIndexableEquality(parseFilter('userName eq null'))).toBeUndefined()
    expect(
      findIndexableEquality(parseFilter('(userName eq "a" or title pr) and userName eq "b"')),
    ).toMatchObject({ value: 'b' })
  })
})

describe('string escapes', () => {
  it('decodes JSON escapes and keeps a stray backslash as written', () => {
    expect(parseFilter('userName eq "DOMAIN\\jdoe"')).toMatchObject({ value: 'DOMAIN\\jdoe' })
    expect(parseFilter('userName eq "a\\\\b"')).toMatchObject({ value: 'a\\b' })
    expect(parseFilter('userName eq "tab\\there"')).toMatchObject({ value: 'tab\there' })
    expect(parseFilter('userName eq "\\u0041\\u00"')).toMatchObject({ value: 'A\\u00' })
    expect(matches('userName eq "DOMAIN\\jdoe"', { ...inactive, userName: 'domain\\JDoe' })).toBe(
      true,
    )
  })
})
