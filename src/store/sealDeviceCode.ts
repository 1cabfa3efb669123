import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The AES-256-GCM key of one user code: only someone who knows the code can open what it seals. */
const keyOf = (userCode: string) => createHash('sha256').update(`oidc-tap device code\0${userCode}`).digest();

/**
 * A device code (a bearer secret, stored only as a digest) sealed under its user code, so that the verification
 * page, given the user code, finds the device code oidc-provider needs, and a copy of Redis does not hand it out.
 */
export function sealDeviceCode(deviceCode: string, userCode: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(userCode), iv);
  const sealed = Buffer.concat([cipher.update(deviceCode, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')).join('.');
}

/** The device code sealed under `userCode`, or undefined when the value is not one (or another code's). */
export function openDeviceCode(sealed: string, userCode: string): string | undefined {
  const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !data || iv.length !== 12 || tag.length !== 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(userCode), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
