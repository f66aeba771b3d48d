import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The app serves the console itself under /api/console/ (functions/StaffConsole), in both hosts.
export default defineConfig({
  base: '/api/console/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Charts load with the dashboard only; the sign-in page and the review queue never wait for them.
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'charts'
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus'
          if (id.includes('node_modules/')) return 'vendor'
          return undefined
        },
      },
    },
  },
  server: {
    // `npx vite` for work on the pages: the API of a standalone host on its default port.
    proxy: { '/api/': { target: 'http://127.0.0.1:7071', changeOrigin: false } },
  },
})
