/**
 * A message of the catalogue (`locales/<lng>.json`) by its id, with the values its placeholders take. Code names
 * messages and never formats text itself: the page formats them in the language chosen for the request.
 */
export interface MessageRef {
  id: string;
  values?: Readonly<Record<string, string | number | Date>>;
}
