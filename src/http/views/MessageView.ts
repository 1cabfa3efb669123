import type { Text } from '../../i18n/Text.js';
import type { PageLink } from './PageLink.js';

/** views/message.ejs: a page that says one thing (an error, an ended sign-in, a sign-out). */
export interface MessageView {
  title: Text;
  heading: Text;
  message: Text;
  link: PageLink | null;
  /** Name the help desk under the message (error and 404 pages: the person may have nowhere else to turn). */
  help?: boolean;
}
