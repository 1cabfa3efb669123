// The admin console's small enhancements; every page works without them.
// Copy: the passcode to the clipboard (without script the text is selectable).
for (const button of document.querySelectorAll('[data-copy]')) {
  const source = document.getElementById(button.dataset.copy);
  const said = document.querySelector('[data-copied]');
  if (!source || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    await navigator.clipboard.writeText(source.textContent.trim());
    if (said) {
      said.hidden = false;
      said.textContent = said.dataset.text || button.dataset.copiedText || '';
    }
  });
}

// Search as you type: fetch the same GET page and swap in its results, keeping focus in the field.
const search = document.querySelector('form[data-search]');
if (search) {
  const field = search.querySelector('input[type="search"]');
  const results = document.getElementById('results');
  let timer;
  let latest = 0;
  field.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const ticket = ++latest;
      const url = `${search.action}?${new URLSearchParams(new FormData(search)).toString()}`;
      const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      if (!res.ok || ticket !== latest) return;
      const page = new DOMParser().parseFromString(await res.text(), 'text/html');
      const fresh = page.getElementById('results');
      if (fresh) results.replaceChildren(...fresh.childNodes);
      history.replaceState(null, '', url);
    }, 250);
  });
}
