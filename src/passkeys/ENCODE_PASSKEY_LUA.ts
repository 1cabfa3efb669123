/**
 * Lua for the scripts that change a stored passkey (`usePasskey`, `renamePasskey`): `encodePasskey(pk)`, its JSON.
 * Redis's cjson cannot tell an empty list from an empty object and writes both as `{}`: a passkey whose
 * authenticator named no transports came back from a sign-in or a rename with `"transports":{}`, which the pages'
 * WebAuthn calls and the audit records then refused (not a list). The empty list is written as one.
 */
export const ENCODE_PASSKEY_LUA = `
local function encodePasskey(pk)
  local out = cjson.encode(pk)
  if type(pk.transports) == 'table' and next(pk.transports) == nil then
    out = (string.gsub(out, '"transports":{}', '"transports":[]', 1))
  end
  return out
end
`;
