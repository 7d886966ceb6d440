import { runBadInputs } from './badInputs';
import { PROOF_SEED, PROOF_SIZES } from './sizes';

it('refuses every generated bad value before any request, naming the field and the item, and sends every good one as given', async () => {
	const failures: string[] = [];
	const counts = await runBadInputs(PROOF_SIZES.generatedInputs, PROOF_SEED, (failure) =>
		failures.push(failure),
	);
	console.log(`R3 generated inputs (seed ${PROOF_SEED}): ${JSON.stringify(counts)}`);
	expect(failures.slice(0, 40)).toEqual([]);
	expect(counts.tried).toBeGreaterThanOrEqual(PROOF_SIZES.generatedInputs);
	expect(counts.invalid).toBeGreaterThan(counts.tried / 4);
	expect(counts.valid).toBeGreaterThan(counts.tried / 4);
});
