/** A link a page offers as its way on. */
export interface PageLink {
  href: string;
  label: string;
}
