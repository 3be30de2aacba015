// The one place that knows there are two transports; everything else talks to `host`.
import type { HostApi } from '../../shared/contract';
import { electronHost, type DesktopBridge } from './electron';
import { websocketHost } from './websocket';

declare global {
  interface Window {
    shotgraph?: DesktopBridge;
  }
}

export const host: HostApi = window.shotgraph
  ? electronHost(window.shotgraph)
  : websocketHost(window.location);
export { HostError } from './error';
