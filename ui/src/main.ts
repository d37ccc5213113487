import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from '@/App.vue'
import { createAppRouter } from '@/router'
import '@/style.css'

createApp(App).use(createPinia()).use(createAppRouter()).mount('#app')

// The service worker makes the app installable (and its share target reachable). Relative
// to the page, so it and its scope follow YTP_BASE_PATH. Not in development: Vite serves
// the modules itself.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((err: unknown) => {
    console.warn('Tubestash: the service worker did not register', err)
  })
}
