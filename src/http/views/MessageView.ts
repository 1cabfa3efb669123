import type { PageLink } from './PageLink.js';

/** views/message.ejs: a page that says one thing (an error, an ended sign-in, a sign-out). */
export interface MessageView {
  title: string;
  heading: string;
  message: string;
  link: PageLink | null;
}
