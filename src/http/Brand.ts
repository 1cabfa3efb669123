/** Two colours of one scheme (hex), as config `branding.colors` gives them. */
interface BrandColours {
  primary?: string | undefined;
  background?: string | undefined;
}

/**
 * What the pages show of the organisation running them (config `branding`, or a host's `tapPlugin` option). Every
 * field may be missing: the page then shows the product's own.
 */
export interface Brand {
  name?: string | undefined;
  logoUrl?: string | undefined;
  faviconUrl?: string | undefined;
  colors?: BrandColours | undefined;
  colorsDark?: BrandColours | undefined;
  helpText?: string | undefined;
  helpUrl?: string | undefined;
  /** IANA zone of the pages' dates and times; missing: the browser's. */
  timeZone?: string | undefined;
  cssUrl?: string | undefined;
}
