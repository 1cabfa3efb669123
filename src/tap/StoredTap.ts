/** A TAP as kept in Redis: everything but the passcode, of which only a keyed hash remains. */
export interface StoredTap {
  id: string;
  hash: string;
  salt: string;
  /** Times in ms since the epoch. */
  created: number;
  start: number;
  end: number;
  lifetime: number;
  once: boolean;
  /** When a one-time TAP was used, else 0. */
  used: number;
  locked: boolean;
  lastUsed: number;
  /**
   * Issued for a user who holds an administrative role, and not yet approved by a second administrator
   * (option `tapApprovalForAdmins`): unusable until then.
   */
  pending: boolean;
  /** Who issued it (the audit actor's id): the one administrator who may not approve it. */
  requestedBy: string;
}

export function toFields(t: StoredTap): (string | number)[] {
  return [
    'id', t.id, 'hash', t.hash, 'salt', t.salt, 'created', t.created, 'start', t.start, 'end', t.end,
    'lifetime', t.lifetime, 'once', t.once ? '1' : '0', 'used', t.used, 'locked', t.locked ? '1' : '0',
    'lastUsed', t.lastUsed, 'pending', t.pending ? '1' : '0', 'requestedBy', t.requestedBy,
  ];
}

/** From HGETALL output (an object) or a script's flat field/value list. */
export function fromRedis(raw: Record<string, string> | string[]): StoredTap | undefined {
  let h: Record<string, string>;
  if (Array.isArray(raw)) {
    h = {};
    for (let i = 0; i + 1 < raw.length; i += 2) h[raw[i]!] = raw[i + 1]!;
  } else {
    h = raw;
  }
  if (!h.id) return undefined;
  return {
    id: h.id,
    hash: h.hash ?? '',
    salt: h.salt ?? '',
    created: Number(h.created),
    start: Number(h.start),
    end: Number(h.end),
    lifetime: Number(h.lifetime),
    once: h.once === '1',
    used: Number(h.used ?? 0),
    locked: h.locked === '1',
    lastUsed: Number(h.lastUsed ?? 0),
    pending: h.pending === '1',
    requestedBy: h.requestedBy ?? '',
  };
}
