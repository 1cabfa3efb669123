import type { User } from '../directory/User.js';
import type { AuthMethod } from '../methods/AuthMethod.js';
import { requiresPhr } from './loadInteraction.js';
import type { Details } from './LoginCompleter.js';

/** Which methods an interaction may use, and which one's step comes after the identifier. */
export class MethodChooser {
  private readonly byName: Map<string, AuthMethod>;

  constructor(
    /** In the flow's order. */
    readonly methods: AuthMethod[],
    private readonly fallback: string,
    private readonly phrFallback: string,
  ) {
    this.byName = new Map(methods.map((m) => [m.name, m]));
  }

  /** The method of this name, if the flow has one. */
  get(name: string): AuthMethod | undefined {
    return this.byName.get(name);
  }

  /** Under `acr_values=phr` only phishing-resistant methods, and those that lead to one, take part. */
  allowed(d: Details, m: AuthMethod): boolean {
    return !requiresPhr(d) || m.acr === 'phr' || m.bootstrapsPasskey;
  }

  /** Start every method's reads of the user with id `userId` (AuthMethod.readAhead), for `choose` to find. */
  readAhead(userId: string): void {
    for (const m of this.methods) m.readAhead?.(userId);
  }

  /**
   * First method in the flow's order this user can use; unknown users get the fallback like everyone else,
   * unless a method takes every identifier of their form (a federated domain), known or not.
   */
  async choose(d: Details, user: User | undefined, username: string): Promise<AuthMethod> {
    // Every method is asked at once (one pipelined round trip to Redis), then the first in order wins.
    const usable = await Promise.all(this.methods.map((m) => this.allowed(d, m) && m.isAvailable(user, username)));
    return this.methods[usable.indexOf(true)] ?? this.byName.get(requiresPhr(d) ? this.phrFallback : this.fallback)!;
  }
}
