/**
 * The activity names (Graph's `activityDisplayName`) and reasons the product writes, in one place, so that the
 * flow, the security-info page, the CLI and the admin API name the same thing the same way (docs/rules.md, "Audit").
 */
export const AuditActivity = {
  adminRegistered: 'Admin registered security info',
  adminDeleted: 'Admin deleted security info',
  adminUpdated: 'Admin updated security info',
  userRegistered: 'User registered security info',
  userDeleted: 'User deleted security info',
  userUpdated: 'User updated security info',
  /** The failed attempt that locked a TAP (the sign-in itself is also recorded, failure reason `LockedOut`). */
  tapLockedOut: 'Temporary Access Pass locked out',
  policyUpdated: 'Update authentication methods policy',
  policyReset: 'Reset authentication methods policy',
  addUser: 'Add user',
  updateUser: 'Update user',
  deleteUser: 'Delete user',
  revokeSessions: 'Invalidate all refresh tokens for user',
  /** A logout token sent to an application's `backchannel_logout_uri` (or given up on). */
  backchannelLogout: 'Back-channel logout',
  /** A TAP ran out: what it signed in ended with it (and the applications were told). */
  tapExpired: 'Temporary Access Pass expired',

  reasons: {
    adminRegisteredTap: 'Admin registered temporary access pass method for user',
    adminDeletedTap: 'Admin deleted temporary access pass method for user',
    adminUnlockedTap: 'Admin unlocked temporary access pass method for user',
    /** The second administrator of the two-person rule. */
    adminApprovedTap: 'Admin approved temporary access pass method for user',
    adminDeletedPasskey: 'Admin deleted passkey method for user',
    userRegisteredPasskey: 'User registered passkey method',
    userRenamedPasskey: 'User renamed passkey method',
    userDeletedPasskey: 'User deleted passkey method',
    userDeletedTap: 'User deleted temporary access pass method',
    tapDeletedAfterPasskey: 'Temporary access pass deleted once the passkey registered with it had signed in',
    tapLockedOut: 'Too many consecutive wrong attempts',
    tapExpired: 'Temporary access pass reached its end; the sessions, grants and sign-ins obtained with it ended',
  },
} as const;
