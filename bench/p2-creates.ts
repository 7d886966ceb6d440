/** P2C: bulk card creates through the node, against the floor the published create limit sets. */

import { RATE_LIMITS, ROUTES } from '../nodes/PrivCards/contract';
import { floorMs, goal, runMeasured, seconds, times, withEmulator } from './measure';

const CREATE_LATENCY_MS = 40;

export async function p2BulkCreates(creates: number): Promise<void> {
	await withEmulator(
		{ latency: [{ method: 'POST', path: ROUTES.createCard.path, ms: CREATE_LATENCY_MS }] },
		async (emulator) => {
			const before = emulator.state.cards().length;
			const run = await runMeasured(
				emulator,
				{ resource: 'card', operation: 'create', binId: '491653', amount: 1 },
				Array.from({ length: creates }, () => ({})),
			);
			const created = emulator.state.cards().length - before;
			const floor = floorMs(
				creates,
				[RATE_LIMITS.cardCreates, RATE_LIMITS.minute],
				CREATE_LATENCY_MS,
			);
			console.log(
				`P2C bulk card creation: ${creates} card.create, ${CREATE_LATENCY_MS} ms a create, the published limits on (${RATE_LIMITS.cardCreates.max} creates a minute)`,
			);
			console.log(
				`  PrivCards node ${seconds(run.ms)}; floor ${seconds(floor)} (the ${RATE_LIMITS.cardCreates.max + 1}st create fits a minute after the first): node ${times(run.ms / floor)} the floor`,
			);
			console.log(
				`  node errors ${run.errors}, 429s answered ${run.refused}, cards created ${created}`,
			);
			goal('≤ 1.1× the floor', run.ms / floor <= 1.1);
			goal(
				'0 errors, 0 answered 429, every card created once',
				run.errors === 0 && run.refused === 0 && created === creates,
			);
		},
	);
}
