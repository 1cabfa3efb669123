import { Type, type Static } from '@sinclair/typebox';
import { ROLES } from './Role.js';

const POSITIVE = 'must be a positive whole number';
const NON_EMPTY = 'must be a non-empty string';
const text = (extra: Record<string, unknown> = {}) => Type.String({ minLength: 1, errorMessage: NON_EMPTY, ...extra });

/**
 * `directory` of the config file: users read from LDAP instead of oidc-tap's own Redis directory. Each setting's
 * default and meaning live here alone; the README's table is generated from them (`npm run docs:options`).
 * `bindPassword` may come from the environment (`LDAP_BIND_PASSWORD`) instead; parseConfig.ts checks the URL.
 */
export const LdapDirectorySchema = Type.Object(
  {
    type: Type.Unsafe<'ldap'>({ type: 'string', enum: ['ldap'], description: '`ldap` (the only kind)', defaultText: '(required)', errorMessage: 'must be ldap' }),
    url: text({ description: '`ldaps://host` or `ldap://host` (plain `ldap` only on this machine)', defaultText: '(required)' }),
    bindDN: text({ description: 'the DN oidc-tap binds as to search (read access is enough)', defaultText: '(required)' }),
    bindPassword: Type.Optional(text({ description: 'its password', defaultText: 'env `LDAP_BIND_PASSWORD`' })),
    searchBase: text({ description: 'where users are searched, the whole subtree', defaultText: '(required)' }),
    userFilter: text({ default: '(objectClass=inetOrgPerson)', description: 'which entries are users; ANDed with the attribute looked up' }),
    attributes: Type.Object(
      {
        id: text({ default: 'entryUUID', description: 'the stable id (the ID token\'s `sub`); never reuse one' }),
        userPrincipalName: text({ default: 'mail', description: 'the sign-in name' }),
        displayName: text({ default: 'displayName', description: 'the name shown' }),
        userType: Type.Optional(text({ description: '`Member` or `Guest` (anything else: `Member`)' })),
        mail: text({ default: 'mail', description: 'Graph\'s `mail`' }),
        givenName: text({ default: 'givenName', description: 'Graph\'s `givenName`' }),
        surname: text({ default: 'sn', description: 'Graph\'s `surname`' }),
        jobTitle: text({ default: 'title', description: 'Graph\'s `jobTitle`' }),
        department: text({ default: 'departmentNumber', description: 'Graph\'s `department`' }),
        employeeId: text({ default: 'employeeNumber', description: 'Graph\'s `employeeId`' }),
      },
      { default: {}, additionalProperties: false, description: 'attribute names: `id`, `userPrincipalName`, `displayName`, `userType`, and the user\'s profile in Graph\'s names: `mail`, `givenName`, `surname`, `jobTitle`, `department`, `employeeId`', defaultText: '`entryUUID`, `mail`, `displayName`, none; `mail`, `givenName`, `sn`, `title`, `departmentNumber`, `employeeNumber`', errorMessage: 'must be an object', unknownMessage: 'is not a known attribute' },
    ),
    groupAttribute: text({ default: 'memberOf', description: 'the user attribute that lists their groups\' DNs (OpenLDAP\'s memberof overlay, Active Directory)' }),
    roles: Type.Record(Type.String(), Type.Unsafe<(typeof ROLES)[number]>({ type: 'string', enum: [...ROLES], errorMessage: `must be one of ${ROLES.join(', ')}` }), {
      default: {},
      description: 'group (its DN or its first RDN value, e.g. `admins`) → administrative role',
      defaultText: '`{}`',
      errorMessage: 'must be an object of group → role',
    }),
    cacheTtlSeconds: Type.Integer({ minimum: 1, default: 60, description: 'how long an answer (found or not) is kept in Redis; a change in LDAP shows after at most this', errorMessage: POSITIVE }),
    timeoutMs: Type.Integer({ minimum: 1, default: 3000, description: 'time limit of a connection and of a search; beyond it the request is answered 503', errorMessage: POSITIVE }),
    poolSize: Type.Integer({ minimum: 1, default: 4, description: 'bound connections kept open', errorMessage: POSITIVE }),
  },
  { additionalProperties: false, errorMessage: 'must be an object', unknownMessage: 'is not a known setting' },
);

/** The `directory` section as validated, with its defaults; `bindPassword` filled from the environment. */
export type LdapDirectoryConfig = Static<typeof LdapDirectorySchema> & { bindPassword: string };
