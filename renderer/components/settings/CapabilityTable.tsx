// What each gateway and model can do, straight from the capability matrix the validator enforces.
import { Fragment } from 'react';
import { CAPABILITIES, capabilityRows, GATEWAYS } from '../../../shared/seedance/capabilities';

const ROWS = capabilityRows();
const yes = (b: boolean) => (b ? '✓' : '—');

export function CapabilityTable() {
  return (
    <>
      <div className="caps-scroll">
        <table className="caps" data-testid="capabilities">
          <thead>
            <tr>
              <th>Gateway</th>
              <th>Model</th>
              <th>First frame</th>
              <th>Last frame</th>
              <th title="reference images / videos / audio">References</th>
              <th>Resolutions</th>
              <th>Durations</th>
              <th>Audio</th>
              <th title="the gateway returns the last frame; otherwise Shotgraph extracts it">
                Gives last frame
              </th>
              <th>Local files</th>
              <th>asset:// ids</th>
            </tr>
          </thead>
          <tbody>
            {GATEWAYS.map((g) => {
              const rows = ROWS.filter((r) => r.gateway === g);
              return (
                <Fragment key={g}>
                  {rows.map((r, i) => (
                    <tr key={r.model} className={i === 0 ? 'caps-first' : ''}>
                      {i === 0 && (
                        <td rowSpan={rows.length} className="caps-gateway">
                          {r.label}
                        </td>
                      )}
                      <td className="mono">{r.model}</td>
                      <td>{r.firstFrame}</td>
                      <td>{yes(r.lastFrame)}</td>
                      <td>
                        {r.referenceImages} img · {r.referenceVideos} vid · {r.referenceAudios} aud
                      </td>
                      <td>{r.resolutions}</td>
                      <td>{r.durations}</td>
                      <td>{yes(r.generateAudio)}</td>
                      <td>{yes(r.returnsLastFrame)}</td>
                      <td>{r.localFiles}</td>
                      <td>{yes(r.assetIds)}</td>
                    </tr>
                  ))}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <dl className="caps-notes">
        {GATEWAYS.map((g) => (
          <Fragment key={g}>
            <dt>{CAPABILITIES[g].label}</dt>
            <dd>
              <span className="muted">Pricing: {CAPABILITIES[g].pricing}.</span>{' '}
              {CAPABILITIES[g].notes.join(' ')}
            </dd>
          </Fragment>
        ))}
      </dl>
    </>
  );
}
