import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** The role the page's calls need; the API checks it again on every call. */
    role?: 'reviewer' | 'admin'
  }
}

// Hash history: the app serves one page and its hashed assets, nothing else, under /api/console/.
export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/reviews' },
  { path: '/sign-in', component: () => import('./pages/SignInPage.vue') },
  { path: '/reviews', component: () => import('./pages/ReviewQueuePage.vue'), meta: { role: 'reviewer' } },
  { path: '/applications/:id?', component: () => import('./pages/ApplicationPage.vue'), meta: { role: 'reviewer' } },
  { path: '/loans/:id?', component: () => import('./pages/LoanPage.vue'), meta: { role: 'reviewer' } },
  { path: '/dashboard', component: () => import('./pages/DashboardPage.vue'), meta: { role: 'reviewer' } },
  { path: '/requests', component: () => import('./pages/StaffRequestsPage.vue'), meta: { role: 'reviewer' } },
  { path: '/rules', component: () => import('./pages/RulesPage.vue'), meta: { role: 'admin' } },
  { path: '/operations', component: () => import('./pages/OperationsPage.vue'), meta: { role: 'reviewer' } },
  { path: '/products', component: () => import('./pages/ProductsPage.vue'), meta: { role: 'reviewer' } },
  { path: '/models', component: () => import('./pages/ModelsPage.vue'), meta: { role: 'admin' } },
  { path: '/blacklist', component: () => import('./pages/BlacklistPage.vue'), meta: { role: 'admin' } },
  { path: '/write-offs', component: () => import('./pages/WriteOffsPage.vue'), meta: { role: 'admin' } },
  { path: '/audit', component: () => import('./pages/AuditPage.vue'), meta: { role: 'admin' } },
]

export const router = createRouter({ history: createWebHashHistory(), routes })
