import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import { useSession } from './session'

const app = createApp(App)
app.use(createPinia())
app.use(i18n)
app.use(ElementPlus)
app.use(router)

const session = useSession()
router.beforeEach(async (to) => {
  if (!session.checked) await session.load()
  if (to.path === '/sign-in') return true
  if (!session.signedIn) return { path: '/sign-in', query: { next: to.fullPath } }
  if (to.meta.role === 'admin' && !session.isAdmin) return { path: '/reviews' }
  return true
})

app.mount('#app')
