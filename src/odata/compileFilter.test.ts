import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors.js';
import { auditFilterFields } from '../audit/auditFilterFields.js';
import { compileFilter } from './compileFilter.js';
import type { FilterFields } from './FilterFields.js';
import { parseFilter } from './parseFilter.js';

const parseAuditFilter = (f: string, fields: FilterFields) => compileFilter(parseFilter(f), fields);

const audit = {
  activityDisplayName: 'Admin registered security info',
  activityDateTime: '2026-11-23T10:00:00.000Z',
  result: 'success',
  initiatedBy: { user: { id: 'u-admin', userPrincipalName: 'admin@contoso.com' }, app: null },
  targetResources: [{ id: 'u-1', type: 'User', userPrincipalName: 'jdoe@contoso.com', displayName: 'Jane Doe' }],
};
const signIn = {
  createdDateTime: '2026-11-23T10:00:00.000Z',
  userPrincipalName: 'jdoe@contoso.com',
  status: { errorCode: 50126, failureReason: 'WrongPasscode' },
  authenticationMethodsUsed: ['Temporary Access Pass'],
};
const onAudit = (f: string) => parseAuditFilter(f, auditFilterFields.directoryAudits).test(audit);
const onSignIn = (f: string) => parseAuditFilter(f, auditFilterFields.signIns).test(signIn);

describe('compileFilter on the audit logs', () => {
  it.each([
    ["activityDisplayName eq 'Admin registered security info'", true],
    ["activityDisplayName eq 'admin REGISTERED security info'", true],
    ["activityDisplayName ne 'Admin registered security info'", false],
    ['activityDateTime ge 2026-11-23T00:00:00Z', true],
    ['activityDateTime gt 2026-11-23T10:00:00Z', false],
    ['activityDateTime le 2026-11-23', false],
    ["activityDateTime lt '2026-11-24T00:00:00Z'", true],
    ["targetResources/any(t: t/id eq 'u-1')", true],
    ["targetResources/any(t:t/userPrincipalName eq 'JDOE@contoso.com')", true],
    ["targetResources/any(t: t/id eq 'u-2')", false],
    ["initiatedBy/user/userPrincipalName eq 'admin@contoso.com' and result eq 'success'", true],
    ["(result eq 'failure' or startswith(activityDisplayName, 'Admin')) and not (result eq 'failure')", true],
  ])('directoryAudits: %s → %s', (f, expected) => {
    expect(onAudit(f)).toBe(expected);
  });

  it.each([
    ["userPrincipalName eq 'jdoe@contoso.com' and status/errorCode eq 50126", true],
    ['status/errorCode eq 0', false],
    ['status/errorCode ne 0', true],
    ["status/failureReason eq 'WrongPasscode'", true],
    ["authenticationMethodsUsed/any(m: m eq 'Temporary Access Pass')", true],
    ['createdDateTime ge 2026-11-23T11:00:00+02:00', true],
  ])('signIns: %s → %s', (f, expected) => {
    expect(onSignIn(f)).toBe(expected);
  });

  it('derives the time range an and-chain implies, and none from an or', () => {
    const f = parseAuditFilter('activityDateTime ge 2026-11-01T00:00:00Z and activityDateTime lt 2026-11-02T00:00:00Z', auditFilterFields.directoryAudits);
    expect(f.fromMs).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(f.toMs).toBe(Date.parse('2026-11-02T00:00:00Z'));
    const g = parseAuditFilter("activityDateTime ge 2026-11-01T00:00:00Z or result eq 'x'", auditFilterFields.directoryAudits);
    expect(g.fromMs).toBeUndefined();
  });

  it.each([
    ["nope eq 'x'", "Invalid $filter: the property 'nope' is not supported on directoryAudit. Supported: id, category"],
    ["activityDisplayName gt 'x'", "'activityDisplayName' is text: use eq, ne or startswith(), not gt."],
    ['activityDisplayName eq x', "expected a value after 'activityDisplayName' at position 24, found 'x'"],
    ["activityDisplayName eq 'x", 'the string that starts at position 24 is not closed'],
    ["activityDateTime ge 'tomorrow'", "'activityDateTime' is a date and time"],
    ["targetResources eq 'x'", "'targetResources' is a collection: filter it with targetResources/any(x: ...)."],
    ["targetResources/any(t: t/colour eq 'x')", "'t/colour' is not supported; inside targetResources/any() use t/id"],
    ["activityDisplayName eq 'x' 'y'", "unexpected 'y' at position 28"],
    ["activityDisplayName eq 'x' & result eq 'y'", "unexpected character '&' at position 28."],
    ["status/errorCode eq '0'", "'status/errorCode' is a number"],
  ])('refuses %s with a precise message', (f, message) => {
    const fields = f.startsWith('status') ? auditFilterFields.signIns : auditFilterFields.directoryAudits;
    expect(() => parseAuditFilter(f, fields)).toThrow(BadRequestError);
    expect(() => parseAuditFilter(f, fields)).toThrow(message);
  });
});

const USER: FilterFields = {
  resource: 'User',
  scalars: { userPrincipalName: 'string', displayName: 'string', accountEnabled: 'boolean', mail: 'string', userType: 'string' },
  collections: {},
};
const jdoe = { userPrincipalName: 'jdoe@contoso.com', displayName: 'Jane Doe', accountEnabled: true, mail: null, userType: 'Member' };

describe('compileFilter on users', () => {
  it.each([
    ["userPrincipalName in ('x@contoso.com', 'JDOE@contoso.com')", true],
    ["userPrincipalName in ('x@contoso.com')", false],
    ['accountEnabled eq true', true],
    ['accountEnabled eq false', false],
    ['mail eq null', true],
    ["endswith(userPrincipalName, '@CONTOSO.com') and userType eq 'Member'", true],
    ["startswith(displayName, 'jane') or mail eq 'x'", true],
    ["not(userType eq 'Guest')", true],
  ])('%s → %s', (f, expected) => {
    expect(compileFilter(parseFilter(f), USER).test(jdoe)).toBe(expected);
  });

  it('asks the caller before accepting ne, not and endsWith (advanced queries)', () => {
    const asked: string[] = [];
    const advancedOperator = (op: string) => asked.push(op);
    compileFilter(parseFilter("endswith(mail, 'x') or not (displayName ne 'y')"), USER, { advancedOperator });
    expect(asked.sort()).toEqual(['endsWith', 'ne', 'not']);
  });

  it.each([
    ["accountEnabled eq 'true'", "'accountEnabled' is true or false"],
    ['accountEnabled gt true', "'accountEnabled' is true or false: use eq or ne, not gt."],
    ["userPrincipalName in ('a'", "expected ')' to close 'userPrincipalName in (...)' at the end."],
    ["jobTitle eq 'x'", "the property 'jobTitle' is not supported on User."],
  ])('refuses %s', (f, message) => {
    expect(() => compileFilter(parseFilter(f), USER)).toThrow(message);
  });
});
