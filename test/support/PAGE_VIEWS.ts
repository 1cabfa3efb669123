/** The colour schemes and widths every page is checked and photographed in. */
export const PAGE_VIEWS = [
  { device: 'desktop', width: 1280, height: 800, scheme: 'light' },
  { device: 'desktop', width: 1280, height: 800, scheme: 'dark' },
  { device: 'phone', width: 390, height: 844, scheme: 'light' },
  { device: 'phone', width: 390, height: 844, scheme: 'dark' },
] as const;
