import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles/theme.css';
import './styles/layout.css';
import './styles/nodes.css';
import './styles/panels.css';
import './styles/storyboard.css';
import './styles/timeline.css';
import './styles/settings.css';
import './styles/reuse.css';
import { readEarly } from './actions/files';
import { App } from './components/App';

// `?open=` (links from the CLI, benchmarks): the film is read while the editor first renders.
const open = new URLSearchParams(window.location.search).get('open');
if (open) readEarly(open);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
