import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
// The shared stylesheets first: every feature's own stylesheet (imported by its components) comes
// after them in the bundle, so a feature rule wins over a shared one of the same specificity.
import './styles/tokens.css'
import './styles/base.css'
import './styles/controls.css'
import './styles/panels.css'
import './styles/widgets.css'
import './styles/tones.css'
import { App } from './App.tsx'

// Calls to main already return envelopes; retrying a failed inspection would only repeat it.
const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
})

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
)
