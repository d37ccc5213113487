// The bookmarklet and quick-add links of the help page, built from the app's own address.

/** The app's root URL (origin + base path), ending in "/". */
export function appRoot(baseURI: string = document.baseURI): string {
  return new URL('.', baseURI).toString()
}

export function quickAddUrl(root: string, url: string, preset = ''): string {
  const target = new URL('api/history/add', root)
  target.searchParams.set('url', url)
  if (preset) target.searchParams.set('preset', preset)
  return target.toString()
}

/**
 * A `javascript:` link that sends the current page to the quick-add endpoint. When the
 * request cannot be made from the page (login needed, or a content policy blocks it) it
 * opens the quick-add URL in a tab, where the browser can ask for the login.
 */
export function bookmarklet(root: string, preset = ''): string {
  const start = JSON.stringify(new URL('api/history/add?url=', root).toString())
  const tail = JSON.stringify(preset ? `&preset=${encodeURIComponent(preset)}` : '')
  const code = `(function(){var u=${start}+encodeURIComponent(location.href)+${tail};`
    + `fetch(u).then(function(r){if(r.status===401){window.open(u);return}`
    + `return r.json().then(function(d){alert('Tubestash: '+(d.message||(d.status?'queued':'failed')))})})`
    + `.catch(function(){window.open(u)})})()`
  return `javascript:${code}`
}
