import type { Right } from '../graph/authorize.js';

/**
 * Every thing the console lets a person do, with the admin API's right it needs: the console asks the API's own
 * `authorize` (one rule for both), with the same target and the same "creating a TAP" flag the API's operation passes.
 */
export const CONSOLE_ACTIONS = {
  listUsers: { right: 'user.read' },
  viewUser: { right: 'user.read' },
  viewMethods: { right: 'methods.read' },
  issueTap: { right: 'tap.write', creatingTap: true },
  approveTap: { right: 'tap.write', creatingTap: true },
  deleteTap: { right: 'tap.write' },
  unlockTap: { right: 'tap.write' },
  deletePasskey: { right: 'methods.write' },
  revokeSessions: { right: 'sessions.revoke' },
  viewPolicy: { right: 'policy.read' },
  editPolicy: { right: 'policy.write' },
  viewLogs: { right: 'audit.read' },
  // HR: who may give or change roles, or touch an administrator, is checked where the write happens (createUser, updateUser, deleteUser), for both.
  createUser: { right: 'user.write' },
  editUser: { right: 'user.write' },
  deleteUser: { right: 'user.write' },
} as const satisfies Record<string, { right: Right; creatingTap?: boolean }>;
