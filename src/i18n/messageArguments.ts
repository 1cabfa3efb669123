import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

/**
 * The names an ICU message takes values by (`{client}`, `{seconds, plural, …}`) and its tags (`<strong>`), so that
 * a translation can be checked against its English message at load, not on a person's page.
 */
export function messageArguments(message: string): { values: Set<string>; tags: Set<string> } {
  const values = new Set<string>();
  const tags = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const e of elements) {
      if (e.type === TYPE.literal || e.type === TYPE.pound) continue;
      if (e.type === TYPE.tag) {
        tags.add(e.value);
        walk(e.children);
        continue;
      }
      values.add(e.value);
      if (e.type === TYPE.plural || e.type === TYPE.select) for (const o of Object.values(e.options)) walk(o.value);
    }
  };
  walk(parse(message));
  return { values, tags };
}
