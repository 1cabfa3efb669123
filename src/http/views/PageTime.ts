/** A moment a page shows: `text` is the server's wording (UTC), which public/app.js restates in the reader's zone. */
export interface PageTime {
  /** ISO 8601, for `<time datetime>`. */
  iso: string;
  text: string;
}
