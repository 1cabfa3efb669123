/** The JSON of a form's `data-options`, as the page's script reads it. */
export function formOptions<T>(html: string, formId: string): T {
  const tag = new RegExp(`<form[^>]*id="${formId}"[^>]*>`).exec(html)?.[0];
  const raw = tag && /data-options="([^"]*)"/.exec(tag)?.[1];
  if (!raw) throw new Error(`no #${formId} with options on the page:\n${html.slice(0, 1500)}`);
  return JSON.parse(raw.replace(/&(#34|quot|#39|lt|gt|amp);/g, (_m, e: string) => ({ '#34': '"', quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[e]!)) as T;
}
