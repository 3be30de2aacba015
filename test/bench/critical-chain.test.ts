import { describe, expect, it } from 'vitest';
import { criticalChain, type Steps } from './critical-chain';

describe('criticalChain', () => {
  it('follows the slots back from the shot done last and sums each phase along them', () => {
    // Two slots: a and b start at once; c takes a's slot, d takes b's; d ends the run.
    const steps: Steps = new Map([
      ['a', { started: 5, submitted: 20, gatewayDone: 1000, done: 1050 }],
      ['b', { started: 6, submitted: 30, gatewayDone: 1100, done: 1150 }],
      ['c', { started: 1010, submitted: 1040, gatewayDone: 2000, done: 2040 }],
      ['d', { started: 1130, submitted: 1170, gatewayDone: 2200, done: 2300 }],
    ]);
    expect(criticalChain(steps, 2400)).toEqual({
      shots: 2,
      slotToStart: 6 + (1130 - 1100),
      startToSubmitted: 24 + 40,
      submittedToGateway: 1070 + 1030,
      tail: 200,
    });
  });

  it('gives each slot to one shot only, first come first served', () => {
    // c and d both start after a's slot came free, but only c can have taken it: d took b's.
    const steps: Steps = new Map([
      ['a', { started: 0, submitted: 10, gatewayDone: 100, done: 110 }],
      ['b', { started: 0, submitted: 10, gatewayDone: 300, done: 310 }],
      ['c', { started: 120, submitted: 130, gatewayDone: 400, done: 410 }],
      ['d', { started: 320, submitted: 330, gatewayDone: 600, done: 700 }],
    ]);
    const chain = criticalChain(steps, 720);
    expect(chain.shots).toBe(2);
    expect(chain.slotToStart).toBe(0 + 20);
  });
});
