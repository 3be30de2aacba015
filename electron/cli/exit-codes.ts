// What the `shotgraph` commands exit with (README, "Exit codes").
/** `awaiting`: the run did all it could and waits for an approval gate: not an error (README). */
export const EXIT = { ok: 0, invalid: 1, usage: 2, failed: 3, busy: 4, awaiting: 5, cancelled: 130 } as const;
