// Work on a clip whose ffmpeg starts before the clip is here (docs/architecture.md §5.2): its
// start-up is paid while the clip is on its way, and it reads the clip on its stdin once it lands
// (runFfmpeg's `stdinFrom`). Whatever the pipe cannot do is done from the file as usual, with the
// same result, so a prepared run only ever saves time.

export interface Prepared<T> {
  /** The clip is here: the result, from the waiting ffmpeg or made as usual. */
  from(clip: string): Promise<T>;
  /** The clip will not come (or is not needed): the waiting ffmpeg stops. */
  cancel(): void;
}

export function prepared<T>(p: {
  /** The result made from the file, as without preparing. */
  usual: (clip: string) => Promise<T>;
  /** Starts ffmpeg reading the clip `clipIn` names on its stdin (rejected: it never comes). */
  start: (clipIn: Promise<string>) => Promise<void>;
  /** Whether the waiting ffmpeg can take this clip (a pipe cannot seek); false does it as usual. */
  ready: (clip: string) => Promise<boolean>;
  /** What the waiting ffmpeg made of the clip. */
  result: (clip: string) => Promise<T>;
  /** Removes its scratch files, once ffmpeg is over. */
  cleanup: () => Promise<unknown>;
  signal?: AbortSignal;
}): Prepared<T> {
  let give!: (clip: string) => void;
  let withhold!: (reason: Error) => void;
  const clipIn = new Promise<string>((resolve, reject) => ((give = resolve), (withhold = reject)));
  let run: Promise<void>;
  try {
    run = p.start(clipIn);
  } catch {
    void p.cleanup();
    return { from: p.usual, cancel: () => undefined }; // no ffmpeg to start: the usual run says so
  }
  run.catch(() => undefined); // read by `from`; a cancelled one is never read
  let settled = false;
  const cancel = () => {
    if (settled) return;
    settled = true;
    withhold(new Error('the clip never came'));
    void run.catch(() => undefined).then(p.cleanup);
  };
  return {
    async from(clip) {
      if (settled) return p.usual(clip);
      if (!(await p.ready(clip))) {
        cancel();
        return p.usual(clip);
      }
      settled = true;
      give(clip);
      try {
        await run;
        return await p.result(clip);
      } catch (e) {
        if (p.signal?.aborted) throw e;
        // Whatever the pipe could not do, the file can: the result is the same either way.
        return p.usual(clip);
      } finally {
        await p.cleanup();
      }
    },
    cancel,
  };
}
