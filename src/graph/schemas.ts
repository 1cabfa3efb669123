import { PERMISSIONS } from '../config/AppConfig.js';
import { ROLES } from '../directory/Role.js';
import { Type } from '@sinclair/typebox';
import { TapPolicyPatchSchema, TapPolicySchema } from '../tap/TapPolicySchema.js';
import { fromTypeBox } from './fromTypeBox.js';
import type { Schema } from './Schema.js';

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const upn: Schema = { type: 'string', format: 'email', maxLength: 320, description: 'User principal name, e.g. jdoe@contoso.com.', example: 'jdoe@contoso.com' };
const displayName: Schema = { type: 'string', minLength: 1, maxLength: 256, pattern: '^[^\\p{Cc}]*$' };
const groupName: Schema = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._-]+$' };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const profileText: Schema = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[^\\p{Cc}]*$', nullable: true, description: 'Null clears it.' };
const nullableText: Schema = { type: 'string', nullable: true };
const object = (properties: Record<string, Schema>, nullable = false): Schema => ({ type: 'object', properties, ...(nullable ? { nullable } : {}) });
const tapProperties: Record<string, Schema> = {
  '@odata.type': { type: 'string', enum: ['#microsoft.graph.temporaryAccessPassAuthenticationMethod'] },
  id: { type: 'string', format: 'uuid' },
  temporaryAccessPass: { type: 'string', nullable: true, description: 'The passcode: only in the creation response, null ever after.' },
  createdDateTime: dateTime,
  startDateTime: dateTime,
  lifetimeInMinutes: { type: 'integer' },
  isUsableOnce: { type: 'boolean' },
  isUsable: { type: 'boolean' },
  methodUsabilityReason: {
    type: 'string',
    enum: ['EnabledByPolicy', 'DisabledByPolicy', 'Expired', 'NotYetValid', 'OneTimeUsed', 'LockedOut', 'PendingApproval'],
    description: 'PendingApproval is an oidc-tap extension, not in Graph: a TAP of a user who holds an administrative role, unusable until a second administrator approves it (approveTemporaryAccessPass).',
  },
  'oidcTap.failureCount': {
    type: 'integer',
    description: 'oidc-tap extension, not in Graph: failures counted against this TAP from every network since it was issued, last signed in with or unlocked. 50 lock the TAP (LockedOut).',
  },
  'oidcTap.isLockedOut': { type: 'boolean', description: 'oidc-tap extension: the TAP itself is locked for every network (unlock clears it).' },
  'oidcTap.failureSources': {
    type: 'array',
    description: 'oidc-tap extension: where the failures came from, one entry per source network, most failures first.',
    items: {
      type: 'object',
      properties: {
        network: { type: 'string', description: 'The /24 of an IPv4 address or the /64 of an IPv6 one.', example: '198.51.100.0/24' },
        failureCount: { type: 'integer', description: 'Consecutive failures from this network; 5 start its waits, 10 lock it out.' },
        lastFailureDateTime: dateTime,
        retryAfterDateTime: { type: 'string', format: 'date-time', nullable: true, description: 'Until when tries from this network are refused unchecked; null when it need not wait.' },
        isLockedOut: { type: 'boolean', description: 'This network is locked out of the TAP; other networks are not.' },
      },
      required: ['network', 'failureCount', 'lastFailureDateTime', 'retryAfterDateTime', 'isLockedOut'],
    },
  },
};
const fido2Properties: Record<string, Schema> = {
  '@odata.type': { type: 'string', enum: ['#microsoft.graph.fido2AuthenticationMethod'] },
  id: { type: 'string' },
  displayName: { type: 'string' },
  createdDateTime: dateTime,
  aaGuid: { type: 'string' },
  model: { type: 'string', nullable: true },
  attestationCertificates: { type: 'array', items: { type: 'string' } },
  attestationLevel: { type: 'string', enum: ['attested', 'notAttested'] },
  passkeyType: { type: 'string', enum: ['deviceBound', 'synced'] },
};
/** The writable fields of a user, shared by creation and update. */
const userFields: Record<string, Schema> = {
  userPrincipalName: upn,
  displayName,
  userType: { type: 'string', enum: ['Member', 'Guest'] },
  guestOrigin: { type: 'string', enum: ['internal', 'external'] },
  roles: { type: 'array', items: { type: 'string', enum: ROLES }, maxItems: ROLES.length },
  groups: { type: 'array', items: groupName, maxItems: 100 },
  accountEnabled: { type: 'boolean', description: 'false disables the account: every sign-in is refused, and its sessions, grants and tokens end at once.' },
  mail: { ...upn, nullable: true, description: 'Null clears it.' },
  givenName: profileText,
  surname: profileText,
  jobTitle: profileText,
  department: profileText,
  employeeId: { type: 'string', minLength: 1, maxLength: 16, pattern: '^[^\\p{Cc}]*$', nullable: true },
};
const collection = (item: string): Schema => ({
  type: 'object',
  properties: { '@odata.context': { type: 'string' }, '@odata.nextLink': { type: 'string' }, value: { type: 'array', items: ref(item) } },
  required: ['value'],
});

