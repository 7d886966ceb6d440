import { RANDOM_FAULT_KINDS } from '../../emulator/faults';
import { runMoneyUnderFaults } from './moneyUnderFaults';
import { PROOF_SEED, PROOF_SIZES } from './sizes';

const SEED = Number(process.env.PRIVCARDS_PROOF_SEED ?? PROOF_SEED);

describe('exactly-once money under faults (R1)', () => {
	it(`${PROOF_SIZES.moneyMoves} random moves with 20 % of requests faulted: one effect per succeeded item, a clear error on every other`, async () => {
		const counts = await runMoneyUnderFaults({ moves: PROOF_SIZES.moneyMoves, seed: SEED });
		console.log(
			`money under faults (replay: npm run soak -- --suite money --count ${PROOF_SIZES.moneyMoves} --seed ${SEED}):`,
			JSON.stringify({ ...counts, mismatches: counts.mismatches.length }),
		);
		expect(counts.mismatches).toEqual([]);
		expect(counts.duplicates).toBe(0);
		expect(counts.moves).toBe(PROOF_SIZES.moneyMoves);
		expect(counts.succeeded + counts.refused).toBe(PROOF_SIZES.moneyMoves);
		// The run met every kind of fault, and the API refused some moves: both paths were taken.
		for (const kind of RANDOM_FAULT_KINDS) expect(counts.faults[kind]).toBeGreaterThan(0);
		expect(counts.refused).toBeGreaterThan(0);
		expect(counts.reruns).toBeGreaterThan(0);
		expect(counts.replays).toBeGreaterThan(0);
	}, 180_000);
});
