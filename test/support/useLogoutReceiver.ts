import { afterAll, beforeAll } from 'vitest';
import { LogoutReceiver } from './LogoutReceiver.js';

/** A relying party's back-channel logout endpoint, listening for the test file's tests (its `url` set once started). */
export function useLogoutReceiver(): LogoutReceiver {
  const receiver = new LogoutReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  return receiver;
}
