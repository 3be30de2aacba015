// The editor's frame: commands on top, palette left, canvas centre, inspector right.
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { flushRecovery, startAutosave } from '../actions/autosave';
import { startFilmStatus } from '../actions/film-status';
import { checkRecovery, openFilm, refreshRecent } from '../actions/files';
import { listenToBatches } from '../actions/batch';
import { listenToRuns } from '../actions/run';
import { installShortcuts } from '../actions/shortcuts';
import { startLiveValidation } from '../actions/validation';
import { useShallow } from 'zustand/react/shallow';
import { useUi, type UiState } from '../stores/ui';
import { host } from '../transport';
import { Breadcrumb } from './Breadcrumb';
import { Canvas } from './Canvas';
import { CastPanel } from './CastPanel';
import { FileDialog } from './FileDialog';
import { HelpOverlay } from './HelpOverlay';
import { Inspector } from './inspector/Inspector';
import { Palette } from './Palette';
import { BatchRuns } from './reuse/BatchRuns';
import { RunWith } from './reuse/RunWith';
import { StartGallery } from './reuse/StartGallery';
import { ProblemsPanel } from './ProblemsPanel';
import { RecoveryBanner } from './RecoveryBanner';
import { SearchBox } from './SearchBox';
import { GatewaySettings } from './settings/GatewaySettings';
import { Storyboard } from './storyboard/Storyboard';
import { Timeline } from './timeline/Timeline';
import { StatusBar } from './StatusBar';
import { Toasts } from './Toasts';
import { TopBar } from './TopBar';

const selectStage = (s: UiState) => ({
  view: s.view,
  timeline: s.timelineOpen,
  gallery: s.gallery,
  runWith: s.runWith,
  batch: s.batchOpen,
});

export function App() {
  const stage = useUi(useShallow(selectStage));
  useEffect(() => {
    const stops = [
      installShortcuts(),
      listenToRuns(),
      listenToBatches(),
      startAutosave(),
      startLiveValidation(),
      startFilmStatus(),
      listenForQuit(),
    ];
    host
      .call('app.info', {})
      .then((info) => useUi.setState({ info, connected: true }))
      .catch(() => undefined);
    void refreshRecent().catch(() => undefined);
    // `?open=films/chase.json` opens a film at start (links from the CLI, benchmarks).
    const open = new URLSearchParams(window.location.search).get('open');
    if (open) {
      useUi.setState({ gallery: false });
      void openFilm(open);
    }
    void checkRecovery().catch(() => undefined);
    return () => stops.forEach((stop) => stop());
  }, []);
  return (
    <ReactFlowProvider>
      <div className="app">
        <TopBar />
        <RecoveryBanner />
        <div className={`workspace view-${stage.view}`}>
          {stage.view !== 'board' && <Palette />}
          <main className="stage">
            <div className="stage-main">
              {stage.view !== 'board' && (
                <div className="stage-canvas">
                  <Canvas />
                  <Breadcrumb />
                </div>
              )}
              {stage.view !== 'graph' && <Storyboard />}
              <ProblemsPanel />
            </div>
            <CastPanel />
            {stage.timeline && <Timeline />}
          </main>
          <Inspector />
          {stage.gallery && <StartGallery />}
          {stage.runWith && <RunWith />}
          {stage.batch && <BatchRuns />}
        </div>
        <StatusBar />
        <SearchBox />
        <FileDialog />
        <HelpOverlay />
        <GatewaySettings />
        <Toasts />
      </div>
    </ReactFlowProvider>
  );
}

/** Desktop quit handshake: write the recovery copy, then tell the host it may close. */
function listenForQuit(): () => void {
  return host.subscribe((msg) => {
    if (msg.kind !== 'before-quit') return;
    void flushRecovery().finally(() => void host.call('app.quitReady', {}));
  });
}
