import { DELIVERY_KINDS, runHostileDeliveries } from './hostileDeliveries';
import { PROOF_SEED, PROOF_SIZES } from './sizes';

it('accepts every legitimate delivery once and no hostile one, with the answer each kind must get', async () => {
	const counts = await runHostileDeliveries(PROOF_SIZES.hostileDeliveries, PROOF_SEED);
	console.log(`R2 hostile deliveries (seed ${PROOF_SEED}): ${JSON.stringify(counts)}`);
	expect(counts.deliveries).toBe(PROOF_SIZES.hostileDeliveries);
	expect({
		falseAccepts: counts.falseAccepts,
		falseRejects: counts.falseRejects,
		wrongStatus: counts.wrongStatus,
	}).toEqual({
		falseAccepts: 0,
		falseRejects: 0,
		wrongStatus: 0,
	});
	for (const kind of DELIVERY_KINDS) expect(counts[kind]).toBeGreaterThan(0);
});
