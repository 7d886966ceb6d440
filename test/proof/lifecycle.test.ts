import { PROOF_SEED, PROOF_SIZES } from './sizes';
import { runLifecycleUnderFaults } from './triggerLifecycle';

const SEED = Number(process.env.PRIVCARDS_PROOF_SEED ?? PROOF_SEED);

describe('trigger lifecycle under API failures (R5)', () => {
	it(`${PROOF_SIZES.lifecycleCycles} activate/deactivate cycles with a failure at every step: every one reported, 0 orphaned endpoints`, async () => {
		const counts = await runLifecycleUnderFaults({
			cycles: PROOF_SIZES.lifecycleCycles,
			seed: SEED,
		});
		console.log(
			`trigger lifecycle under failures (replay: npm run soak -- --suite lifecycle --count ${PROOF_SIZES.lifecycleCycles} --seed ${SEED}):`,
			JSON.stringify({ ...counts, mismatches: counts.mismatches.length }),
		);
		expect(counts.mismatches).toEqual([]);
		expect(counts.cycles).toBe(PROOF_SIZES.lifecycleCycles);
		expect(counts.orphans).toBe(0);
		expect(counts.failuresReported).toBe(counts.failuresToReport);
		// Both paths were taken: failures the retries absorb, and failures that must be reported.
		expect(counts.failuresToReport).toBeGreaterThan(0);
		expect(counts.failuresAbsorbed).toBeGreaterThan(0);
	}, 180_000);
});
