import { Type } from '@sinclair/typebox';
import { nameListSchema } from '../nameListSchema.js';
import { ROLES } from './Role.js';

const NON_EMPTY = 'must be a non-empty string';
const UPN = '^[^\\s@]{1,64}@[A-Za-z0-9.-]{1,190}\\.[A-Za-z0-9-]{1,63}$';

const text = () => Type.String({ minLength: 1, errorMessage: NON_EMPTY });

/**
 * A user of the config file's `users`, imported into the directory at start. `displayName` defaults to the
 * part of the UPN before `@`, and a guest's `guestOrigin` to `internal` (parseConfig.ts); the UPN must be new.
 */
export const UserSeedSchema = Type.Object(
  {
    userPrincipalName: Type.String({ minLength: 1, pattern: UPN, errorMessage: { pattern: '{value} is not of the form name@domain', '*': NON_EMPTY } }),
    displayName: Type.Optional(text()),
    userType: Type.Unsafe<'Member' | 'Guest'>({ type: 'string', enum: ['Member', 'Guest'], default: 'Member', errorMessage: 'must be "Member" or "Guest"' }),
    /** For guests: `internal` may hold a TAP, `external` may not. */
    guestOrigin: Type.Optional(Type.Unsafe<'internal' | 'external'>({ type: 'string', enum: ['internal', 'external'], errorMessage: 'must be "internal" or "external"' })),
    roles: nameListSchema(ROLES),
    groups: nameListSchema<string>(),
    /** `false`: the account is disabled, and every sign-in of theirs is refused. */
    accountEnabled: Type.Optional(Type.Boolean({ errorMessage: 'must be true or false' })),
    mail: Type.Optional(Type.String({ minLength: 1, pattern: UPN, description: 'Graph\'s `mail`', errorMessage: { pattern: '{value} is not of the form name@domain', '*': NON_EMPTY } })),
    givenName: Type.Optional(text()),
    surname: Type.Optional(text()),
    jobTitle: Type.Optional(text()),
    department: Type.Optional(text()),
    employeeId: Type.Optional(text()),
    /** Plain-text password, only for seeding a demo; stored as an scrypt hash. */
    password: Type.Optional(text()),
  },
  { errorMessage: 'must be an object' },
);

