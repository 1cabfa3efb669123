/** Who did something: a signed-in user, an application (client credentials), or the system (CLI, bootstrap). */
export interface AuditActor {
  type: 'user' | 'app' | 'system';
  /** User id, client id, or a name such as `cli`. */
  id: string;
  displayName?: string;
  userPrincipalName?: string;
}

/** What it was done to. */
export interface AuditTarget {
  type: 'User' | 'Policy';
  id: string;
  displayName?: string;
  userPrincipalName?: string;
}

/**
 * The sign-in method a write concerns. It lets the security events tell a TAP from a passkey without reading
 * the wording of a reason; records show it under `additionalDetails`.
 */
export interface AuditMethod {
  type: 'temporaryAccessPass' | 'passkey';
  /** The TAP's id or the passkey's credential id. */
  id?: string;
  /** A passkey's authenticator model. */
  aaguid?: string;
  /** A passkey built into the device (transport `internal`) rather than a roaming one (security key, phone). */
  platform?: boolean;
}

/** A write: the activities of docs/rules.md ("Audit"), e.g. `Admin registered security info`. */
export interface DirectoryAuditInput {
  /** Graph's `activityDisplayName`. */
  activity: string;
  /** Graph's `category`, e.g. `UserManagement`, `Policy`. */
  category: string;
  result: 'success' | 'failure';
  /** Graph's `resultReason`, e.g. `Admin registered temporary access pass method for user`. */
  resultReason?: string;
  actor: AuditActor;
  targets: AuditTarget[];
  /** The caller's address. */
  ip?: string;
  /** The method written, for TAP and passkey writes (see AuditMethod). */
  method?: AuditMethod;
  /** Graph's `correlationId`, e.g. the request's id; default a new UUID. */
  correlationId?: string;
}

/** A sign-in outcome. */
export interface SignInAuditInput {
  userId?: string;
  userPrincipalName: string;
  clientId?: string;
  /** `tap`, `passkey`, `password`, `federation`. */
  method: string;
  result: 'success' | 'failure';
  /** For a failure: the reason (e.g. `LockedOut`, `WrongPasscode`, `OneTimeUsed`); never a passcode. */
  reason?: string;
  ip?: string;
  /** The TAP or passkey the attempt used, when known. */
  credentialId?: string;
  /** For a passkey: its authenticator model (AAGUID) and the name its user gave it. */
  credentialAaguid?: string;
  credentialName?: string;
  userDisplayName?: string;
  correlationId?: string;
}
