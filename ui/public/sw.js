// Tubestash's service worker: what makes the app installable, and little more.
// Pages (navigations) go to the network first and fall back to the last copy when offline;
// built assets (their names carry a hash) are kept once fetched. The API, /ws and anything
// else are never touched: live data always comes from the server.
const CACHE = 'tubestash-shell-v1'
// Each build names its assets anew; beyond this many, the oldest kept ones go.
const MAX_ASSETS = 150
const SCOPE = new URL(self.registration.scope)

self.addEventListener('install', () => self.skipWaiting())

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  )
})

function isAsset(url) {
  return url.origin === SCOPE.origin && url.pathname.startsWith(`${SCOPE.pathname}assets/`)
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE)
  try {
    const response = await fetch(request)
    if (response.ok) await cache.put(SCOPE.href, response.clone())
    return response
  } catch (error) {
    const copy = await cache.match(SCOPE.href)
    if (copy) return copy
    throw error
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE)
  const copy = await cache.match(request)
  if (copy) return copy
  const response = await fetch(request)
  if (response.ok) {
    await cache.put(request, response.clone())
    const kept = (await cache.keys()).filter((entry) => isAsset(new URL(entry.url)))
    await Promise.all(kept.slice(0, Math.max(0, kept.length - MAX_ASSETS)).map((entry) => cache.delete(entry)))
  }
  return response
}

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (request.mode === 'navigate' && url.origin === SCOPE.origin && url.pathname === SCOPE.pathname) {
    event.respondWith(networkFirst(request))
  } else if (isAsset(url)) {
    event.respondWith(cacheFirst(request))
  }
})
