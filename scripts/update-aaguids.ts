/**
 * Rewrite src/passkeys/aaguids.json: the names of passkey providers and security keys by AAGUID, which the
 * security-info page and the admin API's fido2Methods `model` show (src/passkeys/authenticatorModel.ts).
 *
 * Source: the community-maintained "passkey authenticator AAGUIDs" list (passkeydeveloper on GitHub), in its
 * combined form, which adds the names of the FIDO Metadata Service's authenticators to the community entries.
 * Only the names are kept (no icons), so the file stays small. The list's maintainers publish it for naming
 * passkeys in account pages like ours; it carries no licence file of its own, and what is kept here is a table of
 * product names by identifier. Check its README for changes of terms when updating.
 *
 * Needs network: run `npm run aaguids` on a machine that has it and commit the result. The committed file was
 * seeded by hand with a few well-known entries, where no network was available: run this to get the full list.
 * Tests never run it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = process.env.AAGUIDS_URL ?? 'https://raw.githubusercontent.com/passkeydeveloper/passkey-authenticator-aaguids/main/combined_aaguid.json';
const TARGET = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'passkeys', 'aaguids.json');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NONE = '00000000-0000-0000-0000-000000000000';
/** Names are shown to people: printable, trimmed, bounded (authenticatorModel.test.ts checks the same). */
const NAME_MAX = 80;

const res = await fetch(SOURCE, { signal: AbortSignal.timeout(30_000) });
if (!res.ok) throw new Error(`${SOURCE}: HTTP ${res.status}`);
const list = (await res.json()) as unknown;
if (!list || typeof list !== 'object' || Array.isArray(list)) throw new Error(`${SOURCE}: not a JSON object`);

const names: Record<string, string> = {};
for (const [key, entry] of Object.entries(list)) {
  const aaguid = key.toLowerCase();
  const name = typeof (entry as { name?: unknown } | null)?.name === 'string' ? (entry as { name: string }).name : '';
  const clean = name.replace(/[\p{Cc}\p{Cf}]/gu, '').replace(/\s+/g, ' ').trim().slice(0, NAME_MAX).trim();
  if (UUID.test(aaguid) && aaguid !== NONE && clean) names[aaguid] = clean;
}
// The maintainers empty the list when they retire it: keep the file we have rather than forget every name.
if (Object.keys(names).length < 10) throw new Error(`${SOURCE}: only ${Object.keys(names).length} usable entries; the list may have been retired. Not written.`);

const sorted = Object.fromEntries(Object.entries(names).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(TARGET, `${JSON.stringify(sorted, null, 2)}\n`);
process.stdout.write(`wrote ${Object.keys(sorted).length} names to ${path.relative(process.cwd(), TARGET)}\n`);
