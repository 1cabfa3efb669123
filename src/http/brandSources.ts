import type { Brand } from './Brand.js';

/** The origin of an absolute URL; nothing for a path on this server (already `'self'`). */
const originOf = (url: string | undefined) => (url && !url.startsWith('/') ? [new URL(url).origin] : []);

/**
 * The CSP sources the brand's own files need: the stylesheet's origin in `style-src`, the logo's and favicon's in
 * `img-src`. Origins only (config accepts https URLs or paths), so a brand URL cannot open the policy to more than
 * the host it names.
 */
export function brandSources(brand: Brand): { style: string[]; img: string[] } {
  return {
    style: [...new Set(originOf(brand.cssUrl))],
    img: [...new Set([...originOf(brand.logoUrl), ...originOf(brand.faviconUrl)])],
  };
}
