/** views/auto-submit.ejs: a form the browser posts on arrival (autosubmit.js), with a button when script is off. */
export interface AutoSubmitView {
  action: string;
  /** Hidden fields, name and value, in order. */
  fields: [string, string][];
}