/** Every schema of the admin API, by name: request bodies are validated against these, and OpenAPI lists them. */
export const schemas: Record<string, Schema> = {
  User: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      userPrincipalName: upn,
      displayName,
      givenName: nullableText,
      surname: nullableText,
      mail: nullableText,
      jobTitle: nullableText,
      department: nullableText,
      employeeId: nullableText,
      accountEnabled: { type: 'boolean' },
      userType: { type: 'string', enum: ['Member', 'Guest'] },
      createdDateTime: dateTime,
      guestOrigin: { type: 'string', enum: ['internal', 'external'], nullable: true, description: 'oidc-tap extension: for guests, whether they may hold a TAP (internal) or not (external).' },
      memberOf: { type: 'array', items: ref('DirectoryObject'), description: 'Only with $expand=memberOf.' },
    },
    required: ['id', 'userPrincipalName', 'displayName', 'userType', 'createdDateTime'],
  },
  UserCreate: {
    type: 'object',
    description: 'Fields of Graph\'s user creation; `mailNickname` is accepted for compatibility and ignored.',
    properties: {
      ...userFields,
      mailNickname: { type: 'string', maxLength: 64 },
      passwordProfile: {
        type: 'object',
        properties: { password: { type: 'string', minLength: 8, maxLength: 256 }, forceChangePasswordNextSignIn: { type: 'boolean' } },
        required: ['password'],
        additionalProperties: false,
      },
    },
    required: ['userPrincipalName', 'displayName'],
    additionalProperties: false,
  },
  UserUpdate: {
    type: 'object',
    properties: {
      ...userFields,
    },
    additionalProperties: false,
  },
  UserCollection: {
    type: 'object',
    properties: { '@odata.context': { type: 'string' }, '@odata.count': { type: 'integer' }, '@odata.nextLink': { type: 'string' }, value: { type: 'array', items: ref('User') } },
    required: ['value'],
  },
  DirectoryObject: {
    type: 'object',
    description: 'A group or an administrative role the user holds (`@odata.type` says which).',
    properties: {
      '@odata.type': { type: 'string', enum: ['#microsoft.graph.group', '#microsoft.graph.directoryRole'] },
      id: { type: 'string' },
      displayName: { type: 'string' },
      roleTemplateId: { type: 'string', nullable: true, description: 'Directory roles only: the role\'s fixed id in Entra ID.' },
      description: { type: 'string', nullable: true },
    },
    required: ['@odata.type', 'id', 'displayName'],
  },
  DirectoryObjectCollection: {
    type: 'object',
    properties: { '@odata.context': { type: 'string' }, '@odata.count': { type: 'integer' }, value: { type: 'array', items: ref('DirectoryObject') } },
    required: ['value'],
  },
  TemporaryAccessPassCreate: {
    type: 'object',
    properties: {
      '@odata.type': { type: 'string', enum: ['#microsoft.graph.temporaryAccessPassAuthenticationMethod'] },
      startDateTime: dateTime,
      lifetimeInMinutes: { type: 'integer', description: 'Within the policy\'s minimum and maximum; the error names the live range.' },
      isUsableOnce: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  TemporaryAccessPassMethod: {
    type: 'object',
    properties: tapProperties,
    required: ['id', 'temporaryAccessPass', 'createdDateTime', 'startDateTime', 'lifetimeInMinutes', 'isUsableOnce', 'isUsable', 'methodUsabilityReason'],
  },
  TemporaryAccessPassMethodCollection: collection('TemporaryAccessPassMethod'),
  Fido2Method: { type: 'object', properties: fido2Properties, required: ['@odata.type', 'id', 'displayName', 'createdDateTime', 'aaGuid'] },
  Fido2MethodCollection: collection('Fido2Method'),
  AuthenticationMethod: {
    type: 'object',
    description: 'A password, TAP or FIDO2 method; `@odata.type` says which, and which of these properties it has.',
    properties: {
      ...tapProperties,
      ...fido2Properties,
      '@odata.type': {
        type: 'string',
        enum: ['#microsoft.graph.passwordAuthenticationMethod', '#microsoft.graph.temporaryAccessPassAuthenticationMethod', '#microsoft.graph.fido2AuthenticationMethod'],
      },
      id: { type: 'string' },
      password: { type: 'string', nullable: true, description: 'Password method: always null.' },
    },
    required: ['@odata.type', 'id'],
  },
  AuthenticationMethodCollection: collection('AuthenticationMethod'),
  TemporaryAccessPassPolicy: fromTypeBox(
    Type.Object({
      '@odata.type': TapPolicyPatchSchema.properties['@odata.type'],
      id: Type.Optional(TapPolicyPatchSchema.properties.id, false),
      ...TapPolicySchema.properties,
    }),
  ),
  TemporaryAccessPassPolicyPatch: fromTypeBox(TapPolicyPatchSchema),
  DirectoryAudit: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      category: { type: 'string' },
      correlationId: { type: 'string' },
      result: { type: 'string' },
      resultReason: { type: 'string' },
      activityDisplayName: { type: 'string' },
      activityDateTime: dateTime,
      loggedByService: { type: 'string' },
      operationType: { type: 'string' },
      initiatedBy: object({
        user: object({ id: { type: 'string' }, displayName: nullableText, userPrincipalName: nullableText, ipAddress: nullableText }, true),
        app: object({ appId: nullableText, displayName: nullableText, servicePrincipalId: nullableText, servicePrincipalName: nullableText }, true),
      }),
      targetResources: { type: 'array', items: object({ id: { type: 'string' }, displayName: nullableText, type: { type: 'string' }, userPrincipalName: nullableText }) },
      additionalDetails: { type: 'array', items: object({ key: { type: 'string' }, value: { type: 'string' } }) },
    },
    required: ['id', 'activityDisplayName', 'activityDateTime'],
  },
  DirectoryAuditCollection: collection('DirectoryAudit'),
  SignIn: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      createdDateTime: dateTime,
      userDisplayName: nullableText,
      userPrincipalName: { type: 'string' },
      userId: nullableText,
      appId: nullableText,
      ipAddress: nullableText,
      clientAppUsed: { type: 'string' },
      correlationId: { type: 'string' },
      authenticationMethodsUsed: { type: 'array', items: { type: 'string' } },
      status: object({ errorCode: { type: 'integer' }, failureReason: nullableText }),
    },
    required: ['id', 'createdDateTime'],
  },
  SignInCollection: collection('SignIn'),
  BooleanResult: { type: 'object', properties: { value: { type: 'boolean' } }, required: ['value'] },
  Error: {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          innerError: { type: 'object', properties: { 'request-id': { type: 'string' }, date: dateTime } },
        },
        required: ['code', 'message'],
      },
    },
    required: ['error'],
  },
};

/** The Graph permission names, for the OpenAPI document's security scheme. */
export const permissionNames: readonly string[] = PERMISSIONS;
