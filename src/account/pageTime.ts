import type { PageTime } from '../http/views/PageTime.js';
import { formatDate } from './formatDate.js';

/** A moment for a page: its ISO form for the browser, and the server's own wording as the text until then. */
export function pageTime(ms: number): PageTime {
  return { iso: new Date(ms).toISOString(), text: `${formatDate(ms)} UTC` };
}
