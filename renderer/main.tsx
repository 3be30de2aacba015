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
import { App } from './components/App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
