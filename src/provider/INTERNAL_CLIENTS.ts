/**
 * The product's own pages that sign people in through this same provider, each as a public client of it: its
 * id, its name on the provider's pages, and the path it lives under (its callback is `<path>/callback`).
 */
export const INTERNAL_CLIENTS = {
  account: { id: 'oidc-tap-account', name: 'Security info', path: '/account' },
  admin: { id: 'oidc-tap-admin', name: 'Admin console', path: '/admin' },
} as const;
