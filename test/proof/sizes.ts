/** How much each proof suite does in `npm test`: enough to find a defect, small enough to keep the suite quick. */
export const PROOF_SIZES = {
	/** Hostile and valid deliveries generated for the trigger (R2). */
	hostileDeliveries: 300,
	/** Generated parameter values across every input validator (R3). */
	generatedInputs: 900,
	/** Money moves under seeded random faults (R1); `npm run soak` runs 10,000. */
	moneyMoves: 300,
	/** Trigger activate/deactivate cycles under API failures (R5); `npm run soak` runs 200. */
	lifecycleCycles: 50,
} as const;

/** The seed of `npm test`'s runs: a failure prints its seed, and the same seed replays it. */
export const PROOF_SEED = 20260415;
