// A cluster room's seat ledger: a signed seat admits once, used nonces go to the next report (and
// back after a failed one), and a nonce is forgotten only after a seat could no longer be valid.
import { describe, expect, it } from 'vitest';
import { SeatLedger } from '../src/cluster/seatLedger.js';

describe('SeatLedger', () => {
  it('admits a nonce once and calls a replay used', () => {
    const ledger = new SeatLedger(17_000);
    expect(ledger.claim('n1', 1000)).toBe('ok');
    expect(ledger.claim('n1', 2000)).toBe('used');
    expect(ledger.claim('n2', 2000)).toBe('ok');
  });

  it('remembers a used nonce for the seat lifetime and margin, then forgets it', () => {
    const ledger = new SeatLedger(17_000);
    ledger.claim('n1', 1000);
    expect(ledger.claim('n1', 17_999)).toBe('used');
    // By then the seat itself has expired, which verifySeat refuses before the ledger is asked.
    expect(ledger.claim('n1', 18_000)).toBe('ok');
  });

  it('hands used nonces to the next report once, and takes them back after a failed one', () => {
    const ledger = new SeatLedger(17_000);
    ledger.claim('n1', 0);
    ledger.claim('n2', 0);
    const taken = ledger.takeUsed();
    expect(taken).toEqual(['n1', 'n2']);
    expect(ledger.takeUsed()).toEqual([]);
    ledger.claim('n3', 0);
    ledger.putBack(taken);
    expect(ledger.takeUsed()).toEqual(['n1', 'n2', 'n3']);
  });

  it('counts pending seats from the last report, less those used since', () => {
    const ledger = new SeatLedger(17_000);
    ledger.reported(3);
    expect(ledger.pending).toBe(3);
    ledger.claim('n1', 0);
    expect(ledger.pending).toBe(2);
    ledger.reported(1);
    expect(ledger.pending).toBe(1);
  });
});
